"""The offline analyzer's speed-ups: results built unchecked (equal, still frozen), and more."""

from __future__ import annotations

import copy
import math

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_core.sentiment import (
    Label,
    LexiconSentimentAnalyzer,
    SentimentResult,
    SentimentScores,
)
from feedback_core.sentiment._model import DENSE, LinearModel
from feedback_core.sentiment.ports import _RESULT_FIELDS, _SCORE_FIELDS, _offline_result

scores_in_range = st.floats(min_value=0.0, max_value=1.0)


def public_result(
    label: Label, positive: float, neutral: float, negative: float, mixed: float
) -> SentimentResult:
    return SentimentResult(
        label=label,
        scores=SentimentScores(positive=positive, neutral=neutral, negative=negative, mixed=mixed),
        source="offline",
    )


@settings(max_examples=50)
@given(st.sampled_from(Label), scores_in_range, scores_in_range, scores_in_range, scores_in_range)
def test_fast_path_equals_the_public_constructors(
    label: Label, positive: float, neutral: float, negative: float, mixed: float
) -> None:
    """The unchecked result is equal to, hashes and prints like, the checked one."""
    expected = public_result(label, positive, neutral, negative, mixed)
    actual = _offline_result(label, positive, neutral, negative, mixed)
    assert (expected, hash(expected), repr(expected)) == (actual, hash(actual), repr(actual))


def test_fast_path_result_copies() -> None:
    """A deep copy of an unchecked result (attrs' state protocol, as pickle) is equal too."""
    expected = public_result(Label.MIXED, 0.1, 0.2, 0.3, 0.4)
    assert expected == copy.deepcopy(_offline_result(Label.MIXED, 0.1, 0.2, 0.3, 0.4))


@pytest.mark.parametrize(
    ("attribute", "value"), [("label", Label.NEGATIVE), ("source", "comprehend")]
)
def test_fast_path_result_is_frozen(attribute: str, value: object) -> None:
    """Setting a field of an unchecked result raises, as on a checked one."""
    result = _offline_result(Label.POSITIVE, 0.9, 0.1, 0.0, 0.0)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(result, attribute, value)


def test_fast_path_scores_are_frozen() -> None:
    """Setting a score of an unchecked result raises, as on checked scores."""
    scores = _offline_result(Label.POSITIVE, 0.9, 0.1, 0.0, 0.0).scores
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        scores.positive = 2.0  # type: ignore[misc]  # the point: frozen refuses assignment


def test_fast_path_fills_every_field() -> None:
    """The fields the fast path fills are all the fields the two classes have."""
    assert (_SCORE_FIELDS, _RESULT_FIELDS) == (
        tuple(field.name for field in attrs.fields(SentimentScores)),
        tuple(field.name for field in attrs.fields(SentimentResult)),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Great app!",
        "good but slow",
        "Great product, terrible delivery.",
        "never arrived, still no refund :(",
        "How do I change my email?",
        "THIS IS THE WORST",
        "sooo goood 😍😍",
        "ok",
    ],
)
def test_analyzer_results_equal_checked_results(text: str) -> None:
    """Every analyzer result is equal to the same values built (and checked) publicly."""
    result = LexiconSentimentAnalyzer().analyze_one(text)
    scores = result.scores
    rebuilt = public_result(
        result.label, scores.positive, scores.neutral, scores.negative, scores.mixed
    )
    assert rebuilt == result


def test_thousands_of_degree_words_still_give_a_result() -> None:
    """A run of degree words long enough to overflow a float still labels the text."""
    result = LexiconSentimentAnalyzer().analyze_one("very " * 5000 + "good")
    assert (Label.POSITIVE, True) == (result.label, 0.0 <= result.scores.positive <= 1.0)


def test_scores_a_model_makes_nan_are_refused() -> None:
    """Scores that are not in [0, 1] never take the unchecked path: they raise ValueError."""
    dense = [(math.inf, math.inf, math.inf), *((0.0, 0.0, 0.0) for _ in DENSE[1:])]
    analyzer = LexiconSentimentAnalyzer(model=LinearModel(dense=dense, weights={}))
    with pytest.raises(ValueError, match="must be a number in"):
        analyzer.analyze_one("good")


@pytest.mark.parametrize(
    "ending", ["", " \N{GRINNING FACE}", " caf\N{LATIN SMALL LETTER E WITH ACUTE}"]
)
def test_capitals_emphasise_in_ascii_and_other_text(ending: str) -> None:
    """A word in CAPS scores stronger whether the text is ASCII (checked in bytes) or not."""
    analyzer = LexiconSentimentAnalyzer()
    shouted = analyzer.analyze_one("the staff were GOOD" + ending).scores.positive
    assert shouted > analyzer.analyze_one("the staff were good" + ending).scores.positive


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Not bad at all", Label.POSITIVE),  # a phrase that ends the text
        ("not at", Label.NEUTRAL),  # a phrase cut short by the end of the text
        ("It was a bit slow, a bit", Label.NEGATIVE),  # a phrase opener as the last token
    ],
)
def test_phrases_at_the_end_of_a_text(text: str, expected: Label) -> None:
    """Phrases are matched up to the last token and never read past it."""
    assert expected == LexiconSentimentAnalyzer().analyze_one(text).label


@given(
    st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=8),
    st.text(".,!?;:", max_size=3),
)
@settings(max_examples=300, deadline=None)
def test_a_chunk_splits_as_the_token_pattern_splits_it(word: str, ending: str) -> None:
    """A word then trailing punctuation skips the token pattern; the tokens must not change."""
    from feedback_core.sentiment.lexicon import _IGNORED, _TOKEN

    chunk = (word + ending).lower()
    if chunk.isspace() or " " in chunk:
        return
    analyzer = LexiconSentimentAnalyzer()
    tokens = [entry[0] for entry in analyzer._chunk(chunk)]
    specials = analyzer.lexicon.specials
    if chunk.isalpha() or chunk in specials or chunk.startswith(("http://", "https://", "www.")):
        return  # kept whole on purpose
    if chunk.startswith("@"):
        return  # a mention: one token for the name
    stripped = chunk.rstrip(".,!?;:")
    if stripped in specials:
        return  # an emoticon then punctuation: kept whole on purpose
    if "-" in stripped and stripped.replace("-", "").isalpha():
        return  # a hyphenated word: its joined spelling or its words, on purpose (tested apart)
    assert tokens == [raw for raw in _TOKEN.findall(chunk) if raw not in _IGNORED]


@pytest.mark.parametrize("chunk", ["good,", "café!", "naïve...", "über?!", "ǆ;", "don't.", "4.5!"])
def test_words_before_punctuation_split_as_the_pattern_does(chunk: str) -> None:
    from feedback_core.sentiment.lexicon import _IGNORED, _TOKEN

    tokens = [entry[0] for entry in LexiconSentimentAnalyzer()._chunk(chunk)]
    assert tokens == [raw for raw in _TOKEN.findall(chunk) if raw not in _IGNORED]


@pytest.mark.parametrize(
    ("chunk", "tokens"),
    [
        ("www.", ["<link>"]),  # a web address, though "www" is a word and "." punctuation
        ("www...", ["<link>"]),
        ("www!", ["www", "!"]),  # not an address
        ("d:", ["d:"]),  # an emoticon that looks like a word then punctuation
        ("wow!!", ["wow", "!!"]),
        ("@bob,", ["<mention>", ","]),
        (":-)!", [":-)", "!"]),
        ("@bob\ufe0f!", ["<mention>", "!"]),  # a variation selector is dropped after a mention
        ("don't\ufe0f", ["don't"]),
    ],
)
def test_a_chunk_is_split_by_the_first_rule_that_applies(chunk: str, tokens: list[str]) -> None:
    """The word-then-punctuation shortcut is tried before the address and mention rules; what
    those rules split must not change (the analyzer takes ``'`` for ``\u2019`` before this)."""
    assert [entry[0] for entry in LexiconSentimentAnalyzer()._chunk(chunk)] == tokens
