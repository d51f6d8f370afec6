"""The pure core: grouping under limits, keys, framing (JSON lines and tar) and manifests."""

from __future__ import annotations

import gzip
import io
import tarfile
from datetime import UTC, datetime

import orjson
import pytest

from feedback_core.bundle import (
    SourceRef,
    SourceUnavailableError,
    bundle_id,
    bundle_key,
    codec_named,
    encode,
    manifest_key,
    plan,
)

AT = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
BODIES = {"a.json": b'{"n":1}\n{"n":2}', "b.json": b"", "dir/c.json": b'{"n":3}\n'}


def ref(key: str, size: int | None = None, version: str | None = "v1") -> SourceRef:
    body = BODIES.get(key, b"")
    return SourceRef(
        bucket="in",
        key=key,
        version_id=version,
        etag="e",
        size=len(body) if size is None else size,
        event_time=AT,
    )


def read(source: SourceRef) -> list[bytes]:
    body = BODIES[source.key]
    return [body[:3], body[3:]]


def test_plan_rolls_over_at_the_byte_limit_and_a_large_source_goes_alone() -> None:
    """Bundles fill up to max_bytes; a source above the limit is a bundle of its own."""
    refs = [ref(f"k{i}", size) for i, size in enumerate([40, 40, 40, 500, 10])]
    groups = plan(refs, max_bytes=100, max_sources=10)
    assert [["k0", "k1"], ["k2"], ["k3"], ["k4"]] == [[r.key for r in g] for g in groups]


def test_plan_rolls_over_at_the_source_limit() -> None:
    """No bundle holds more than max_sources sources."""
    refs = [ref(f"k{i}", 1) for i in range(7)]
    assert [3, 3, 1] == [len(g) for g in plan(refs, max_bytes=100, max_sources=3)]


def test_bundle_id_names_the_set_of_versions() -> None:
    """The same versions in any order give one id; another version of a key another id."""
    a, c = ref("a.json"), ref("dir/c.json")
    assert bundle_id([a, c]) == bundle_id([c, a, a])
    assert bundle_id([a]) != bundle_id([ref("a.json", version="v2")])


def test_keys_are_partitioned_by_event_hour_with_the_manifest_beside() -> None:
    """YYYY/MM/DD/HH/ from the event time; the manifest shares the bundle's stem."""
    key = bundle_key("bundles/", "tar", AT, "abc")
    assert "bundles/2026/05/04/03/bundle-abc.tar.gz" == key
    assert "bundles/2026/05/04/03/bundle-abc.manifest.json" == manifest_key(key)


def test_json_lines_end_every_source_with_a_newline() -> None:
    """Sources are concatenated, a newline added where one is missing, none for an empty one."""
    refs = [ref(k) for k in BODIES]
    encoding = encode(refs, read, codec=codec_named("zlib"))
    assert b'{"n":1}\n{"n":2}\n{"n":3}\n' == gzip.decompress(b"".join(encoding))


def test_entries_record_sizes_and_sha256_of_each_source() -> None:
    """The manifest's per-source size and SHA-256 are of the source's own bytes."""
    import hashlib

    encoding = encode([ref("a.json")], read, codec=codec_named("zlib"))
    b"".join(encoding)
    (entry,) = encoding.entries
    assert (15, hashlib.sha256(BODIES["a.json"]).hexdigest()) == (entry.size, entry.sha256)


def test_tar_has_one_member_per_source_with_name_and_time() -> None:
    """Tar bundles give the files back: names, sizes, contents and times."""
    refs = [ref(k) for k in BODIES]
    data = gzip.decompress(b"".join(encode(refs, read, fmt="tar", codec=codec_named("zlib"))))
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = archive.getmembers()
        assert list(BODIES) == [m.name for m in members]
        assert {int(AT.timestamp())} == {m.mtime for m in members}
        extracted = archive.extractfile("a.json")
        assert extracted is not None
        assert BODIES["a.json"] == extracted.read()


def test_tar_refuses_a_source_whose_size_changed() -> None:
    """A tar header carries the size first; other bytes than announced are reported."""
    with pytest.raises(SourceUnavailableError):
        b"".join(encode([ref("a.json", size=3)], read, fmt="tar", codec=codec_named("zlib")))


def test_manifest_lists_counts_bytes_and_sources() -> None:
    """The manifest document has the totals and each source's identity and digest."""
    from feedback_core.bundle import Manifest

    encoding = encode([ref("a.json"), ref("dir/c.json")], read, codec=codec_named("zlib"))
    out = b"".join(encoding)
    manifest = Manifest(
        bundle_key="k",
        format="jsonl",
        codec="zlib",
        sources=tuple(encoding.entries),
        bytes_out=len(out),
    )
    document = orjson.loads(manifest.to_json())
    assert (2, 23, len(out)) == (document["count"], document["bytesIn"], document["bytesOut"])
    assert ["a.json", "dir/c.json"] == [s["key"] for s in document["sources"]]
    assert "v1" == document["sources"][0]["versionId"]
