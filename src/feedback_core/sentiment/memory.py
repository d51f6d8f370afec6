"""A scripted in-memory analyzer for tests: fixed labels, per-text failures, recorded calls.

It has the Comprehend adapter's semantics without AWS: blank texts get the neutral offline
result and are never "sent"; failures are reported per document by ``try_analyze`` and make
``analyze`` raise :class:`~feedback_core.errors.SentimentError`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from feedback_core.errors import SentimentError
from feedback_core.sentiment.ports import (
    DocumentFailure,
    Label,
    SentimentResult,
    SentimentScores,
    blank_text_result,
    is_blank,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["InMemorySentimentAnalyzer"]


class InMemorySentimentAnalyzer:
    """An analyzer whose answers you script; thread-safe; records every batch it was sent.

    Args:
        labels: Text to label; other texts get ``default``. Scores put 1.0 on the label.
        default: The label of texts not in ``labels``.
        failures: Text to the error code its document fails with (e.g.
            ``"ThrottlingException"``).
        name: The results' ``source`` (``"memory"``; pass ``"comprehend"`` to stand in for it).

    Examples:
        >>> fake = InMemorySentimentAnalyzer(labels={"love it": Label.POSITIVE})
        >>> [r.label.value for r in fake.analyze(["love it", "ok"])]
        ['positive', 'neutral']
        >>> fake.calls
        [('love it', 'ok')]
    """

    def __init__(
        self,
        *,
        labels: Mapping[str, Label] | None = None,
        default: Label = Label.NEUTRAL,
        failures: Mapping[str, str] | None = None,
        name: str = "memory",
    ) -> None:
        """Store the script."""
        self._labels = dict(labels or {})
        self._default = default
        self._failures = dict(failures or {})
        self._name = name
        self._calls: list[tuple[str, ...]] = []
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The ``source`` of the results."""
        return self._name

    @property
    def calls(self) -> list[tuple[str, ...]]:
        """The non-blank texts of each batch, in the order the batches came."""
        with self._lock:
            return list(self._calls)

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]:
        """Return, per text and in order, its scripted result or failure."""
        sent = tuple(text for text in texts if not is_blank(text))
        if sent:
            with self._lock:
                self._calls.append(sent)
        outcomes: list[SentimentResult | DocumentFailure] = []
        for index, text in enumerate(texts):
            if is_blank(text):
                outcomes.append(blank_text_result())
            elif text in self._failures:
                code = self._failures[text]
                outcomes.append(DocumentFailure(index=index, code=code, message="scripted"))
            else:
                label = self._labels.get(text, self._default)
                outcomes.append(
                    SentimentResult(
                        label=label,
                        scores=SentimentScores(**{label.value: 1.0}),
                        source=self._name,
                    )
                )
        return outcomes

    def analyze(self, texts: Sequence[str]) -> list[SentimentResult]:
        """Return the scripted results.

        Raises:
            SentimentError: a text is scripted to fail.
        """
        outcomes = self.try_analyze(texts)
        failures = [outcome for outcome in outcomes if isinstance(outcome, DocumentFailure)]
        if failures:
            raise SentimentError(
                f"{self._name} could not label {len(failures)} of {len(texts)} texts"
            )
        return [outcome for outcome in outcomes if isinstance(outcome, SentimentResult)]
