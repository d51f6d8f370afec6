"""``feedback-core lake``: SQL over a local copy of the data lake, and the lake schema.

``feedback-core lake sync --bucket B --root DIR`` copies the lake bucket's objects into DIR (as
``aws s3 sync`` would); ``feedback-core lake query "SQL" --root DIR`` answers SQL over DIR with
DuckDB, through the views ``feedback``, ``votes``, ``survey_responses`` (every change) and
``feedback_current``, ``votes_current``, ``survey_responses_current`` (the latest state);
``feedback-core lake purge --bucket B --from DAY --to DAY`` rewrites those days' partitions
without the rows of erased items (:func:`~feedback_core.datalake.purge_erased`);
``feedback-core lake schema`` prints each table's columns and types (schema version 1).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from feedback_core.datalake.schema import LAKE_SCHEMA_VERSION, TABLES

if TYPE_CHECKING:
    import argparse

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lake`` command (``query``, ``sync``, ``purge``, ``schema``) to the parser."""
    parser = commands.add_parser("lake", help="query the data lake locally with SQL (DuckDB)")
    actions = parser.add_subparsers(dest="lake", required=True)
    query = actions.add_parser("query", help="run SQL over a local copy of the lake")
    query.add_argument("sql", help='e.g. "SELECT count(*) FROM feedback_current"')
    sync = actions.add_parser("sync", help="copy a lake bucket's objects into --root")
    sync.add_argument("--bucket", required=True)
    sync.add_argument("--prefix", default="", help="the lake's key prefix (LAKE_PREFIX)")
    for each in (query, sync):
        each.add_argument("--root", type=Path, default=Path("lake"), help="default: ./lake")
    purge = actions.add_parser("purge", help="rewrite days without the rows of erased items")
    purge.add_argument("--bucket", required=True)
    purge.add_argument("--prefix", default="", help="the lake's key prefix (LAKE_PREFIX)")
    purge.add_argument("--table", choices=sorted(TABLES), default="feedback")
    purge.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
    purge.add_argument("--to", dest="last", type=date.fromisoformat, required=True)
    schema = actions.add_parser("schema", help="print the lake tables' columns")
    schema.add_argument("--table", choices=sorted(TABLES), help="one table (default: all)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; return the exit status."""
    if args.lake == "schema":
        for name, table in TABLES.items():
            if args.table in (None, name):
                print(f"{name} (lake schema version {LAKE_SCHEMA_VERSION})")
                print("\n".join(f"  {c.name}\t{c.type}\t{c.comment}" for c in table.columns))
        return 0
    if args.lake == "purge":
        from feedback_core.datalake.purge import purge_erased
        from feedback_core.datalake.s3 import S3LakeStore

        span = (args.last - args.first).days + 1
        days = [(args.first + timedelta(days=n)).isoformat() for n in range(span)]
        store = S3LakeStore(bucket=args.bucket)
        result = purge_erased(store, TABLES[args.table], days, prefix=args.prefix)
        print(
            f"{result.objects_read} objects read, {result.objects_rewritten} rewritten, "
            f"{result.rows_removed} rows of erased items removed"
        )
        return 0
    if args.lake == "sync":
        from feedback_core.datalake.query import download
        from feedback_core.datalake.s3 import S3LakeStore

        copied = download(S3LakeStore(bucket=args.bucket), args.root, prefix=args.prefix)
        print(f"{copied} objects copied into {args.root}")
        return 0
    try:
        import duckdb

        from feedback_core.datalake.query import LocalLake
    except ImportError as exc:  # pragma: no cover - depends on the installation
        print(f"feedback-core lake query needs: pip install 'feedback-core[local]' ({exc})")
        return 2
    lake = LocalLake(args.root)
    try:
        print("\n".join(lake.query(args.sql).lines()))
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    finally:
        lake.close()
    return 0
