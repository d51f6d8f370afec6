"""The fallback chain: a primary analyzer first, another for the documents it could not label.

The usual chain is Comprehend first and the offline analyzer for what fails (throttling, an
unsupported language, service errors): every text gets a label, and each result's ``source``
says which analyzer produced it, its ``fallback_reason`` why the primary did not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from feedback_core.errors import FeedbackCoreError, SentimentError, ServiceError
from feedback_core.sentiment.ports import DocumentFailure, SentimentResult

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from feedback_core.sentiment.ports import FallibleSentimentAnalyzer, SentimentAnalyzer

__all__ = ["FallbackSentimentAnalyzer"]


class FallbackSentimentAnalyzer:
    """Labels with ``primary``; hands every document it fails on to ``fallback``, in order.

    Fits both sentiment ports (it never fails a document unless the fallback raises), so
    chains nest.

    Args:
        primary: The preferred analyzer, reporting failures per document.
        fallback: The analyzer for the failed documents; the offline analyzer by default.
        on_fallback: Called once per batch with the primary's failures (when there are any),
            e.g. to log them or count a metric.

    Examples:
        >>> from feedback_core.sentiment.memory import InMemorySentimentAnalyzer
        >>> primary = InMemorySentimentAnalyzer(failures={"hola": "UnsupportedLanguage"})
        >>> chain = FallbackSentimentAnalyzer(primary)
        >>> [(r.source, r.fallback_reason) for r in chain.analyze(["hi", "hola"])]
        [('memory', None), ('offline', 'UnsupportedLanguage')]
    """

    def __init__(
        self,
        primary: FallibleSentimentAnalyzer,
        fallback: SentimentAnalyzer | None = None,
        *,
        on_fallback: Callable[[Sequence[DocumentFailure]], None] | None = None,
    ) -> None:
        """Compose the chain; building it makes no call and loads no data."""
        if fallback is None:
            from feedback_core.sentiment.lexicon import (  # keeps import light
                LexiconSentimentAnalyzer,
            )

            fallback = LexiconSentimentAnalyzer()
        self._primary = primary
        self._fallback = fallback
        self._on_fallback = on_fallback

    @property
    def name(self) -> str:
        """The chain's analyzers in order, e.g. ``"comprehend>offline"``."""
        return f"{self._primary.name}>{self._fallback.name}"

    @property
    def primary(self) -> FallibleSentimentAnalyzer:
        """The analyzer tried first."""
        return self._primary

    @property
    def fallback(self) -> SentimentAnalyzer:
        """The analyzer for documents the primary could not label."""
        return self._fallback

    def analyze(self, texts: Sequence[str]) -> list[SentimentResult]:
        """Return one result per text, in order: the primary's, or the fallback's where it failed.

        A primary that raises a :class:`~feedback_core.errors.FeedbackCoreError` for the whole
        batch (e.g. a region without Comprehend) sends the whole batch to the fallback.

        Raises:
            SentimentError: the fallback itself failed, or the primary broke its contract
                (returned a different number of outcomes than texts).
        """
        texts = list(texts)
        try:
            outcomes = self._primary.try_analyze(texts)
        except FeedbackCoreError as exc:
            code = exc.code if isinstance(exc, ServiceError) else type(exc).__name__
            outcomes = [
                DocumentFailure(index=index, code=code, message=str(exc))
                for index in range(len(texts))
            ]
        if len(outcomes) != len(texts):
            raise SentimentError(
                f"{self._primary.name} returned {len(outcomes)} outcomes for {len(texts)} texts"
            )
        failed = [
            (index, outcome)
            for index, outcome in enumerate(outcomes)
            if isinstance(outcome, DocumentFailure)
        ]
        results = [
            outcome if isinstance(outcome, SentimentResult) else None for outcome in outcomes
        ]
        if failed:
            if self._on_fallback is not None:
                self._on_fallback([failure for _, failure in failed])
            rescued = self._fallback.analyze([texts[index] for index, _ in failed])
            if len(rescued) != len(failed):
                raise SentimentError(
                    f"{self._fallback.name} returned {len(rescued)} results for {len(failed)} texts"
                )
            for (index, failure), result in zip(failed, rescued, strict=True):
                results[index] = attrs.evolve(result, fallback_reason=failure.code)
        return [result for result in results if result is not None]

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]:
        """Same as :meth:`analyze`, so a chain can be the primary of another chain."""
        return list(self.analyze(texts))
