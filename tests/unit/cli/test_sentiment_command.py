"""``feedback-core sentiment evaluate`` measures the offline analyzer on a team's labelled file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

from feedback_core.cli.main import main

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

LABELLED = (
    "Love the new dashboard, Jane Doe fixed it fast\tpositive\n"
    "The export is broken again\tnegative\n"
    "Where do I change my email?\tneutral\n"
    "Pretty, but so slow\tmixed\n"
)


def test_it_prints_the_metrics_and_the_confusion_but_no_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labelled.tsv"
    path.write_text(LABELLED, "utf-8")
    assert 0 == main(["sentiment", "evaluate", str(path)])
    out = capsys.readouterr().out
    assert f"{path}: 4 texts, offline analyzer" in out
    for metric in ("strict 2-class accuracy", "3-class macro-F1", "mixed recall"):
        assert metric in out
    assert "given / answered" in out
    assert "Jane" not in out
    assert "export" not in out


def test_json_gives_one_object_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.tsv", tmp_path / "b_labelled.txt"
    first.write_text(LABELLED, "utf-8")
    second.write_text("Works great.\t1\nBroke in a day.\t0\n", "utf-8")
    assert 0 == main(["sentiment", "evaluate", "--json", str(first), str(second)])
    documents = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [str(first), str(second)] == [document["file"] for document in documents]
    assert [4, 2] == [document["texts"] for document in documents]
    assert documents[1]["macroF1"] is None  # no neutral text in the second file
    assert 1.0 == documents[1]["strictAccuracy"]


def test_a_file_that_is_not_labelled_exits_2_and_says_which_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Love it\tpositive\nmy phone is 555-0100, call me\n", "utf-8")
    assert 2 == main(["sentiment", "evaluate", str(path)])
    out = capsys.readouterr().out
    assert "notes.txt: not a labelled set" in out
    assert "line 2 fits none, it has no tab" in out
    assert "555" not in out


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert 2 == main(["sentiment", "evaluate", str(tmp_path / "absent.tsv")])
    assert "absent.tsv" in capsys.readouterr().out
