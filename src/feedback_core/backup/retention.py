"""List exports under a prefix and prune old ones, by manifest.

An export is *complete* when its ``manifest-summary.json`` exists. Pruning keeps the newest
``keep_last`` complete exports and every complete export younger than ``max_age_days`` (and the
newest complete export always); it deletes the rest, folder by folder, except any object that a
kept manifest names, so a part shared with a kept export is never removed. Incomplete exports
are left alone: one may be in progress, and a rerun of the export finishes it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import attrs

from feedback_core.backup.format import SUMMARY_NAME, export_folder
from feedback_core.backup.verify import read_manifest
from feedback_core.errors import BackupError

if TYPE_CHECKING:
    from feedback_core.backup.ports import ObjectStore

__all__ = ["ExportListing", "PruneResult", "list_exports", "prune_exports"]


@attrs.frozen(kw_only=True)
class ExportListing:
    """One export found under a prefix.

    Attributes:
        export_id: The folder's name.
        folder: The export's folder.
        complete: Whether its manifest summary exists.
        native: Whether DynamoDB wrote it.
        table: The table's name (from the table ARN), if known.
        item_count: Items, if complete.
        export_time: ``exportTime`` (ISO 8601), if complete.
        age_days: Days since ``exportTime`` (or since its last object was written).
    """

    export_id: str
    folder: str
    complete: bool
    native: bool = False
    table: str = ""
    item_count: int = 0
    export_time: str = ""
    age_days: float = 0.0


@attrs.frozen(kw_only=True)
class PruneResult:
    """What pruning did (or, dry run, would do)."""

    kept: tuple[str, ...]
    pruned: tuple[str, ...]
    deleted_keys: int
    spared_keys: tuple[str, ...]
    dry_run: bool


def _age_days(iso: str, now: float) -> float:
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (now - when.timestamp()) / 86400


def list_exports(
    store: ObjectStore, prefix: str, *, now: float | None = None
) -> list[ExportListing]:
    """Return the exports under ``prefix``, newest first (incomplete ones last).

    Args:
        store: The bucket.
        prefix: The export prefix (what ``ExportOptions.prefix`` or ``S3Prefix`` was).
        now: Seconds since the epoch (default: now).
    """
    now = datetime.now(UTC).timestamp() if now is None else now
    root = export_folder(prefix, "x")[: -len("x/")]
    listings = []
    for folder in store.folders(root):
        export_id = folder[len(root) : -1]
        if export_id.startswith("_"):
            continue  # _in-progress pointers, not an export
        if store.info(folder + SUMMARY_NAME) is None:
            newest = max((i.modified for i in store.list_objects(folder)), default=now)
            listings.append(
                ExportListing(
                    export_id=export_id,
                    folder=folder,
                    complete=False,
                    age_days=(now - newest) / 86400,
                )
            )
            continue
        try:
            summary = read_manifest(store, folder).summary
        except BackupError:
            listings.append(ExportListing(export_id=export_id, folder=folder, complete=False))
            continue
        listings.append(
            ExportListing(
                export_id=export_id,
                folder=folder,
                complete=True,
                native=summary.native,
                table=summary.table_arn.rsplit("/", 1)[-1]
                or (summary.table.name if summary.table else ""),
                item_count=summary.item_count,
                export_time=summary.export_time,
                age_days=_age_days(summary.export_time, now) if summary.export_time else 0.0,
            )
        )
    return sorted(listings, key=lambda x: (not x.complete, x.age_days))


def prune_exports(
    store: ObjectStore,
    prefix: str,
    *,
    keep_last: int | None = None,
    max_age_days: float | None = None,
    dry_run: bool = False,
    now: float | None = None,
) -> PruneResult:
    """Delete complete exports beyond ``keep_last`` and older than ``max_age_days``.

    An export is kept if it is among the newest ``keep_last`` **or** younger than
    ``max_age_days``; with neither given nothing is pruned. The newest complete export is
    always kept.

    Raises:
        ValueError: ``keep_last`` below 1 or a negative age.
    """
    if keep_last is not None and keep_last < 1:
        raise ValueError("keep_last must be at least 1")
    if max_age_days is not None and max_age_days < 0:
        raise ValueError("max_age_days must not be negative")
    complete = [x for x in list_exports(store, prefix, now=now) if x.complete]
    keep: list[ExportListing] = []
    drop: list[ExportListing] = []
    if keep_last is None and max_age_days is None:
        keep = complete
    else:
        for rank, listing in enumerate(complete):
            by_count = keep_last is not None and rank < keep_last
            by_age = max_age_days is not None and listing.age_days <= max_age_days
            (keep if rank == 0 or by_count or by_age else drop).append(listing)
    named = {part.key for listing in keep for part in read_manifest(store, listing.folder).parts}
    deleted = 0
    spared: list[str] = []
    for listing in drop:
        keys = [i.key for i in store.list_objects(listing.folder)]
        spared += [k for k in keys if k in named]
        doomed = [k for k in keys if k not in named]
        # The summary goes first, so an interrupted prune never leaves a "complete" export
        # whose parts are gone.
        doomed.sort(key=lambda k: not k.endswith(SUMMARY_NAME))
        deleted += len(doomed)
        if not dry_run:
            store.delete(doomed)
    return PruneResult(
        kept=tuple(x.export_id for x in keep),
        pruned=tuple(x.export_id for x in drop),
        deleted_keys=deleted,
        spared_keys=tuple(spared),
        dry_run=dry_run,
    )
