"""The benchmark's labelled set is well formed, balanced, and unchanged since it was split."""

from __future__ import annotations

import collections
import csv
import hashlib
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "benchmarks" / "data"
LABELS = {"positive", "negative", "neutral", "mixed"}


def rows() -> list[list[str]]:
    with (DATA / "feedback_sentiment.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_file_matches_the_hash_in_its_readme() -> None:
    """The set's SHA-256 is the one its README records (the set was frozen before tuning)."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256: `([0-9a-f]{64})`", readme)
    assert recorded is not None
    actual = hashlib.sha256((DATA / "feedback_sentiment.tsv").read_bytes()).hexdigest()
    assert recorded.group(1) == actual


def test_rows_are_well_formed() -> None:
    """A header, then four fields per row with a known split and label and a non-blank text."""
    header, *body = rows()
    assert ["id", "split", "label", "text"] == header
    assert all(len(row) == 4 for row in body)
    assert {("dev", "test")} == {tuple(sorted({row[1] for row in body}))}
    assert LABELS == {row[2] for row in body}
    assert all(row[3].strip() for row in body)


def test_ids_and_texts_are_unique() -> None:
    """No id and no text (ignoring case) appears twice."""
    body = rows()[1:]
    assert len(body) == len({row[0] for row in body}) == len({row[3].lower() for row in body})


def test_set_is_large_and_every_label_is_split_evenly() -> None:
    """At least 400 texts; within each label, dev and test differ by at most one text."""
    body = rows()[1:]
    counts = collections.Counter((row[2], row[1]) for row in body)
    assert len(body) >= 400
    assert all(abs(counts[(label, "dev")] - counts[(label, "test")]) <= 1 for label in LABELS)
