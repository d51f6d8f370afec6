"""Export: complete, counted, bounded in memory, and resumable after a crash at any step."""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Sequence
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_core.aws import Backoff
from feedback_core.backup.export import ExportOptions, export_table, segments_for
from feedback_core.backup.format import decode_line, parse_manifest_files
from feedback_core.backup.memory import InMemoryObjectStore, InMemoryTable
from feedback_core.backup.model import Item, ObjectInfo, ScanPage, TableDescription
from feedback_core.backup.restore import restore_export
from feedback_core.backup.verify import verify_export
from tests.unit.backup.tables import (
    SURVEYS,
    Crash,
    CrashingSource,
    CrashingStore,
    Steps,
    every_type_table,
)

OPTIONS = ExportOptions(prefix="backups/surveys", workers=3, segments=3, part_bytes=20_000)


def exported_items(store: InMemoryObjectStore, folder: str) -> list[Item]:
    """Every item in the export's parts, in key order."""
    entries = parse_manifest_files(store.objects[folder + "manifest-files.json"][0])
    items = [
        decode_line(line)
        for entry in entries
        for line in gzip.decompress(store.objects[entry.key][0]).splitlines()
    ]
    return sorted(items, key=lambda i: (i["surveyId"]["S"], i["responseId"]["S"]))


def test_an_export_holds_every_item_exactly() -> None:
    """Every item is in exactly one part, byte-exact, and the manifest counts them."""
    table = every_type_table(300)
    store = InMemoryObjectStore()
    result = export_table(table, store, OPTIONS)
    assert (True, 300) == (result.complete, result.item_count)
    assert table.items() == exported_items(store, result.folder)
    assert result.part_count > 3  # several parts per segment at this part size
    assert verify_export(store, result.folder).ok


def test_the_summary_counts_groups_and_the_time_range() -> None:
    """Items per survey and the earliest and latest submittedAt land in the summary."""
    options = ExportOptions(group_attribute="surveyId", time_attribute="submittedAt", workers=2)
    result = export_table(every_type_table(90), InMemoryObjectStore(), options)
    assert result.summary is not None
    assert (("survey-0", 30), ("survey-1", 30), ("survey-2", 30)) == result.summary.group_counts
    expected = ("2026-11-01T10:00:00Z", "2026-11-28T10:00:00Z")
    assert expected == (result.summary.earliest, result.summary.latest)
    assert SURVEYS.key_schema == result.summary.table.key_schema  # type: ignore[union-attr]


def test_the_manifest_is_written_last() -> None:
    """manifest-summary.json is the last object written, and the in-progress pointer goes."""
    store = InMemoryObjectStore()
    written: list[str] = []
    original = store.put

    def recording_put(key: str, data: bytes) -> str:
        written.append(key)
        return original(key, data)

    store.put = recording_put  # type: ignore[method-assign]
    export_table(every_type_table(50), store, OPTIONS)
    assert written[-1].endswith("manifest-summary.json")
    assert not [k for k in store.objects if "_in-progress" in k]


def test_an_empty_table_exports_empty_parts() -> None:
    """An empty table gives a complete export of zero items, as a native export does."""
    store = InMemoryObjectStore()
    result = export_table(InMemoryTable(SURVEYS), store, ExportOptions(segments=2))
    assert (True, 0) == (result.complete, result.item_count)
    assert verify_export(store, result.folder).ok


def test_segments_grow_with_the_table_size() -> None:
    """One segment per 512 MiB, never fewer than the workers."""
    assert 4 == segments_for(SURVEYS, 4)
    big = TableDescription(**{**_fields(SURVEYS), "size_bytes": 100 * 2**30})
    assert 200 == segments_for(big, 4)


def _fields(description: TableDescription) -> dict[str, object]:
    return {a.name: getattr(description, a.name) for a in description.__attrs_attrs__}


def test_a_stopped_export_resumes_and_completes() -> None:
    """An export told to stop leaves no manifest; the next run carries on to the same result."""
    table = every_type_table(300)
    store = InMemoryObjectStore()
    calls = iter(range(1000))
    first = export_table(table, store, OPTIONS, should_stop=lambda: next(calls) >= 4)
    assert not first.complete
    assert first.folder + "manifest-summary.json" not in store.objects
    second = export_table(table, store, OPTIONS)
    assert (True, True, first.export_id) == (second.complete, second.resumed, second.export_id)
    assert table.items() == exported_items(store, second.folder)
    assert verify_export(store, second.folder).ok


def count_steps(make: type[CrashingStore] | type[CrashingSource]) -> int:
    steps = Steps()
    table = every_type_table(120)
    store = InMemoryObjectStore()
    if make is CrashingStore:
        export_table(table, CrashingStore(store, steps), OPTIONS)
    else:
        export_table(CrashingSource(table, steps), store, OPTIONS)
    return steps.count


@pytest.mark.parametrize("where", [CrashingStore, CrashingSource])
def test_a_crash_at_any_step_then_a_rerun_gives_a_complete_exact_export(
    where: type[CrashingStore] | type[CrashingSource],
) -> None:
    """Die at each write (or scan page) in turn; the rerun's export verifies and is exact."""
    total = count_steps(where)
    assert total > 5
    for at in range(1, total + 1):
        table = every_type_table(120)
        store = InMemoryObjectStore()
        steps = Steps(at)
        if where is CrashingStore:
            with pytest.raises(Crash):
                export_table(table, CrashingStore(store, steps), OPTIONS)
        else:
            with pytest.raises(Crash):
                export_table(CrashingSource(table, steps), store, OPTIONS)
        result = export_table(table, store, OPTIONS)
        report = verify_export(store, result.folder)
        assert (True, ()) == (result.complete, report.problems), f"crash at step {at}"
        assert table.items() == exported_items(store, result.folder), f"crash at step {at}"


class GeneratedTable:
    """A table of ``count`` items made on the fly, page by page (nothing held)."""

    def __init__(self, count: int) -> None:
        self.count = count

    def describe(self) -> TableDescription:
        return SURVEYS

    def scan_page(self, *, segment: int, total_segments: int, start_key: Item | None) -> ScanPage:
        share = self.count // total_segments
        start = 0 if start_key is None else int(start_key["responseId"]["S"]) + 1
        stop = min(start + 500, share)
        items: Sequence[Item] = [
            {
                "surveyId": {"S": f"s{segment}"},
                "responseId": {"S": str(n)},
                "text": {"S": "x" * 200},
            }
            for n in range(start, stop)
        ]
        last = items[-1] if stop < share else None
        return ScanPage(items=list(items), last_key=last)


class CountingStore(InMemoryObjectStore):
    """Keeps only the sizes of parts, so memory measures the exporter, not the fake bucket."""

    def put(self, key: str, data: bytes) -> str:
        return super().put(key, data if "/data/" not in key else b"")

    def info(self, key: str) -> ObjectInfo | None:
        return super().info(key)


def peak_bytes(count: int) -> int:
    tracemalloc.start()
    try:
        result = export_table(
            GeneratedTable(count), CountingStore(), ExportOptions(workers=2, segments=2)
        )
        assert count == result.item_count
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_table() -> None:
    """Exporting 8 times as many items peaks at about the same memory (parts in flight)."""
    small, large = peak_bytes(5_000), peak_bytes(40_000)
    assert large < small * 1.5 + 2 * 2**20
    assert large < 40 * 2**20


def test_a_resumed_export_reads_its_progress_records() -> None:
    """Progress records name each finished part and where its segment's scan goes on."""
    store = InMemoryObjectStore()
    export_table(
        every_type_table(60), store, OPTIONS, should_stop=iter([False, True] * 99).__next__
    )
    records = [orjson.loads(v[0]) for k, v in store.objects.items() if "/_progress/" in k]
    assert records
    assert all({"segment", "part", "entry", "nextKey"} <= set(r) for r in records)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["a", "b", "c"]),
            st.one_of(
                st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: {"N": str(d)}),
                st.binary(min_size=1).map(lambda b: {"B": b}),
                st.text().map(lambda t: {"S": t}),
                st.lists(st.text(), min_size=1, unique=True).map(lambda s: {"SS": s}),
            ),
        ),
        max_size=60,
    ),
    st.integers(min_value=1, max_value=4),
)
def test_any_table_round_trips_through_export_and_restore(
    bodies: list[dict[str, Any]], segments: int
) -> None:
    """Whatever the items and the segment count, a restore gives back exactly the table."""
    table = InMemoryTable(SURVEYS, page_size=7)
    for n, body in enumerate(bodies):
        table.put({**body, "surveyId": {"S": "s"}, "responseId": {"S": f"r{n}"}})
    store = InMemoryObjectStore()
    result = export_table(table, store, ExportOptions(segments=segments, part_bytes=2_000))
    assert verify_export(store, result.folder).ok
    target = InMemoryTable(SURVEYS)
    restore_export(store, result.folder, target, backoff=Backoff(sleep=lambda _: None))
    assert table.items() == target.items()
