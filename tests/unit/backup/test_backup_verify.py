"""Verify: every kind of damage is found and reported against the part it is in."""

from __future__ import annotations

import base64
import gzip
import hashlib

import orjson
import pytest

from feedback_core.backup.export import ExportOptions, ExportResult, export_table
from feedback_core.backup.format import (
    encode_line,
    manifest_files_bytes,
    parse_manifest_files,
)
from feedback_core.backup.memory import InMemoryObjectStore
from feedback_core.backup.verify import verify_export
from tests.unit.backup.tables import every_type_item, every_type_table


def _md5(data: bytes) -> hashlib._Hash:
    return hashlib.md5(data)  # noqa: S324  # DynamoDB's manifest checksum, not security


@pytest.fixture
def exported() -> tuple[InMemoryObjectStore, ExportResult, list[str]]:
    store = InMemoryObjectStore()
    result = export_table(
        every_type_table(200), store, ExportOptions(workers=2, segments=2, part_bytes=20_000)
    )
    parts = [
        e.key for e in parse_manifest_files(store.objects[result.folder + "manifest-files.json"][0])
    ]
    return store, result, parts


def problems(store: InMemoryObjectStore, folder: str) -> list[tuple[str, str]]:
    return [(p.kind, p.key) for p in verify_export(store, folder).problems]


def test_a_sound_export_verifies(
    exported: tuple[InMemoryObjectStore, ExportResult, list[str]],
) -> None:
    """An export as written has no problems and every item is read."""
    store, result, parts = exported
    report = verify_export(store, result.folder)
    assert (True, 200, len(parts)) == (report.ok, report.items, report.parts)


def test_a_truncated_part_is_reported(
    exported: tuple[InMemoryObjectStore, ExportResult, list[str]],
) -> None:
    """A part cut short is truncated (and its checksums differ), named by its key."""
    store, result, parts = exported
    data, when = store.objects[parts[1]]
    store.objects[parts[1]] = (data[: len(data) // 2], when)
    found = problems(store, result.folder)
    assert ("truncated", parts[1]) in found
    assert {parts[1]} == {key for _, key in found}


def test_a_flipped_byte_is_reported(
    exported: tuple[InMemoryObjectStore, ExportResult, list[str]],
) -> None:
    """One flipped byte in a part fails its checksums (and its gzip check)."""
    store, result, parts = exported
    data, when = store.objects[parts[0]]
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0x40
    store.objects[parts[0]] = (bytes(flipped), when)
    found = problems(store, result.folder)
    assert ("checksum", parts[0]) in found
    assert {parts[0]} == {key for _, key in found}


def test_a_missing_part_is_reported(
    exported: tuple[InMemoryObjectStore, ExportResult, list[str]],
) -> None:
    """A part the manifest lists but the bucket lacks is missing."""
    store, result, parts = exported
    del store.objects[parts[2]]
    assert [("missing", parts[2])] == problems(store, result.folder)


def test_an_extra_part_is_reported(
    exported: tuple[InMemoryObjectStore, ExportResult, list[str]],
) -> None:
    """A data file the manifest does not list is extra."""
    store, result, _ = exported
    stray = result.folder + "data/stray.json.gz"
    store.put(stray, gzip.compress(encode_line(every_type_item(1))))
    assert [("extra", stray)] == problems(store, result.folder)


def rewrite_manifest(store: InMemoryObjectStore, folder: str, change: dict[str, int]) -> None:
    key = folder + "manifest-files.json"
    entries = parse_manifest_files(store.objects[key][0])
    lines = [e.to_json() for e in entries]
    for index, count in change.items():
        lines[index]["itemCount"] = count
    store.put(key, b"".join(orjson.dumps(line) + b"\n" for line in lines))


def test_a_part_count_that_lies_is_reported(
    exported: tuple[InMemoryObjectStore, ExportResult, list[str]],
) -> None:
    """A manifest saying a part holds more items than it does: the part's count, and the sum."""
    store, result, parts = exported
    rewrite_manifest(store, result.folder, {1: 9999})
    found = problems(store, result.folder)
    assert ("count", parts[1]) in found
    assert ("summary-count", result.folder + "manifest-summary.json") in found


def test_a_summary_count_that_lies_is_reported(
    exported: tuple[InMemoryObjectStore, ExportResult, list[str]],
) -> None:
    """A summary itemCount that is not the parts' sum is reported on the summary."""
    store, result, _ = exported
    key = result.folder + "manifest-summary.json"
    document = orjson.loads(store.objects[key][0])
    document["itemCount"] += 1
    store.put(key, orjson.dumps(document))
    assert [("summary-count", key)] == problems(store, result.folder)


def test_an_unparsable_line_is_reported_with_its_number() -> None:
    """A valid gzip part with a line that is not an item is unparsable, line number given."""
    store = InMemoryObjectStore()
    folder = "AWSDynamoDB/x/"
    part = gzip.compress(encode_line(every_type_item(0)) + b'{"Item": {"a": {"N": "1e"}}}\n')
    store.put(folder + "data/p.json.gz", part)
    entry = {
        "itemCount": 2,
        "md5Checksum": base64.b64encode(_md5(part).digest()).decode(),
        "etag": "",
        "dataFileS3Key": folder + "data/p.json.gz",
    }
    store.put(folder + "manifest-files.json", orjson.dumps(entry) + b"\n")
    summary = {"manifestFilesS3Key": folder + "manifest-files.json", "itemCount": 2}
    store.put(folder + "manifest-summary.json", orjson.dumps(summary))
    (problem,) = verify_export(store, folder).problems
    assert ("unparsable", folder + "data/p.json.gz") == (problem.kind, problem.key)
    assert "line 2" in problem.detail


def test_a_missing_manifest_is_a_problem_not_an_exception() -> None:
    """Verifying a folder with no manifest reports no-manifest."""
    assert [("no-manifest", "x/manifest-summary.json")] == problems(InMemoryObjectStore(), "x")


def test_a_native_export_verifies_without_sha256() -> None:
    """An export laid out as DynamoDB writes it (MD5 only, random names) verifies."""
    store = InMemoryObjectStore()
    folder = "native/AWSDynamoDB/01693685827463-2d8752fd/"
    from feedback_core.backup.format import PartEntry

    entries = []
    for name, numbers in (("asdl123dasas", range(5)), ("qwe987zxc", range(5, 8)), ("empty", ())):
        data = gzip.compress(b"".join(encode_line(every_type_item(n)) for n in numbers))
        if not numbers:
            data = b""  # an empty partition's file
        key = f"{folder}data/{name}.json.gz"
        store.put(key, data)
        md5 = base64.b64encode(_md5(data).digest()).decode()
        entries.append(PartEntry(key=key, item_count=len(numbers), md5=md5, etag="e-1"))
    store.put(folder + "manifest-files.json", manifest_files_bytes(entries))
    summary = {
        "version": "2020-06-30",
        "manifestFilesS3Key": folder + "manifest-files.json",
        "itemCount": 8,
        "outputFormat": "DYNAMODB_JSON",
    }
    store.put(folder + "manifest-summary.json", orjson.dumps(summary))
    report = verify_export(store, folder)
    assert (True, True, 8) == (report.ok, report.native, report.items)
