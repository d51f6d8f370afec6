"""The sentiment benchmark reads any labelled set in the collections' formats, and only those.

Independent checks re-measure the published figures on sets nobody here wrote, with this
benchmark: it must read such a set as its authors meant, or refuse it by name.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from types import ModuleType

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_sentiment.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_sentiment_under_test", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and annotations look the module up
    spec.loader.exec_module(module)
    return module


def test_rated_lines_read_with_the_band_and_crlf(bench: ModuleType, tmp_path: Path) -> None:
    """VADER's files: id, mean rating, text; CRLF line ends; +/-0.2 is the neutral band."""
    path = tmp_path / "reviews_GroundTruth.txt"
    path.write_bytes(b"1_1\t2.5\tLoved it.\r\n1_2\t-0.2\tMeh, broke.\r\n1_3\t0.1\tA box.")
    assert [
        ("Loved it.", "positive"),
        ("Meh, broke.", "negative"),
        ("A box.", "neutral"),
    ] == bench.read_labelled(path)


def test_a_next_line_mark_inside_a_sentence_does_not_split_it(
    bench: ModuleType, tmp_path: Path
) -> None:
    """U+0085 inside a UCI sentence is one text (str.splitlines() made it two, one empty)."""
    path = tmp_path / "shop_labelled.txt"
    path.write_text("Worth it\x85 truly.  \t1\nThe script is\x85was there one?\t0\n", "utf-8")
    assert [
        ("Worth it\x85 truly.", "positive"),
        ("The script is\x85was there one?", "negative"),
    ] == bench.read_labelled(path)


def test_named_labels_are_read(bench: ModuleType, tmp_path: Path) -> None:
    """``text<TAB>label``: a team's own labelled feedback, any case."""
    path = tmp_path / "ours.tsv"
    path.write_text("Great app\tpositive\nok\tNeutral\n\nslow, but pretty\tmixed\n", "utf-8")
    expected = [("Great app", "positive"), ("ok", "neutral"), ("slow, but pretty", "mixed")]
    assert expected == bench.read_labelled(path)


@pytest.mark.parametrize(
    "content",
    [
        "Copyright (c) 2016 someone\nPermission is hereby granted\n",
        "Great app\tpositive\nno label here\n",
        "1\tnan\tA text\n",
        "",
    ],
)
def test_a_file_that_is_not_a_labelled_set_is_refused_by_name(
    bench: ModuleType, tmp_path: Path, content: str
) -> None:
    """A licence, a file with one unlabelled line, a non-finite rating, an empty file."""
    path = tmp_path / "LICENSE.txt"
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=r"LICENSE\.txt: not a labelled set"):
        bench.read_labelled(path)


def test_other_sets_are_every_labelled_file_but_the_development_sets(
    bench: ModuleType, tmp_path: Path
) -> None:
    """Named by file without its collection's suffix; licences and notes are skipped."""
    (tmp_path / "amazon_cells_labelled.txt").write_text("Works great.\t1\n", "utf-8")
    (tmp_path / "reviews_GroundTruth.txt").write_text("1\t-1.5\tCold food.\n", "utf-8")
    (tmp_path / "tweets_GroundTruth.txt").write_text("1\t1.5\tA development set.\n", "utf-8")
    (tmp_path / "LICENSE-x.txt").write_text("MIT License\n", "utf-8")
    (tmp_path / "README.md").write_text("# notes\n", "utf-8")
    sets, skipped = bench.other_sets(tmp_path)
    assert {
        "amazon_cells": [("Works great.", "positive")],
        "reviews": [("Cold food.", "negative")],
    } == sets
    assert ["LICENSE-x.txt"] == skipped


def test_the_trainer_names_the_development_sets_it_lacks(bench: ModuleType, tmp_path: Path) -> None:
    """The split and the trainer need all four; a folder without them is refused by name."""
    (tmp_path / "tweets_GroundTruth.txt").write_text("1\t1.5\tA text.\n", "utf-8")
    with pytest.raises(SystemExit, match=r"missing development sets uci_imdb_labelled\.txt"):
        bench.load_dev_sets(tmp_path)


def test_two_files_of_one_name_are_both_scored(bench: ModuleType, tmp_path: Path) -> None:
    """``shop.tsv`` and ``shop_labelled.txt``: the second keeps its whole file name."""
    (tmp_path / "shop.tsv").write_text("Fine.\tpositive\n", "utf-8")
    (tmp_path / "shop_labelled.txt").write_text("Broke.\t0\n", "utf-8")
    sets, _ = bench.other_sets(tmp_path)
    assert {"shop": [("Fine.", "positive")], "shop_labelled.txt": [("Broke.", "negative")]} == sets
