"""The in-memory analyzer integrators use in their own tests."""

from __future__ import annotations

import threading

import pytest

from feedback_core.errors import SentimentError
from feedback_core.sentiment import (
    DocumentFailure,
    InMemorySentimentAnalyzer,
    Label,
    blank_text_result,
)


def test_scripted_labels_and_default() -> None:
    """Scripted texts get their label, others the default, each with score 1 on it."""
    fake = InMemorySentimentAnalyzer(labels={"yay": Label.POSITIVE}, default=Label.NEGATIVE)
    results = fake.analyze(["yay", "other"])
    assert [(Label.POSITIVE, 1.0), (Label.NEGATIVE, 1.0)] == [
        (r.label, r.scores.of(r.label)) for r in results
    ]


def test_scripted_failures_are_per_document() -> None:
    """A scripted failure is reported at its position with its code."""
    outcomes = InMemorySentimentAnalyzer(failures={"b": "ThrottlingException"}).try_analyze(
        ["a", "b"]
    )
    assert DocumentFailure(index=1, code="ThrottlingException", message="scripted") == outcomes[1]


def test_analyze_raises_on_a_scripted_failure() -> None:
    """analyze is all or nothing, as the Comprehend adapter's."""
    with pytest.raises(SentimentError, match="1 of 2"):
        InMemorySentimentAnalyzer(failures={"b": "X"}).analyze(["a", "b"])


def test_calls_record_what_was_sent_without_blanks() -> None:
    """Each batch's non-blank texts are recorded; a batch of blanks records nothing."""
    fake = InMemorySentimentAnalyzer()
    assert [blank_text_result()] == fake.analyze([" "])
    fake.analyze(["a", "", "b"])
    assert [("a", "b")] == fake.calls


def test_name_becomes_the_source() -> None:
    """The name is the results' source, so the fake can stand in for Comprehend."""
    fake = InMemorySentimentAnalyzer(name="comprehend")
    assert ("comprehend", "comprehend") == (fake.name, fake.analyze(["a"])[0].source)


def test_concurrent_calls_are_all_recorded() -> None:
    """Calls from many threads are all recorded."""
    fake = InMemorySentimentAnalyzer()
    threads = [threading.Thread(target=fake.analyze, args=([f"t{i}"],)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {(f"t{i}",) for i in range(20)} == set(fake.calls)
