"""SQL over a local copy of the lake, with DuckDB reading the same partitioned gzip JSON lines.

:func:`download` copies a lake store's objects to a directory, keeping their keys as paths (as
``aws s3 sync`` does); :class:`LocalLake` opens that directory in DuckDB with one view per lake
table (``feedback``, ``votes``, ``survey_responses``: every change, tombstones included,
typed by the lake schema, with the ``year``, ``month`` and ``day`` partition columns) and one
``<table>_current`` view (each item's latest row, removed items left out). The queries that
Athena answers in AWS answer the same here. DuckDB is the ``[local]`` extra, imported on use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

from feedback_core.datalake.schema import TABLES

if TYPE_CHECKING:
    from collections.abc import Iterable

    import duckdb

    from feedback_core.datalake.ports import LakeStore
    from feedback_core.datalake.schema import LakeTable

__all__ = ["ANALYST_QUERIES", "LocalLake", "QueryResult", "download"]

ANALYST_QUERIES: Final = {
    "ratings per day": (
        "SELECT CAST(created_at AS DATE) AS day, count(*) AS feedback, sum(rating) AS rating_sum\n"
        "FROM feedback_current\n"
        "GROUP BY 1\n"
        "ORDER BY 1"
    ),
    "sentiment mix per week": (
        "SELECT CAST(date_trunc('week', created_at) AS DATE) AS week,\n"
        "       coalesce(sentiment, 'none') AS sentiment, count(*) AS feedback\n"
        "FROM feedback_current\n"
        "GROUP BY 1, 2\n"
        "ORDER BY 1, 2"
    ),
    "worst-rated messages": (
        "SELECT feedback_id, rating, created_at, message\n"
        "FROM feedback_current\n"
        "ORDER BY rating, created_at DESC, feedback_id\n"
        "LIMIT 5"
    ),
}
"""The analyst queries the demo runs and checks (docs/examples/datalake/analyst.sql holds the
same text): standard SQL that Athena (with the ``feedback_current`` view) and DuckDB both run."""


def download(store: LakeStore, root: Path, *, prefix: str = "") -> int:
    """Copy every object under ``prefix`` into ``root`` (key -> path); return how many.

    Each object is streamed to its file chunk by chunk.
    """
    copied = 0
    for key in store.object_keys(prefix):
        path = root / key[len(prefix) :]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            for chunk in store.read(key):
                file.write(chunk)
        copied += 1
    return copied


@attrs.frozen(kw_only=True)
class QueryResult:
    """A query's answer: column names and rows."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def lines(self) -> list[str]:
        """The answer as tab-separated lines, a header first."""
        return ["\t".join(self.columns)] + ["\t".join(map(str, row)) for row in self.rows]


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class LocalLake:
    """A lake directory (``table=<t>/year=/month=/day=/*.jsonl.gz``) opened in DuckDB.

    Args:
        root: The directory that holds the ``table=...`` folders.
        tables: The lake tables to expose (all by default).
    """

    def __init__(self, root: Path, tables: Iterable[LakeTable] = TABLES.values()) -> None:
        """Open an in-memory DuckDB database with the lake's views."""
        import duckdb  # the [local] extra

        self.root = Path(root)
        self.connection: duckdb.DuckDBPyConnection = duckdb.connect()
        for table in tables:
            self.connection.execute(self._view(table))
            self.connection.execute(  # names from the schema's constants, not user input
                f"CREATE VIEW {table.name}_current AS "  # noqa: S608
                f"SELECT * EXCLUDE (version) FROM ({table.current_sql()})"
            )

    def _view(self, table: LakeTable) -> str:
        files = sorted((self.root / f"table={table.name}").glob("year=*/month=*/day=*/*.jsonl.gz"))
        if not files:  # an empty table: the columns, no rows
            nulls = ", ".join(f"CAST(NULL AS {c.duckdb_type}) AS {c.name}" for c in table.columns)
            parts = "CAST(NULL AS BIGINT) AS year, CAST(NULL AS BIGINT) AS month, "
            parts += "CAST(NULL AS BIGINT) AS day"
            return f"CREATE VIEW {table.name} AS SELECT {nulls}, {parts} WHERE false"
        columns = ", ".join(f"{_quoted(c.name)}: {_quoted(c.duckdb_type)}" for c in table.columns)
        pattern = _quoted(str(self.root / f"table={table.name}" / "**" / "*.jsonl.gz"))
        # Names and types from the schema's constants; the path is quoted.
        return (
            f'CREATE VIEW {table.name} AS SELECT * EXCLUDE ("table") FROM read_json('  # noqa: S608
            f"{pattern}, format = 'newline_delimited', hive_partitioning = true, "
            f"columns = {{{columns}}})"
        )

    def query(self, sql: str) -> QueryResult:
        """Run one SQL statement and return its answer.

        Raises:
            duckdb.Error: the SQL is invalid.
        """
        cursor = self.connection.execute(sql)
        names = tuple(d[0] for d in cursor.description or ())
        return QueryResult(columns=names, rows=tuple(tuple(r) for r in cursor.fetchall()))

    def close(self) -> None:
        """Close the database."""
        self.connection.close()
