"""``feedback-core backup``: export, verify, restore, list and prune table backups on S3.

Progress goes to stderr, results to stdout (``--json`` for scripts). Exit codes:

====  =================================================================
0     done; for ``verify``, the export is sound
1     ``verify`` (or a verifying ``restore``) found problems
2     the command line is wrong
3     AWS or the backup failed (the message says what; rerun to resume)
4     an ``export`` stopped early (``--max-seconds``); rerun to resume
====  =================================================================
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from feedback_core.errors import FeedbackCoreError, VerificationError

if TYPE_CHECKING:
    import argparse

__all__ = ["add_backup_commands", "run_backup_command"]

OK, PROBLEMS, USAGE, FAILED, STOPPED = 0, 1, 2, 3, 4


def add_backup_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backup`` and its sub-commands to the ``feedback-core`` sub-parsers."""
    backup = commands.add_parser("backup", help="export, verify, restore, list and prune backups")
    backup.set_defaults(run=run_backup_command)
    sub = backup.add_subparsers(dest="backup_command", required=True)

    def common(name: str, text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=text, description=text)
        parser.add_argument("--bucket", required=True, help="the backup bucket")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
        return parser

    export = common("export", "export a table to S3 (parallel scan, or --native)")
    export.add_argument("--table", required=True)
    export.add_argument("--prefix", default=None, help="key prefix (default backups/<table>)")
    export.add_argument("--workers", type=int, default=4)
    export.add_argument("--segments", type=int, default=None, help="default: from table size")
    export.add_argument("--part-mib", type=int, default=128)
    export.add_argument("--group-attribute", default=None)
    export.add_argument("--time-attribute", default=None)
    export.add_argument("--max-seconds", type=float, default=None, help="stop (resumably)")
    export.add_argument("--native", action="store_true", help="ExportTableToPointInTime")

    for name, text in (("verify", "verify an export"), ("restore", "restore an export")):
        parser = common(name, text)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--folder", help="the export's folder (…/AWSDynamoDB/<id>/)")
        where.add_argument("--export-id", help="with --prefix: the export's id, or 'latest'")
        parser.add_argument("--prefix", default="", help="the exports' key prefix")
        parser.add_argument("--workers", type=int, default=4)
        if name == "restore":
            parser.add_argument("--table", required=True, help="the target table")
            how = parser.add_mutually_exclusive_group()
            how.add_argument("--create", action="store_true", help="create the table first")
            how.add_argument(
                "--import",
                dest="use_import",
                action="store_true",
                help="ImportTable into a new table",
            )
            parser.add_argument("--dry-run", action="store_true")
            parser.add_argument("--no-verify", action="store_true")

    listing = common("list", "list the exports under a prefix")
    listing.add_argument("--prefix", required=True)
    prune = common("prune", "delete old exports (never a part a kept manifest names)")
    prune.add_argument("--prefix", required=True)
    prune.add_argument("--keep-last", type=int, default=None)
    prune.add_argument("--max-age-days", type=float, default=None)
    prune.add_argument("--dry-run", action="store_true")


class _Progress:
    """A one-line progress display on stderr, redrawn at most ten times a second."""

    def __init__(self, label: str, *, quiet: bool) -> None:
        self.label = label
        self.quiet = quiet
        self.last = 0.0
        self.tty = sys.stderr.isatty()

    def show(self, text: str, *, done: int = 0, total: int = 0, force: bool = False) -> None:
        """Redraw the line; with a ``total``, draw a bar of ``done`` out of it first."""
        now = time.monotonic()
        if self.quiet or (not force and now - self.last < (0.1 if self.tty else 5.0)):
            return
        self.last = now
        bar = ""
        if total > 0:
            share = min(1.0, done / total)
            filled = round(share * 20)
            bar = f"[{'#' * filled}{'.' * (20 - filled)}] {share:4.0%} "
        end = "" if self.tty else "\n"
        print(f"\r{self.label}: {bar}{text}".ljust(72), end=end, file=sys.stderr, flush=True)

    def done(self) -> None:
        if not self.quiet and self.tty:
            print(file=sys.stderr)


def _emit(args: argparse.Namespace, result: object, lines: list[str]) -> None:
    if args.json:
        document = attrs.asdict(result) if attrs.has(type(result)) else result  # type: ignore[arg-type]  # attrs checks at runtime
        print(orjson.dumps(document, option=orjson.OPT_INDENT_2, default=str).decode())
    else:
        print("\n".join(lines))


def _folder(args: argparse.Namespace, store: Any) -> str:
    if args.folder:
        return str(args.folder)
    from feedback_core.backup.format import export_folder
    from feedback_core.backup.retention import list_exports

    if args.export_id == "latest":
        complete = [x for x in list_exports(store, args.prefix) if x.complete]
        if not complete:
            raise FeedbackCoreError(f"no complete export under {args.prefix!r}")
        return complete[0].folder
    return export_folder(args.prefix, args.export_id)


def run_backup_command(args: argparse.Namespace) -> int:
    """Run one ``backup`` sub-command; return its exit code."""
    from feedback_core.backup.s3 import S3ObjectStore

    store = S3ObjectStore(args.bucket)
    progress = _Progress(args.backup_command, quiet=args.quiet)
    try:
        command = {
            "export": _export,
            "verify": _verify,
            "restore": _restore,
            "list": _list,
            "prune": _prune,
        }[args.backup_command]
        return command(args, store, progress)
    except VerificationError as error:
        progress.done()
        print(f"error: {error}", file=sys.stderr)
        return PROBLEMS
    except (FeedbackCoreError, ValueError) as error:
        progress.done()
        print(f"error: {error}", file=sys.stderr)
        return FAILED


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _export(args: argparse.Namespace, store: Any, progress: _Progress) -> int:
    from feedback_core.backup.dynamodb import (
        DynamoDBTable,
        start_native_export,
        wait_for_native_export,
    )
    from feedback_core.backup.export import ExportOptions, export_table

    prefix = args.prefix if args.prefix is not None else f"backups/{args.table}"
    table = DynamoDBTable(args.table)
    if args.native:
        started = start_native_export(table.describe().arn, args.bucket, prefix)
        progress.show(f"started {started.arn}", force=True)
        native = wait_for_native_export(started.arn, interval=10.0)
        progress.done()
        _emit(
            args,
            native,
            [
                f"native export {native.status}: {native.item_count} items",
                f"folder: s3://{args.bucket}/{native.folder}",
            ],
        )
        return OK
    deadline = None if args.max_seconds is None else time.monotonic() + args.max_seconds
    estimate = table.describe().item_count  # DynamoDB's estimate, updated every ~6 hours
    result = export_table(
        table,
        store,
        ExportOptions(
            prefix=prefix,
            segments=args.segments,
            workers=args.workers,
            part_bytes=args.part_mib * 2**20,
            group_attribute=args.group_attribute,
            time_attribute=args.time_attribute,
        ),
        should_stop=lambda: deadline is not None and time.monotonic() > deadline,
        progress=lambda p: progress.show(
            f"{p.items:,} items, {_mib(p.bytes)}, {p.parts} parts", done=p.items, total=estimate
        ),
    )
    progress.done()
    state = "complete" if result.complete else "stopped early (rerun to resume)"
    _emit(
        args,
        result,
        [
            f"export {result.export_id} {state}{' (resumed)' if result.resumed else ''}",
            f"{result.item_count:,} items in {result.part_count} parts, {_mib(result.size_bytes)}",
            f"folder: s3://{store.bucket}/{result.folder}",
        ],
    )
    return OK if result.complete else STOPPED


def _verify(args: argparse.Namespace, store: Any, progress: _Progress) -> int:
    from feedback_core.backup.verify import verify_export

    report = verify_export(
        store,
        _folder(args, store),
        workers=args.workers,
        progress=lambda done, total: progress.show(
            f"{done}/{total} parts", done=done, total=total, force=done == total
        ),
    )
    progress.done()
    lines = [
        f"{report.folder}: {'OK' if report.ok else f'{len(report.problems)} problem(s)'}",
        f"{report.parts} parts, {report.items:,} items, {_mib(report.size_bytes)}"
        + (" (native export: no SHA-256 to check)" if report.native else ""),
    ] + [f"  {problem}" for problem in report.problems]
    _emit(args, report, lines)
    return OK if report.ok else PROBLEMS


def _restore(args: argparse.Namespace, store: Any, progress: _Progress) -> int:
    from feedback_core.backup.dynamodb import DynamoDBTable, create_table_like, import_table
    from feedback_core.backup.restore import restore_export
    from feedback_core.backup.verify import read_manifest

    folder = _folder(args, store)
    manifest = read_manifest(store, folder)
    description = manifest.summary.table
    if (args.create or args.use_import) and description is None:
        raise FeedbackCoreError("this export records no key schema (native); create the table")
    if args.use_import and description is not None:
        count = import_table(args.bucket, manifest.folder, description, args.table)
        _emit(args, {"table": args.table, "imported": count}, [f"imported {count:,} items"])
        return OK
    if args.create and description is not None and not args.dry_run:
        target = create_table_like(description, args.table)
    else:
        target = DynamoDBTable(args.table)
    result = restore_export(
        store,
        manifest.folder,
        target,
        verify=not args.no_verify,
        dry_run=args.dry_run,
        workers=args.workers,
        progress=lambda n: progress.show(f"{n:,} items", done=n, total=manifest.summary.item_count),
    )
    progress.done()
    if result.dry_run:
        lines = [
            f"dry run into {result.table}: {result.would_add:,} to add, "
            f"{result.would_change:,} to change, {result.unchanged:,} unchanged"
        ]
    else:
        lines = [
            f"restored {result.items_written:,} items into {result.table} "
            f"({result.parts - result.parts_skipped} parts, {result.parts_skipped} already "
            f"done, {result.write_calls} BatchWriteItem calls, {result.retried_items} retried)"
        ]
    _emit(args, result, lines)
    return OK


def _list(args: argparse.Namespace, store: Any, progress: _Progress) -> int:
    from feedback_core.backup.retention import list_exports

    found = list_exports(store, args.prefix)
    lines = [
        f"{x.export_id}  {'complete' if x.complete else 'INCOMPLETE'}  {x.item_count:>10,}  "
        f"{x.export_time or '-'}  {'native' if x.native else 'scan'}  {x.folder}"
        for x in found
    ] or [f"no exports under {args.prefix!r}"]
    _emit(args, [attrs.asdict(x) for x in found], lines)
    return OK


def _prune(args: argparse.Namespace, store: Any, progress: _Progress) -> int:
    from feedback_core.backup.retention import prune_exports

    result = prune_exports(
        store,
        args.prefix,
        keep_last=args.keep_last,
        max_age_days=args.max_age_days,
        dry_run=args.dry_run,
    )
    verb = "would delete" if result.dry_run else "deleted"
    lines = [
        f"kept {len(result.kept)}: {', '.join(result.kept) or '-'}",
        f"{verb} {len(result.pruned)}: {', '.join(result.pruned) or '-'} "
        f"({result.deleted_keys} objects; {len(result.spared_keys)} spared)",
    ]
    _emit(args, result, lines)
    return OK
