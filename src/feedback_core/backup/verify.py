"""Verify an export: re-read every part, recompute checksums and counts, parse every line.

Works on our exports and on DynamoDB's native ones (same layout; SHA-256 and sizes are checked
only where the manifest records them). Every problem names the part and says what is wrong:

==================  ==========================================================================
kind                meaning
==================  ==========================================================================
``no-manifest``     ``manifest-summary.json`` or ``manifest-files.json`` is missing or unreadable
``missing``         the manifest lists a part that is not in the bucket
``extra``           a part sits in ``data/`` that the manifest does not list
``truncated``       the part ends early (fewer bytes than recorded, or the gzip stream stops)
``corrupt``         the part's bytes are damaged (bad gzip data or CRC)
``checksum``        its MD5 or SHA-256 differs from the manifest's
``unparsable``      a line is not a well-formed ``{"Item": {...}}``
``count``           it holds a different number of items than the manifest says
``summary-count``   the summary's ``itemCount`` is not the sum of the parts' counts
==================  ==========================================================================
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Literal

import attrs

from feedback_core.backup.format import (
    DATA_FOLDER,
    FILES_NAME,
    SUMMARY_NAME,
    ExportSummary,
    PartEntry,
    decode_line,
    gunzip,
    iter_lines,
    parse_manifest_files,
    parse_summary,
)
from feedback_core.errors import BackupError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from feedback_core.backup.ports import ObjectStore

__all__ = ["Manifest", "Problem", "ProblemKind", "VerifyReport", "read_manifest", "verify_export"]

ProblemKind = Literal[
    "no-manifest",
    "missing",
    "extra",
    "truncated",
    "corrupt",
    "checksum",
    "unparsable",
    "count",
    "summary-count",
]


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with one object of an export."""

    key: str
    kind: ProblemKind
    detail: str

    def __str__(self) -> str:
        """Return ``kind key: detail``."""
        return f"{self.kind} {self.key}: {self.detail}"


@attrs.frozen(kw_only=True)
class Manifest:
    """An export's two manifest files, read."""

    folder: str
    summary: ExportSummary
    parts: tuple[PartEntry, ...]


@attrs.frozen(kw_only=True)
class VerifyReport:
    """What a verification found.

    Attributes:
        folder: The export's folder.
        native: Whether DynamoDB wrote the export (no SHA-256 to check).
        parts: Parts checked.
        items: Items read and parsed.
        size_bytes: Bytes read.
        problems: Everything wrong, by part; empty when the export is sound.
    """

    folder: str
    native: bool
    parts: int
    items: int
    size_bytes: int
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return not self.problems


def read_manifest(store: ObjectStore, folder: str) -> Manifest:
    """Read an export's manifest.

    Raises:
        BackupError: a manifest file is missing or unreadable (the export is not complete).
    """
    folder = folder if folder.endswith("/") else folder + "/"
    try:
        summary = parse_summary(b"".join(store.read(folder + SUMMARY_NAME)))
        files_key = summary.manifest_files_key or folder + FILES_NAME
        parts = parse_manifest_files(b"".join(store.read(files_key)))
    except KeyError as exc:
        raise BackupError(f"{folder}: no manifest ({exc.args[0]} is missing)") from exc
    except ValueError as exc:
        raise BackupError(f"{folder}: unreadable manifest: {exc}") from exc
    return Manifest(folder=folder, summary=summary, parts=tuple(parts))


def _check_part(store: ObjectStore, entry: PartEntry) -> tuple[list[Problem], int, int]:
    """Check one part; return its problems, the items parsed and the bytes read."""
    info = store.info(entry.key)
    if info is None:
        return [Problem(key=entry.key, kind="missing", detail="not in the bucket")], 0, 0
    problems: list[Problem] = []
    if entry.size is not None and info.size < entry.size:
        problems.append(
            Problem(
                key=entry.key,
                kind="truncated",
                detail=f"{info.size} bytes, the manifest says {entry.size}",
            )
        )
    md5 = hashlib.md5()  # noqa: S324  # the manifest's checksum, not security
    sha = hashlib.sha256()
    size = 0

    def raw() -> Iterator[bytes]:
        nonlocal size
        for chunk in store.read(entry.key):
            md5.update(chunk)
            sha.update(chunk)
            size += len(chunk)
            yield chunk

    items = 0
    bad_lines = 0
    first_bad = ""
    readable = True
    chunks = raw()
    try:
        for number, line in enumerate(iter_lines(gunzip(chunks)), 1):
            try:
                decode_line(line)
                items += 1
            except ValueError as exc:
                bad_lines += 1
                first_bad = first_bad or f"line {number}: {exc}"
    except EOFError:
        readable = False
        if not any(p.kind == "truncated" for p in problems):
            problems.append(
                Problem(key=entry.key, kind="truncated", detail="the gzip stream is cut short")
            )
    except zlib.error as exc:
        readable = False
        problems.append(Problem(key=entry.key, kind="corrupt", detail=f"bad gzip data: {exc}"))
    for _ in chunks:  # read the rest, so the checksums cover the whole object
        pass
    if base64.b64encode(md5.digest()).decode() != entry.md5:
        problems.append(Problem(key=entry.key, kind="checksum", detail="MD5 differs"))
    if entry.sha256 is not None and sha.hexdigest() != entry.sha256:
        problems.append(Problem(key=entry.key, kind="checksum", detail="SHA-256 differs"))
    if bad_lines:
        problems.append(
            Problem(
                key=entry.key, kind="unparsable", detail=f"{bad_lines} bad line(s); {first_bad}"
            )
        )
    if readable and items + bad_lines != entry.item_count:
        problems.append(
            Problem(
                key=entry.key,
                kind="count",
                detail=f"holds {items + bad_lines} items, the manifest says {entry.item_count}",
            )
        )
    return problems, items, size


def verify_export(
    store: ObjectStore,
    folder: str,
    *,
    workers: int = 4,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyReport:
    """Verify every part of the export in ``folder`` against its manifest.

    Args:
        store: The bucket.
        folder: The export's folder (``<prefix>/AWSDynamoDB/<exportId>/``).
        workers: Parts read at once.
        progress: Called with (parts done, parts in all) after each part.

    Returns:
        The report; ``report.ok`` when nothing is wrong. A missing manifest is a problem in
        the report (kind ``no-manifest``), not an exception.
    """
    folder = folder if folder.endswith("/") else folder + "/"
    try:
        manifest = read_manifest(store, folder)
    except BackupError as exc:
        problem = Problem(key=folder + SUMMARY_NAME, kind="no-manifest", detail=str(exc))
        return VerifyReport(
            folder=folder, native=False, parts=0, items=0, size_bytes=0, problems=(problem,)
        )
    problems: list[Problem] = []
    listed = sum(p.item_count for p in manifest.parts)
    if listed != manifest.summary.item_count:
        problems.append(
            Problem(
                key=folder + SUMMARY_NAME,
                kind="summary-count",
                detail=f"itemCount {manifest.summary.item_count}, the parts add up to {listed}",
            )
        )
    done = 0
    items = 0
    size = 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for found, part_items, part_size in pool.map(
            lambda entry: _check_part(store, entry), manifest.parts
        ):
            problems += found
            items += part_items
            size += part_size
            done += 1
            if progress is not None:
                progress(done, len(manifest.parts))
    named = {p.key for p in manifest.parts}
    problems += [
        Problem(key=info.key, kind="extra", detail="in data/ but not in the manifest")
        for info in store.list_objects(folder + DATA_FOLDER)
        if info.key not in named
    ]
    return VerifyReport(
        folder=folder,
        native=manifest.summary.native,
        parts=len(manifest.parts),
        items=items,
        size_bytes=size,
        problems=tuple(problems),
    )
