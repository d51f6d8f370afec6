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


def _grouped_at_once(valences: dict[str, float]) -> tuple[dict[str, object], dict[str, object]]:
    """Every phrase grouped by first word, longest first, then by second word: the index as
    it was built whole at load before the seventeenth pass (the reference for the lazy one)."""
    from feedback_core.sentiment._rules import RULE_WORDS

    starts: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for term in {*(t for t in valences if " " in t), *(w for w in RULE_WORDS if " " in w)}:
        first, *rest = term.split(" ")
        starts.setdefault(first, []).append((tuple(rest), term))
    phrases = {
        first: tuple(sorted(options, key=lambda option: (-len(option[0]), option)))
        for first, options in starts.items()
    }
    openings: dict[str, object] = {}
    for first, options in phrases.items():
        by_second: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for rest, merged in options:
            by_second.setdefault(rest[0], []).append((rest, merged))
        openings[first] = {second: tuple(group) for second, group in by_second.items()}
    return dict(phrases), openings


@pytest.mark.parametrize(
    "extra", [None, {"dead pixel": -2.0, "not bad at all": 2.0, "zip tie broke": -1.5}]
)
def test_the_phrase_index_built_word_by_word_equals_the_whole_one(
    extra: dict[str, float] | None,
) -> None:
    """Each first word's phrases, built on first use, are what grouping them all gives."""
    lexicon = _tables.load_lexicon(extra)
    phrases, openings = _grouped_at_once(dict(lexicon.valences))
    assert len(lexicon.phrases) == len(phrases) > 400
    assert dict(lexicon.phrases.items()) == phrases
    assert {first: lexicon.phrases.openings(first) for first in lexicon.phrases} == openings
    if extra:
        assert ((("tie", "broke"), "zip tie broke"),) == lexicon.phrases["zip"]


def test_a_word_that_opens_no_phrase_has_none() -> None:
    index = _tables.PhraseIndex(["no one", "not bad", "not bad at all"])
    assert "great" not in index
    assert index.openings("great") is None
    with pytest.raises(KeyError):
        index["great"]
    assert index["not"] == ((("bad", "at", "all"), "not bad at all"), (("bad",), "not bad"))
    assert {"bad": index["not"]} == index.openings("not")
    assert ["no", "not"] == sorted(index)


def test_loading_the_lexicon_groups_no_phrase_until_a_text_needs_it() -> None:
    """The grouping is left to first use (it was 3-5 ms of a cold start); analyzers share it."""
    lexicon = _tables.load_lexicon({"dead pixel": -2.0})  # a new lexicon, not the shared one
    # The caches are private; looking at them is the only way to see that load skipped them.
    assert lexicon.phrases._phrases == {}
    assert lexicon.phrases._openings == {}
    first = LexiconSentimentAnalyzer()
    first._lexicon = lexicon
    first.analyze(["One dead pixel, not bad otherwise."])
    openers = {
        word
        for word in ("one", "dead", "pixel", "not", "bad", "otherwise")
        if word in lexicon.phrases
    }
    assert {"dead", "not"} <= openers
    assert set(lexicon.phrases._openings) == openers  # the text's words, not all 400
    second = LexiconSentimentAnalyzer()
    second._lexicon = lexicon
    second.analyze(["not bad"])
    assert set(lexicon.phrases._openings) == openers  # built once, for both analyzers
