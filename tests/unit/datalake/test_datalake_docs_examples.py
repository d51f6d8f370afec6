"""The examples in docs/datalake.md run, print what the page says, and agree with the code."""

from __future__ import annotations

import random
import re
import runpy
from pathlib import Path

import duckdb
import pytest

from feedback_core.datalake import FEEDBACK, DataLakeWriter, InMemoryLakeStore
from feedback_core.datalake.query import ANALYST_QUERIES, LocalLake, download
from feedback_core.testing import KEYS, StreamSimulator
from feedback_core.testing.workloads import run_workload

EXAMPLES = Path(__file__).parents[3] / "docs" / "examples" / "datalake"


def statements() -> dict[str, str]:
    """analyst.sql's statements, by the comment line above each."""
    text = (EXAMPLES / "analyst.sql").read_text()
    found = {}
    for block in text.split(";\n"):
        lines = [line for line in block.strip().splitlines() if line]
        comments = [line for line in lines if line.startswith("--")]
        sql = "\n".join(line for line in lines if not line.startswith("--"))
        if sql:
            found[comments[0].removeprefix("-- ")] = sql
    return found


def test_in_memory_example_prints_what_the_page_says(capsys: pytest.CaptureFixture[str]) -> None:
    """Two writes of the batch, two objects, every change once, the erased item gone."""
    runpy.run_path(str(EXAMPLES / "in_memory.py"))
    lines = capsys.readouterr().out.splitlines()
    assert "{'batchItemFailures': []}" == lines[0]
    assert re.fullmatch(
        r"table=feedback/year=2026/month=11/day=21/part-stream-0{37}100\.jsonl\.gz", lines[1]
    )
    assert "(('INSERT', 3), ('REMOVE', 1))" == lines[3]
    assert "(('f1', 5), ('f3', 4))" == lines[4]


def test_the_page_queries_are_the_ones_the_demo_checks() -> None:
    """analyst.sql holds the demo's analyst queries word for word, and the current view."""
    found = statements()
    for name, sql in ANALYST_QUERIES.items():
        assert sql == found[name]
    (view,) = [sql for sql in found.values() if sql.startswith("CREATE OR REPLACE VIEW")]
    assert view.endswith(FEEDBACK.current_sql())


def test_every_page_query_runs_in_duckdb(tmp_path: Path) -> None:
    """Each statement of analyst.sql runs over a lake written from a random workload."""
    sim = StreamSimulator(key=KEYS["feedback"], seed=5, batch_size=9)
    store = InMemoryLakeStore()
    run_workload(sim, random.Random(5), family="feedback", operations=60)
    sim.drain(DataLakeWriter(table=FEEDBACK, store=store).handle)
    download(store, tmp_path)
    lake = LocalLake(tmp_path)
    lake.connection.execute("DROP VIEW feedback_current")
    for name, sql in statements().items():
        try:
            lake.query(sql)
        except duckdb.Error as exc:  # pragma: no cover - the failure message
            pytest.fail(f"{name}: {exc}")
    assert len(sim.items()) == lake.query("SELECT count(*) FROM feedback_current").rows[0][0]


def test_the_page_schema_table_is_the_feedback_schema() -> None:
    """docs/datalake.md's column table lists FEEDBACK's columns, in order, with their types."""
    page = (EXAMPLES.parents[1] / "datalake.md").read_text()
    rows = re.findall(r"^\| `(\w+)` \| ([\w<>,]+) \|", page, flags=re.MULTILINE)
    assert [(c.name, c.type) for c in FEEDBACK.columns] == rows
