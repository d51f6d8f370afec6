"""DuckDB over a local copy of the lake: the views agree with the source table."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from feedback_core.cli.main import main
from feedback_core.datalake import FEEDBACK, SURVEY_RESPONSES, DataLakeWriter, InMemoryLakeStore
from feedback_core.datalake.query import LocalLake, download
from feedback_core.testing import KEYS, StreamSimulator
from feedback_core.testing.workloads import run_workload

if TYPE_CHECKING:
    from pathlib import Path

    from feedback_core.testing import Family


def lake_of(family: Family, tmp_path: Path, seed: int = 3) -> tuple[StreamSimulator, Path]:
    """A workload's whole stream written to an in-memory lake, then copied to disk."""
    table = FEEDBACK if family == "feedback" else SURVEY_RESPONSES
    sim = StreamSimulator(key=KEYS[family], seed=seed, batch_size=7)
    store = InMemoryLakeStore()
    run_workload(sim, random.Random(seed), family=family, operations=80)
    sim.drain(DataLakeWriter(table=table, store=store).handle)
    download(store, tmp_path)
    return sim, tmp_path


def test_the_current_view_is_the_table_as_it_is_now(tmp_path: Path) -> None:
    """Latest row per item, deleted and expired items left out: the live items' ratings."""
    sim, root = lake_of("feedback", tmp_path)
    lake = LocalLake(root)
    rows = lake.query("SELECT feedback_id, rating FROM feedback_current ORDER BY feedback_id").rows
    live = sorted((str(i["feedbackId"]), i["rating"]) for i in sim.items())
    assert live == sorted(rows)  # type: ignore[type-var]  # str and int columns


def test_partition_columns_are_the_creation_day(tmp_path: Path) -> None:
    """year, month and day equal the row's own creation time, on every row."""
    _, root = lake_of("feedback", tmp_path)
    mismatched = LocalLake(root).query(
        "SELECT count(*) FROM feedback WHERE year != year(created_at) "
        "OR month != month(created_at) OR day != day(created_at)"
    )
    assert ((0,),) == mismatched.rows


def test_survey_answers_are_a_map_of_text(tmp_path: Path) -> None:
    """Answers come back as a map of question id to answer text, numbers included."""
    sim, root = lake_of("surveys", tmp_path)
    rows = (
        LocalLake(root)
        .query("SELECT survey_id, response_id, answers FROM survey_responses_current")
        .rows
    )
    by_key = {(s, r): a for s, r, a in rows}
    for item in sim.items():
        answers = item["answers"]
        assert isinstance(answers, dict)
        stored = by_key[(item["surveyId"], item["responseId"])]
        assert isinstance(stored, dict)
        for question, answer in answers.items():
            if isinstance(answer, int | Decimal) and not isinstance(answer, bool):
                assert str(answer) == stored[question]


def test_an_empty_lake_has_every_view_with_no_rows(tmp_path: Path) -> None:
    """No objects yet: the views exist, typed, and are empty."""
    assert ((0,),) == LocalLake(tmp_path).query("SELECT count(*) FROM votes_current").rows


def test_the_command_prints_the_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`feedback-core lake query` prints a header and tab-separated rows."""
    sim, root = lake_of("feedback", tmp_path)
    status = main(
        ["lake", "query", "SELECT count(*) AS n FROM feedback_current", "--root", str(root)]
    )
    assert (0, f"n\n{len(sim.items())}\n") == (status, capsys.readouterr().out)


def test_bad_sql_fails_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Invalid SQL exits 1 and says why on stderr."""
    assert 1 == main(["lake", "query", "SELEKT 1", "--root", str(tmp_path)])
    assert "query failed" in capsys.readouterr().err
