"""Retention: list exports and prune by count or age, never a part a kept manifest names."""

from __future__ import annotations

import orjson
import pytest

from feedback_core.backup.export import ExportOptions, export_table
from feedback_core.backup.format import manifest_files_bytes, parse_manifest_files
from feedback_core.backup.memory import InMemoryObjectStore
from feedback_core.backup.retention import list_exports, prune_exports
from tests.unit.backup.tables import every_type_table

DAY = 86400.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def weekly_exports(count: int) -> tuple[InMemoryObjectStore, Clock, list[str]]:
    """``count`` exports a week apart (oldest first), and the clock a day after the last."""
    clock = Clock()
    store = InMemoryObjectStore(clock=clock)
    folders = []
    for week in range(count):
        clock.now = 1_800_000_000.0 + week * 7 * DAY
        result = export_table(every_type_table(20), store, ExportOptions(prefix="b", segments=1))
        # Exports record their own start time; pin it to the simulated week.
        key = result.folder + "manifest-summary.json"
        document = orjson.loads(store.objects[key][0])
        document["exportTime"] = f"2027-01-{1 + week * 7:02d}T00:00:00Z"
        store.put(key, orjson.dumps(document))
        folders.append(result.folder)
    return store, clock, folders


NOW = 1_800_000_000.0  # any "now": ages come from exportTime relative to it


def test_list_shows_exports_newest_first() -> None:
    """Listing returns every complete export, newest first, with counts."""
    store, _, folders = weekly_exports(3)
    found = list_exports(store, "b", now=_epoch("2027-01-20T00:00:00Z"))
    assert list(reversed(folders)) == [x.folder for x in found]
    assert {20} == {x.item_count for x in found}


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_prune_keeps_the_newest_by_count() -> None:
    """keep_last=2 deletes every object of the older exports and keeps the two newest."""
    store, _, folders = weekly_exports(4)
    result = prune_exports(store, "b", keep_last=2, now=_epoch("2027-01-25T00:00:00Z"))
    assert 2 == len(result.pruned)
    assert not [k for k in store.objects if k.startswith((folders[0], folders[1]))]
    assert [k for k in store.objects if k.startswith(folders[3])]


def test_prune_keeps_young_exports_by_age() -> None:
    """max_age_days keeps every export younger than that, whatever the count."""
    store, _, folders = weekly_exports(4)
    result = prune_exports(store, "b", max_age_days=10, now=_epoch("2027-01-25T00:00:00Z"))
    assert {f.split("/")[-2] for f in folders[2:]} == set(result.kept)


def test_the_newest_export_is_always_kept() -> None:
    """Even when every export is too old, the newest complete one stays."""
    store, _, folders = weekly_exports(2)
    result = prune_exports(store, "b", max_age_days=1, now=_epoch("2028-01-01T00:00:00Z"))
    assert (folders[1].split("/")[-2],) == result.kept


def test_a_part_named_by_a_kept_manifest_is_never_deleted() -> None:
    """If a kept manifest names a part inside a pruned export's folder, that part stays."""
    store, _, folders = weekly_exports(2)
    old_part = parse_manifest_files(store.objects[folders[0] + "manifest-files.json"][0])[0]
    key = folders[1] + "manifest-files.json"
    entries = [*parse_manifest_files(store.objects[key][0]), old_part]
    store.put(key, manifest_files_bytes(entries))
    result = prune_exports(store, "b", keep_last=1, now=_epoch("2027-01-25T00:00:00Z"))
    assert (old_part.key,) == result.spared_keys
    assert old_part.key in store.objects
    assert folders[0] + "manifest-summary.json" not in store.objects


def test_a_dry_run_deletes_nothing() -> None:
    """A dry run reports what it would delete and leaves the bucket as it was."""
    store, _, _ = weekly_exports(3)
    before = dict(store.objects)
    result = prune_exports(store, "b", keep_last=1, dry_run=True, now=NOW)
    assert (2, True) == (len(result.pruned), result.dry_run)
    assert before == store.objects


def test_an_incomplete_export_is_left_alone() -> None:
    """An export without a manifest (in progress, or cut short) is never pruned."""
    store, _, _ = weekly_exports(2)
    export_table(every_type_table(20), store, ExportOptions(prefix="b"), should_stop=lambda: True)
    incomplete = [x for x in list_exports(store, "b") if not x.complete]
    prune_exports(store, "b", keep_last=1, now=NOW)
    assert 1 == len(incomplete)
    assert [k for k in store.objects if k.startswith(incomplete[0].folder)]


def test_a_bad_keep_count_is_refused() -> None:
    """keep_last below 1 is a ValueError, not an empty bucket."""
    with pytest.raises(ValueError, match="keep_last"):
        prune_exports(InMemoryObjectStore(), "b", keep_last=0)
