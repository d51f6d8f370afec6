"""The bundler's claim protocol, outcomes and settings, on the in-memory adapters."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import orjson
import pytest

from feedback_core.bundle import (
    Bundler,
    BundlerConfig,
    InMemoryBundleSink,
    InMemoryObjectSource,
    Malformed,
    Notification,
    Skipped,
    SourceRef,
    codec_named,
)
from feedback_core.dedup import InMemoryDedupStore
from feedback_core.errors import ConfigurationError

AT = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)


def setup(*, versioned: bool = True) -> tuple[InMemoryObjectSource, InMemoryBundleSink, Bundler]:
    source = InMemoryObjectSource(versioned=versioned)
    sink = InMemoryBundleSink()
    bundler = Bundler(
        source=source,
        sink=sink,
        claims=InMemoryDedupStore(),
        codec=codec_named("zlib"),
        prefix="b/",
    )
    return source, sink, bundler


def note(message_id: str, *refs: SourceRef) -> Notification:
    return Notification(message_id=message_id, refs=refs)


def bundles(sink: InMemoryBundleSink) -> dict[str, bytes]:
    return {k: gzip.decompress(v.body) for k, v in sink.objects.items() if k.endswith(".gz")}


def test_a_batch_becomes_one_bundle_with_manifest_and_metadata() -> None:
    """Two sources: one bundle, its manifest beside it, the totals in its metadata."""
    source, sink, bundler = setup()
    a = source.put("in", "a", b'{"a":1}\n', at=AT)
    b = source.put("in", "b", b'{"b":2}', at=AT)
    report = bundler.process([note("m1", a), note("m2", b)])
    assert ((), 2) == (report.failures, report.acknowledged)
    (key,) = bundles(sink)
    assert b'{"a":1}\n{"b":2}\n' == bundles(sink)[key]
    metadata = sink.objects[key].metadata
    assert ("2", "15", "jsonl") == (
        metadata["source-count"],
        metadata["bytes-in"],
        metadata["format"],
    )
    manifest = orjson.loads(sink.objects[key.replace(".jsonl.gz", ".manifest.json")].body)
    assert (key, 2) == (manifest["bundleKey"], manifest["count"])


def test_a_redelivered_batch_writes_nothing_new() -> None:
    """The same messages again are acknowledged from the claims; no second bundle."""
    source, sink, bundler = setup()
    a = source.put("in", "a", b"1\n", at=AT)
    bundler.process([note("m1", a)])
    again = bundler.process([note("m1", a)])
    assert ((), ()) == (again.failures, again.written)
    assert 1 == len(bundles(sink))


def test_a_regrouped_source_stays_in_the_bundle_that_claimed_it() -> None:
    """A source redelivered beside a new one is not bundled again; the new one is."""
    source, sink, bundler = setup()
    a = source.put("in", "a", b"1\n", at=AT)
    c = source.put("in", "c", b"3\n", at=AT)
    bundler.process([note("m1", a)])
    report = bundler.process([note("m1", a), note("m3", c)])
    assert () == report.failures
    assert sorted([b"1\n", b"3\n"]) == sorted(bundles(sink).values())


def test_an_overwritten_key_is_bundled_again_as_a_new_version() -> None:
    """Claims are per version: a new version of a bundled key gets a bundle of its own."""
    source, sink, bundler = setup()
    bundler.process([note("m1", source.put("in", "a", b"old\n", at=AT))])
    bundler.process([note("m2", source.put("in", "a", b"new\n", at=AT))])
    assert sorted([b"new\n", b"old\n"]) == sorted(bundles(sink).values())


def test_a_version_deleted_before_bundling_is_reported_and_left_out() -> None:
    """The manifest lists it as unavailable; the message is acknowledged, not retried."""
    source, _, bundler = setup()
    a = source.put("in", "a", b"1\n", at=AT)
    gone = source.put("in", "gone", b"2\n", at=AT)
    source.delete("in", "gone", gone.version_id)
    report = bundler.process([note("m1", a), note("m2", gone)])
    assert ((), (gone.identity,)) == (report.failures, report.unavailable)
    manifest = report.written[0].manifest
    assert manifest is not None
    assert ((gone.identity,), 1) == (manifest.unavailable, manifest.count)


def test_an_unversioned_key_overwritten_before_bundling_is_reported_replaced() -> None:
    """Without versions the read sends If-Match on the ETag; new content is not bundled."""
    source, _, bundler = setup(versioned=False)
    first = source.put("in", "a", b"first\n", at=AT)
    source.put("in", "a", b"second\n", at=AT)
    report = bundler.process([note("m1", first)])
    assert ((), (first.identity,), ()) == (report.failures, report.unavailable, report.written)


def test_malformed_and_skipped_messages_do_not_fail_the_others() -> None:
    """A malformed message alone is reported; a skipped one is acknowledged."""
    source, _, bundler = setup()
    a = source.put("in", "a", b"1\n", at=AT)
    report = bundler.process(
        [
            note("m1", a),
            Malformed(message_id="bad", reason="not JSON"),
            Skipped(message_id="test", reason="s3:TestEvent"),
        ]
    )
    assert (("bad",), 2) == (report.failures, report.acknowledged)
    assert {"batchItemFailures": [{"itemIdentifier": "bad"}]} == report.response()


def test_a_failing_read_fails_only_that_bundles_messages() -> None:
    """Sources in two bundles: an error in one leaves the other bundled and acknowledged."""

    class Broken(InMemoryObjectSource):
        def read(self, ref: SourceRef):  # type: ignore[no-untyped-def]  # test double
            if ref.key == "bad":
                raise OSError("connection reset")
            return super().read(ref)

    source = Broken()
    sink = InMemoryBundleSink()
    bundler = Bundler(
        source=source, sink=sink, claims=InMemoryDedupStore(), max_sources=1, prefix="b/"
    )
    good = source.put("in", "good", b"1\n", at=AT)
    bad = source.put("in", "bad", b"2\n", at=AT)
    report = bundler.process([note("m1", good), note("m2", bad)])
    assert ("m2",) == report.failures
    assert [b"1\n"] == list(bundles(sink).values())


def test_config_reads_required_and_optional_settings() -> None:
    """Every setting comes from its variable; numbers and choices are checked."""
    config = BundlerConfig.from_env(
        {
            "DISTRIBUTION_BUCKET": "out",
            "CLAIMS_TABLE": "claims",
            "BUNDLE_FORMAT": "TAR",
            "MAX_BUNDLE_BYTES": "1024",
            "MAX_BUNDLE_SOURCES": "7",
            "BUNDLE_KMS_KEY_ID": "arn:key",
        }
    )
    assert ("tar", 1024, 7, "arn:key") == (
        config.format,
        config.max_bundle_bytes,
        config.max_bundle_sources,
        config.kms_key_id,
    )


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"CLAIMS_TABLE": "c"}, "DISTRIBUTION_BUCKET"),
        (
            {"DISTRIBUTION_BUCKET": "d", "CLAIMS_TABLE": "c", "MAX_BUNDLE_SOURCES": "251"},
            "MAX_BUNDLE_SOURCES",
        ),
        (
            {"DISTRIBUTION_BUCKET": "d", "CLAIMS_TABLE": "c", "PART_SIZE_BYTES": "1024"},
            "PART_SIZE_BYTES",
        ),
    ],
)
def test_config_errors_name_the_variable(environ: dict[str, str], named: str) -> None:
    """A missing or out-of-range setting is a ConfigurationError naming it."""
    with pytest.raises(ConfigurationError, match=named):
        BundlerConfig.from_env(environ)
