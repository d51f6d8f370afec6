"""Export a table: a parallel scan streamed into gzip parts, a manifest written last, resumable.

Each scan segment runs in its own thread and writes its parts one after the other, so memory
holds one part's compression buffer per worker (about 8 MiB), whatever the table's size. A part
becomes visible only when its upload completes (S3 multipart), and a small progress record is
written after it naming where the segment's scan goes on from. A rerun after a crash (or a
Lambda timeout) reads those records and carries on from there; a part that was uploaded but
not recorded is written again under the same key, so no half-written part and no stray part is
left. ``manifest-summary.json`` is written last: its presence means the export is complete.

A scan is not a point-in-time view: an item written while the scan runs may or may not be in
the export. Where that matters, use ``ExportTableToPointInTime`` (:mod:`.dynamodb`).
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import attrs
import orjson

from feedback_core.backup.format import (
    DATA_FOLDER,
    FILES_NAME,
    STARTED_NAME,
    SUMMARY_NAME,
    ExportSummary,
    PartEncoder,
    PartEntry,
    comparable_text,
    decode_line,
    encode_line,
    export_folder,
    manifest_files_bytes,
    md5_hex,
    summary_bytes,
)
from feedback_core.errors import BackupError

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.backup.model import Item, TableDescription
    from feedback_core.backup.ports import ObjectStore, TableSource

__all__ = ["ExportOptions", "ExportResult", "Progress", "export_table", "segments_for"]

PROGRESS_FOLDER = "_progress/"
SEGMENT_BYTES = 512 * 1024 * 1024
"""Table bytes per scan segment when the count is chosen from the table's size."""


@attrs.frozen(kw_only=True)
class Progress:
    """Running totals, reported after every scan page (for progress bars)."""

    items: int
    bytes: int
    parts: int


@attrs.frozen(kw_only=True)
class ExportOptions:
    """How to export.

    Attributes:
        prefix: The key prefix exports go under (``<prefix>/AWSDynamoDB/<exportId>/``).
        segments: Scan segments; ``None`` chooses from the table's size (:func:`segments_for`).
        workers: Segments scanned at once (threads); memory grows with this, not the table.
        part_bytes: Start a new part after this many uncompressed bytes.
        group_attribute: Count items per value of this attribute (e.g. ``surveyId``).
        time_attribute: Record the earliest and latest value of this attribute.
        compression_level: zlib level for the parts, 1 (fast) to 9 (small).
    """

    prefix: str = ""
    segments: int | None = None
    workers: int = 4
    part_bytes: int = 128 * 1024 * 1024
    group_attribute: str | None = None
    time_attribute: str | None = None
    compression_level: int = 6


@attrs.frozen(kw_only=True)
class ExportResult:
    """What an export run did.

    Attributes:
        export_id: The export's id (its folder's name).
        folder: The export's folder, ending in ``/``.
        complete: Whether the manifest is written; ``False`` when the run was told to stop.
        resumed: Whether this run carried on an export an earlier run started.
        item_count: Items in the export so far.
        part_count: Parts written so far.
        size_bytes: Compressed bytes in those parts.
        summary: The manifest summary, once complete.
    """

    export_id: str
    folder: str
    complete: bool
    resumed: bool
    item_count: int
    part_count: int
    size_bytes: int
    summary: ExportSummary | None = None

    @property
    def summary_key(self) -> str:
        """The key of ``manifest-summary.json``."""
        return self.folder + SUMMARY_NAME


def _result(
    export_id: str,
    folder: str,
    entries: list[PartEntry],
    *,
    resumed: bool,
    summary: ExportSummary | None = None,
) -> ExportResult:
    return ExportResult(
        export_id=export_id,
        folder=folder,
        complete=summary is not None,
        resumed=resumed,
        item_count=sum(e.item_count for e in entries),
        part_count=len(entries),
        size_bytes=sum(e.size or 0 for e in entries),
        summary=summary,
    )


def segments_for(description: TableDescription, workers: int) -> int:
    """Choose the scan's segment count: one per 512 MiB of table, at least one per worker.

    Examples:
        >>> from feedback_core.backup.model import TableDescription
        >>> small = TableDescription(name="t", key_schema=(), attribute_definitions=())
        >>> segments_for(small, 4)
        4
        >>> segments_for(attrs.evolve(small, size_bytes=10 * 2**30), 4)
        20
    """
    return max(workers, 1, min(1000, math.ceil(description.size_bytes / SEGMENT_BYTES)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _pointer_key(prefix: str, table: str) -> str:
    return export_folder(prefix, "_in-progress")[:-1] + f"/{table}.json"


@attrs.frozen(kw_only=True)
class _Checkpoint:
    segment: int
    part: int
    entry: PartEntry
    uncompressed: int
    groups: dict[str, int]
    earliest: str | None
    latest: str | None
    next_key: Item | None

    def to_bytes(self) -> bytes:
        return orjson.dumps(
            {
                "segment": self.segment,
                "part": self.part,
                "entry": self.entry.to_json(),
                "uncompressed": self.uncompressed,
                "groups": self.groups,
                "earliest": self.earliest,
                "latest": self.latest,
                # The key in DynamoDB JSON, binaries in base64, as a data line holds an item.
                "nextKey": None if self.next_key is None else encode_line(self.next_key).decode(),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> _Checkpoint:
        doc = orjson.loads(data)
        return cls(
            segment=doc["segment"],
            part=doc["part"],
            entry=PartEntry.from_json(doc["entry"]),
            uncompressed=doc["uncompressed"],
            groups=doc["groups"],
            earliest=doc["earliest"],
            latest=doc["latest"],
            next_key=None if doc["nextKey"] is None else decode_line(doc["nextKey"]),
        )


class _Run:
    """One export run's shared state: totals, the stop flag, the checkpoints."""

    def __init__(
        self,
        *,
        source: TableSource,
        store: ObjectStore,
        options: ExportOptions,
        folder: str,
        total_segments: int,
        should_stop: Callable[[], bool],
        progress: Callable[[Progress], None] | None,
        done: list[_Checkpoint],
    ) -> None:
        self.source = source
        self.store = store
        self.options = options
        self.folder = folder
        self.total_segments = total_segments
        self.should_stop = should_stop
        self.progress = progress
        self.checkpoints = done
        self.lock = threading.Lock()
        self.failed = threading.Event()
        self.stopped = threading.Event()
        self.items = sum(c.entry.item_count for c in done)
        self.bytes = sum(c.entry.size or 0 for c in done)

    def report(self, items: int, size: int, parts: int) -> None:
        with self.lock:
            self.items += items
            self.bytes += size
            snapshot = Progress(
                items=self.items, bytes=self.bytes, parts=len(self.checkpoints) + parts
            )
        if self.progress is not None:
            self.progress(snapshot)

    def segment(self, segment: int) -> None:
        mine = [c for c in self.checkpoints if c.segment == segment]
        last = max(mine, key=lambda c: c.part, default=None)
        if last is not None and last.next_key is None:
            return  # this segment finished in an earlier run
        part = 0 if last is None else last.part + 1
        start_key = None if last is None else last.next_key
        while True:
            if self.failed.is_set() or self.should_stop():
                self.stopped.set()
                return
            checkpoint = self._part(segment, part, start_key)
            with self.lock:
                self.checkpoints.append(checkpoint)
            if checkpoint.next_key is None:
                return
            start_key = checkpoint.next_key
            part += 1

    def _part(self, segment: int, part: int, start_key: Item | None) -> _Checkpoint:
        name = f"s{segment:04d}-p{part:05d}"
        key = f"{self.folder}{DATA_FOLDER}{name}.json.gz"
        writer = self.store.open(key)
        encoder = PartEncoder(
            writer,
            key=key,
            group_attribute=self.options.group_attribute,
            time_attribute=self.options.time_attribute,
            level=self.options.compression_level,
        )
        try:
            while True:
                page = self.source.scan_page(
                    segment=segment, total_segments=self.total_segments, start_key=start_key
                )
                before = encoder.uncompressed
                encoder.add(page.items)
                start_key = page.last_key
                self.report(len(page.items), encoder.uncompressed - before, 0)
                if start_key is None or encoder.uncompressed >= self.options.part_bytes:
                    break
            stats = encoder.finish()
        except BaseException:
            writer.abort()
            raise
        checkpoint = _Checkpoint(
            segment=segment,
            part=part,
            entry=stats.entry,
            uncompressed=stats.uncompressed,
            groups=stats.groups,
            earliest=comparable_text(stats.earliest),
            latest=comparable_text(stats.latest),
            next_key=start_key,
        )
        self.store.put(f"{self.folder}{PROGRESS_FOLDER}{name}.json", checkpoint.to_bytes())
        return checkpoint


def export_table(
    source: TableSource,
    store: ObjectStore,
    options: ExportOptions | None = None,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    progress: Callable[[Progress], None] | None = None,
) -> ExportResult:
    """Export a table into ``store``, or carry on the export an earlier run left unfinished.

    Args:
        source: The table.
        store: The bucket.
        options: Prefix, parallelism, part size, what to count.
        should_stop: Asked before each part; ``True`` ends the run early, resumable (a Lambda
            handler passes "less than two minutes left").
        progress: Called with running totals after every scan page.

    Returns:
        The export's id, folder and totals; ``complete`` says whether the manifest is written.

    Raises:
        ServiceError: a read or write failed after retries; rerun to carry on.

    Examples:
        >>> from feedback_core.backup.memory import InMemoryObjectStore, InMemoryTable
        >>> from feedback_core.backup.model import (
        ...     AttributeDefinition, KeyElement, TableDescription)
        >>> table = InMemoryTable(TableDescription(
        ...     name="votes", key_schema=(KeyElement(name="id", key_type="HASH"),),
        ...     attribute_definitions=(AttributeDefinition(name="id", attribute_type="S"),)))
        >>> for n in range(250):
        ...     table.put({"id": {"S": f"v{n}"}, "n": {"N": str(n)}})
        >>> result = export_table(table, InMemoryObjectStore(), ExportOptions(workers=2))
        >>> result.complete, result.item_count
        (True, 250)
    """
    options = options or ExportOptions()
    description = source.describe()
    pointer = _pointer_key(options.prefix, description.name)
    found = store.info(pointer)
    resumed = found is not None
    if found is not None:
        state = orjson.loads(b"".join(store.read(pointer)))
        export_id, total, start_time = state["exportId"], state["totalSegments"], state["startTime"]
    else:
        start_time = _now()
        export_id = f"{int(time.time() * 1000):014d}-{secrets.token_hex(4)}"
        total = options.segments or segments_for(description, options.workers)
        store.put(
            pointer,
            orjson.dumps({"exportId": export_id, "totalSegments": total, "startTime": start_time}),
        )
    folder = export_folder(options.prefix, export_id)
    if store.info(folder + SUMMARY_NAME) is not None:  # finished, but the pointer outlived it
        store.delete([pointer])
        return _finished(store, folder, export_id, resumed=True)
    store.put(folder + STARTED_NAME, b"")
    done = [
        _Checkpoint.from_bytes(b"".join(store.read(info.key)))
        for info in store.list_objects(folder + PROGRESS_FOLDER)
    ]
    run = _Run(
        source=source,
        store=store,
        options=options,
        folder=folder,
        total_segments=total,
        should_stop=should_stop,
        progress=progress,
        done=done,
    )

    def work(segment: int) -> None:
        try:
            run.segment(segment)
        except BaseException:
            run.failed.set()  # the other workers stop at their next part
            raise

    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        for future in [pool.submit(work, s) for s in range(total)]:
            future.result()
    checkpoints = sorted(run.checkpoints, key=lambda c: (c.segment, c.part))
    if run.stopped.is_set():
        return _result(export_id, folder, [c.entry for c in checkpoints], resumed=resumed)
    summary = _summary(
        store,
        options=options,
        description=description,
        folder=folder,
        total=total,
        start_time=start_time,
        checkpoints=checkpoints,
    )
    entries = [c.entry for c in checkpoints]
    _write_manifest(store, folder, summary, entries)
    store.delete([pointer])
    return _result(export_id, folder, entries, resumed=resumed, summary=summary)


def _summary(
    store: ObjectStore,
    *,
    options: ExportOptions,
    description: TableDescription,
    folder: str,
    total: int,
    start_time: str,
    checkpoints: list[_Checkpoint],
) -> ExportSummary:
    groups: Counter[str] = Counter()
    for checkpoint in checkpoints:
        groups.update(checkpoint.groups)
    earliest = [c.earliest for c in checkpoints if c.earliest is not None]
    latest = [c.latest for c in checkpoints if c.latest is not None]
    export_id = folder.rstrip("/").rsplit("/", 1)[-1]
    return ExportSummary(
        export_arn=f"{description.arn or description.name}/feedback-core-export/{export_id}",
        start_time=start_time,
        end_time=_now(),
        table_arn=description.arn,
        table_id=description.table_id,
        export_time=start_time,
        bucket=store.bucket,
        prefix=options.prefix.strip("/"),
        manifest_files_key=folder + FILES_NAME,
        billed_size_bytes=sum(c.uncompressed for c in checkpoints),
        item_count=sum(c.entry.item_count for c in checkpoints),
        table=description,
        group_attribute=options.group_attribute,
        group_counts=tuple(sorted(groups.items())),
        time_attribute=options.time_attribute,
        earliest=_extreme(earliest, min),
        latest=_extreme(latest, max),
        total_segments=total,
        consistency="scan",
    )


def _extreme(values: list[str], pick: Callable[..., object]) -> str | None:
    """The smallest or largest value: numerically when every value is a number."""
    if not values:
        return None
    try:
        return str(pick(Decimal(v) for v in values))
    except InvalidOperation:
        return str(pick(values))


def _write_manifest(
    store: ObjectStore, folder: str, summary: ExportSummary, entries: list[PartEntry]
) -> None:
    files = manifest_files_bytes(entries)
    store.put(folder + FILES_NAME, files)
    store.put(folder + "manifest-files.checksum", md5_hex(files).encode())
    body = summary_bytes(summary)
    store.put(folder + "manifest-summary.checksum", md5_hex(body).encode())
    store.put(folder + SUMMARY_NAME, body)  # last: its presence means "complete"


def _finished(store: ObjectStore, folder: str, export_id: str, *, resumed: bool) -> ExportResult:
    from feedback_core.backup.format import parse_manifest_files, parse_summary

    summary = parse_summary(b"".join(store.read(folder + SUMMARY_NAME)))
    try:
        entries = parse_manifest_files(b"".join(store.read(folder + FILES_NAME)))
    except (KeyError, ValueError) as exc:
        raise BackupError(f"export {export_id} has a summary but no readable file list") from exc
    return _result(export_id, folder, entries, resumed=resumed, summary=summary)
