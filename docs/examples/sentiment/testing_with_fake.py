"""Test your own code without AWS: script the in-memory analyzer, then assert on its calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core.sentiment import FallbackSentimentAnalyzer, InMemorySentimentAnalyzer, Label

if TYPE_CHECKING:
    from feedback_core.sentiment import SentimentAnalyzer


def negative_share(analyzer: SentimentAnalyzer, messages: list[str]) -> float:
    """Your code under test: the share of messages labelled negative."""
    results = analyzer.analyze(messages)
    return sum(result.label is Label.NEGATIVE for result in results) / len(messages)


def test_negative_share_with_a_throttled_document() -> None:
    """One document is throttled by "Comprehend" and is labelled offline instead."""
    comprehend = InMemorySentimentAnalyzer(
        labels={"late again": Label.NEGATIVE},
        failures={"Awful, broken on arrival": "ThrottlingException"},
        name="comprehend",
    )
    chain = FallbackSentimentAnalyzer(comprehend)  # offline fallback by default
    share = negative_share(chain, ["late again", "fine", "Awful, broken on arrival"])
    assert share == 2 / 3
    assert comprehend.calls == [("late again", "fine", "Awful, broken on arrival")]
