"""Sentiment values: score checks, Decimal conversion, item attributes, the blank result."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.attributes import to_item
from feedback_core.sentiment import (
    Label,
    SentimentResult,
    SentimentScores,
    blank_text_result,
    is_blank,
)


@pytest.mark.parametrize("bad", [-0.01, 1.01, math.nan, math.inf, True])
def test_scores_outside_zero_to_one_are_refused(bad: float) -> None:
    """A score below 0, above 1, NaN, infinite or a bool raises ValueError."""
    with pytest.raises(ValueError, match="positive must be a number in"):
        SentimentScores(positive=bad)


def test_as_decimals_rounds_to_four_places() -> None:
    """Scores become Decimals with exactly four places, rounded half to even."""
    scores = SentimentScores(positive=0.123456, neutral=0.00005, negative=0.00015, mixed=1e-9)
    assert {
        "positive": Decimal("0.1235"),
        "neutral": Decimal("0.0000"),
        "negative": Decimal("0.0002"),
        "mixed": Decimal("0.0000"),
    } == scores.as_decimals()


def test_as_decimals_takes_other_precisions() -> None:
    """The number of places is a parameter."""
    assert Decimal("0.33") == SentimentScores(neutral=1 / 3).as_decimals(2)["neutral"]


@given(st.floats(min_value=0.0, max_value=1.0))
def test_as_decimals_never_gives_floats(value: float) -> None:
    """Every converted score is a finite Decimal within 0.00005 of the float."""
    converted = SentimentScores(mixed=value).as_decimals()["mixed"]
    assert isinstance(converted, Decimal)
    assert abs(converted - Decimal(repr(value))) <= Decimal("0.00005")


def test_to_attributes_gives_the_feedback_item_fields() -> None:
    """A result becomes sentiment, sentimentScores (Decimals) and sentimentSource."""
    result = SentimentResult(
        label=Label.MIXED,
        scores=SentimentScores(positive=0.4, neutral=0.1, negative=0.2, mixed=0.3),
        source="comprehend",
    )
    assert {
        "sentiment": "mixed",
        "sentimentScores": {
            "positive": Decimal("0.4000"),
            "neutral": Decimal("0.1000"),
            "negative": Decimal("0.2000"),
            "mixed": Decimal("0.3000"),
        },
        "sentimentSource": "comprehend",
    } == result.to_attributes()


def test_attributes_convert_to_a_dynamodb_item() -> None:
    """The attributes pass feedback_core.attributes.to_item, which refuses floats."""
    item = to_item(blank_text_result().to_attributes())
    assert {
        "sentiment": {"S": "neutral"},
        "sentimentScores": {
            "M": {
                "positive": {"N": "0.0000"},
                "neutral": {"N": "1.0000"},
                "negative": {"N": "0.0000"},
                "mixed": {"N": "0.0000"},
            }
        },
        "sentimentSource": {"S": "offline"},
    } == item


def test_labels_are_the_stored_strings() -> None:
    """The label values are the strings the feedback item stores."""
    assert ["positive", "neutral", "negative", "mixed"] == [label.value for label in Label]


def test_blank_result_is_neutral_from_offline() -> None:
    """The defined result for blank text is neutral with certainty, from the offline analyzer."""
    result = blank_text_result()
    assert (Label.NEUTRAL, 1.0, "offline") == (result.label, result.scores.neutral, result.source)


@pytest.mark.parametrize(("text", "blank"), [("", True), (" \n\t", True), (" a ", False)])
def test_is_blank(text: str, blank: bool) -> None:
    """Only empty and whitespace-only texts are blank."""
    assert blank == is_blank(text)


def test_score_of_a_label() -> None:
    """of(label) returns that label's score."""
    assert 0.7 == SentimentScores(negative=0.7, neutral=0.3).of(Label.NEGATIVE)
