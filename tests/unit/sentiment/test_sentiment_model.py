"""The shipped linear model: its table, its parsing, and how the analyzer uses it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.sentiment import Label, LexiconSentimentAnalyzer
from feedback_core.sentiment._model import (
    DENSE,
    LinearModel,
    dense_features,
    empty_model,
    format_model,
    load_model,
    parse_model,
)
from feedback_core.sentiment._tables import data_text


def test_shipped_table_names_its_training_sources_and_licences() -> None:
    """The model table's header says what it was trained on and under which licences."""
    header = "\n".join(line for line in data_text("model.tsv").splitlines() if line[:1] == "#")
    assert "Pattern" in header  # the rules' lexicon it was trained with, and its licence
    assert "PDDL" in header
    assert all(
        source in header
        for source in ("TUNING parts", "UCI", "CC BY 4.0", "VADER", "MIT", "feedback_sentiment")
    )


def test_shipped_model_has_every_dense_input_and_no_word_the_rules_score() -> None:
    """Every dense input has weights; words with a lexicon valence are left to the rules."""
    model = load_model()
    valences = LexiconSentimentAnalyzer().lexicon.valences
    assert len(DENSE) == len(model.dense)
    assert [] == [word for word in model.weights if valences.get(word)]


def test_format_then_parse_gives_the_same_model() -> None:
    """A written table reads back with the same weights."""
    model = LinearModel(
        dense=[(0.5, -0.25, 0.125)] * len(DENSE), weights={"plot": (0.25, 0.0, -0.5)}
    )
    again = parse_model(format_model(model, ["a comment"]))
    assert (model.dense, dict(model.weights)) == (again.dense, dict(again.weights))


def test_the_shipped_table_reads_back_as_written() -> None:
    """Every row of the shipped table is read: none is hidden as a comment."""
    model = load_model()
    again = parse_model(format_model(model, ["header"]))
    assert (model.dense, dict(model.weights)) == (again.dense, dict(again.weights))


def test_a_feature_a_comment_would_hide_is_left_out_of_the_table() -> None:
    """The lone '#' token's row would read as a comment: it is not written at all."""
    model = LinearModel(
        dense=[(0.5, -0.25, 0.125)] * len(DENSE),
        weights={"#": (1.0, 0.0, 0.0), "ok": (0.0, 0.0, 1.0)},
    )
    assert {"ok": (0.0, 0.0, 1.0)} == dict(parse_model(format_model(model, [])).weights)


@pytest.mark.parametrize(
    ("text", "message"),
    [("@bias\t1\t2\t3\n", "lacks the dense inputs"), ("word\t1\t2\n", "three weights")],
)
def test_malformed_table_is_refused(text: str, message: str) -> None:
    """A table without the dense inputs, or with a short row, raises ValueError."""
    with pytest.raises(ValueError, match=message):
        parse_model(text)


def test_wrong_number_of_dense_weights_is_refused() -> None:
    """A model needs exactly one dense weight triple per dense input."""
    with pytest.raises(ValueError, match="dense weight triples"):
        LinearModel(dense=[(0.0, 0.0, 0.0)], weights={})


def test_probabilities_are_a_distribution() -> None:
    """The three probabilities are positive and sum to one, whatever the inputs."""
    model = load_model()
    dense = LexiconSentimentAnalyzer().features("Not bad at all, but the plot drags")[0]
    probabilities = model.probabilities(dense, (3.0, -2.0, 40.0))
    assert all(p > 0 for p in probabilities)
    assert math.isclose(1.0, sum(probabilities))


def test_features_list_only_the_words_the_model_weighs() -> None:
    """``features`` returns the unscored words (``plot``), not the scored ones (``great``)."""
    _, words = LexiconSentimentAnalyzer().features("great plot")
    assert ["plot"] == words


def test_an_empty_model_leaves_every_text_undecided() -> None:
    """With no weights, positive, negative and neutral tie, and ties go to neutral."""
    analyzer = LexiconSentimentAnalyzer(model=empty_model())
    assert Label.NEUTRAL == analyzer.analyze_one("Absolutely wonderful").label


def test_unscored_words_move_the_verdict() -> None:
    """A word the lexicon lacks but the model weighs changes the probabilities."""
    analyzer = LexiconSentimentAnalyzer()
    weighed = next(iter(analyzer.model.weights))
    plain = analyzer.analyze_one("the thing").scores
    other = analyzer.analyze_one(f"the thing {weighed}").scores
    assert (plain.positive, plain.negative) != (other.positive, other.negative)


def test_a_repeated_word_counts_once_as_the_model_was_trained() -> None:
    """The trainer sees each distinct word of a text once, so the analyzer adds its weight once."""
    model = LinearModel(dense=[(0.0, 0.0, 0.0)] * len(DENSE), weights={"thing": (-1.0, 0.0, 1.0)})
    analyzer = LexiconSentimentAnalyzer(model=model)
    once = analyzer.analyze_one("thing").scores
    assert once.positive > once.negative  # the word is read at all
    assert once == analyzer.analyze_one("thing thing, thing thing").scores


@given(
    evidence=st.tuples(*[st.floats(min_value=0.0, max_value=50.0)] * 4),
    count=st.integers(min_value=0, max_value=500),
    request=st.booleans(),
    words=st.tuples(*[st.floats(min_value=-20.0, max_value=20.0)] * 3),
)
def test_fast_read_equals_the_general_form(
    evidence: tuple[float, float, float, float],
    count: int,
    request: bool,
    words: tuple[float, float, float],
) -> None:
    """The analyzer's written-out ``read`` gives what ``probabilities`` of the inputs gives."""
    model = load_model()
    fast = model.read(evidence, count, request, words)
    general = model.probabilities(dense_features(evidence, count, request), words)
    pairs = zip(fast, general, strict=True)
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in pairs)
