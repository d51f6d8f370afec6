"""The packed tables the analyzer reads at cold start: equal to the text tables they come from,
and the text tables read instead where the packed ones cannot be (a big-endian machine)."""

from __future__ import annotations

import sys

import pytest

from feedback_core.sentiment import LexiconSentimentAnalyzer, _model, _tables
from feedback_core.sentiment._model import parse_model
from feedback_core.sentiment._tables import data_text, pack, read_packed, read_tables


def test_the_packed_lexicon_is_the_merge_of_the_tables() -> None:
    """Edit a lexicon table, then run ``python benchmarks/build_lexicon_tables.py``."""
    merged = read_tables()
    assert read_packed("lexicon.bin") == (list(merged), list(merged.values()))
    assert len(merged) > 8000


def test_the_packed_model_is_the_model_table() -> None:
    """Train (``bench_sentiment.py --train``) or run ``build_lexicon_tables.py --pack-model``."""
    packed = read_packed("model.bin")
    assert packed is not None
    read = _model.unpack_model(*packed)
    table = parse_model(data_text("model.tsv"))
    assert read.dense == table.dense
    assert dict(read.weights) == dict(table.weights)
    assert list(read.weights) == list(table.weights)


def test_names_and_numbers_come_back_as_packed() -> None:
    names = ["good", "no one", ":-)", "😍", "café"]
    values = [1.9, -0.5, 2.0, 3.25, 1e-9]
    data = pack(names, values)
    size = int.from_bytes(data[:4], "little")
    assert data[4 : 4 + size].decode("utf-8").split("\n") == names
    assert memoryview(data)[4 + size :].cast("d").tolist() == values


def test_a_name_with_a_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="newline"):
        pack(["two\nlines"], [1.0])


def test_a_packed_model_must_list_the_dense_inputs_first() -> None:
    with pytest.raises(ValueError, match="dense inputs first"):
        _model.unpack_model(["good"], [0.1, 0.2, 0.3])


def test_a_big_endian_machine_reads_the_text_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packed numbers are in little-endian order: elsewhere the text tables are read, and
    the analyzer answers the same."""
    texts = ["Great app, but slow", "terible service", "The food was to die for!", ":-("]
    expected = [LexiconSentimentAnalyzer().analyze_one(text) for text in texts]
    monkeypatch.setattr(sys, "byteorder", "big")
    monkeypatch.setattr(_tables, "_default", None)
    monkeypatch.setattr(_model, "_default", None)
    assert read_packed("lexicon.bin") is None
    lexicon = _tables.load_lexicon()
    assert dict(lexicon.valences) == read_tables()
    assert _model.load_model().weights == parse_model(data_text("model.tsv")).weights
    assert [LexiconSentimentAnalyzer().analyze_one(text) for text in texts] == expected
