"""The fallback chain, composed from in-memory analyzers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from feedback_core.errors import SentimentError, ThrottledError, UnsupportedRegionError
from feedback_core.sentiment import (
    DocumentFailure,
    FallbackSentimentAnalyzer,
    InMemorySentimentAnalyzer,
    Label,
    LexiconSentimentAnalyzer,
    SentimentResult,
)

if TYPE_CHECKING:
    from collections.abc import Sequence


def test_only_failed_documents_reach_the_fallback_in_order() -> None:
    """The fallback is sent the failed texts only, in their original order."""
    primary = InMemorySentimentAnalyzer(failures={"b": "ThrottlingException", "d": "X"})
    fallback = InMemorySentimentAnalyzer(name="offline")
    FallbackSentimentAnalyzer(primary, fallback).analyze(["a", "b", "c", "d"])
    assert [("b", "d")] == fallback.calls


def test_results_keep_their_positions_and_name_their_source() -> None:
    """Each result sits at its text's position and says which analyzer produced it."""
    primary = InMemorySentimentAnalyzer(
        labels={"a": Label.POSITIVE, "c": Label.NEGATIVE}, failures={"b": "ThrottlingException"}
    )
    fallback = InMemorySentimentAnalyzer(labels={"b": Label.MIXED}, name="offline")
    results = FallbackSentimentAnalyzer(primary, fallback).analyze(["a", "b", "c"])
    assert [
        ("memory", Label.POSITIVE, None),
        ("offline", Label.MIXED, "ThrottlingException"),
        ("memory", Label.NEGATIVE, None),
    ] == [(r.source, r.label, r.fallback_reason) for r in results]


def test_fallback_is_not_called_without_failures() -> None:
    """When the primary labels everything, the fallback sees nothing."""
    fallback = InMemorySentimentAnalyzer(name="offline")
    FallbackSentimentAnalyzer(InMemorySentimentAnalyzer(), fallback).analyze(["a", "b"])
    assert [] == fallback.calls


def test_offline_analyzer_is_the_default_fallback() -> None:
    """Without a fallback given, the offline analyzer labels the failed documents."""
    primary = InMemorySentimentAnalyzer(failures={"Awful and broken": "INTERNAL_SERVER_ERROR"})
    chain = FallbackSentimentAnalyzer(primary)
    assert isinstance(chain.fallback, LexiconSentimentAnalyzer)
    result = chain.analyze(["Awful and broken"])[0]
    assert ("offline", Label.NEGATIVE) == (result.source, result.label)


class RaisingAnalyzer:
    """A primary that fails the whole batch with a domain error."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    @property
    def name(self) -> str:
        return "raising"

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]:
        raise self.error


def test_primary_raising_sends_the_whole_batch_to_the_fallback() -> None:
    """A domain error from the primary makes every text fall back, with the error's code."""
    primary = RaisingAnalyzer(ThrottledError("BatchDetectSentiment", "ThrottlingException"))
    results = FallbackSentimentAnalyzer(primary).analyze(["good", "bad"])
    assert [("offline", "ThrottlingException")] * 2 == [
        (r.source, r.fallback_reason) for r in results
    ]


def test_primary_configuration_error_is_named_by_class() -> None:
    """A non-service domain error is recorded by its class name."""
    primary = RaisingAnalyzer(UnsupportedRegionError("no Comprehend in eu-north-1"))
    result = FallbackSentimentAnalyzer(primary).analyze(["good"])[0]
    assert "UnsupportedRegionError" == result.fallback_reason


class ShortAnalyzer:
    """A primary that breaks the contract by dropping outcomes."""

    @property
    def name(self) -> str:
        return "short"

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]:
        return []


def test_primary_breaking_the_contract_is_an_error() -> None:
    """A primary returning fewer outcomes than texts raises SentimentError."""
    with pytest.raises(SentimentError, match="0 outcomes for 2 texts"):
        FallbackSentimentAnalyzer(ShortAnalyzer()).analyze(["a", "b"])


def test_fallback_failing_raises() -> None:
    """When the fallback cannot label a document either, the batch fails."""
    primary = InMemorySentimentAnalyzer(failures={"a": "X"})
    fallback = InMemorySentimentAnalyzer(failures={"a": "Y"})
    with pytest.raises(SentimentError):
        FallbackSentimentAnalyzer(primary, fallback).analyze(["a"])


def test_on_fallback_gets_each_batch_failures() -> None:
    """on_fallback is called once with the batch's failures, and not when there are none."""
    seen: list[list[tuple[int, str]]] = []
    primary = InMemorySentimentAnalyzer(failures={"b": "ThrottlingException"})
    chain = FallbackSentimentAnalyzer(
        primary, on_fallback=lambda fs: seen.append([(f.index, f.code) for f in fs])
    )
    chain.analyze(["a", "b"])
    chain.analyze(["a"])
    assert [[(1, "ThrottlingException")]] == seen


def test_chains_nest() -> None:
    """A chain can be the primary of another chain; the outermost fallback is the last resort."""
    inner = FallbackSentimentAnalyzer(
        InMemorySentimentAnalyzer(failures={"a": "X"}),
        InMemorySentimentAnalyzer(failures={"a": "Y"}),
    )
    outer = FallbackSentimentAnalyzer(
        InMemorySentimentAnalyzer(failures={"a": "Z"}, name="first"),
        InMemorySentimentAnalyzer(name="last"),
    )
    nested = FallbackSentimentAnalyzer(outer, inner)
    assert "first>last>memory>memory" == nested.name
    assert ("last", "Z") == (
        nested.analyze(["a"])[0].source,
        nested.analyze(["a"])[0].fallback_reason,
    )
