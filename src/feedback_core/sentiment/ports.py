"""The sentiment port: analyze a batch of texts, one labelled, scored, attributed result each.

Two protocols describe analyzers. :class:`SentimentAnalyzer` always answers (or raises for the
whole batch); :class:`FallibleSentimentAnalyzer` answers per document, so a document that failed
can be handed to another analyzer (see :mod:`feedback_core.sentiment.fallback`).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final, Protocol

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from decimal import Decimal

    from feedback_core.attributes import Value

__all__ = [
    "COMPREHEND_SOURCE",
    "OFFLINE_SOURCE",
    "DocumentFailure",
    "FallibleSentimentAnalyzer",
    "Label",
    "SentimentAnalyzer",
    "SentimentResult",
    "SentimentScores",
    "blank_text_result",
    "is_blank",
]

OFFLINE_SOURCE: Final = "offline"
"""``source`` of results from the offline lexicon analyzer (and of every blank-text result)."""

COMPREHEND_SOURCE: Final = "comprehend"
"""``source`` of results from Amazon Comprehend."""

SCORE_PLACES: Final = 4
"""Decimal places kept when scores become DynamoDB numbers."""


class Label(enum.StrEnum):
    """The overall sentiment of one text; the values are the stored ``sentiment`` strings."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    MIXED = "mixed"


def _decimal(value: float, places: int) -> Decimal:
    # Imported here: decimal costs a millisecond at import, and only storing results needs it.
    from decimal import ROUND_HALF_EVEN, Decimal

    # repr() is the shortest text that round-trips the float, so no binary noise reaches the
    # Decimal; quantize then fixes the number of places (banker's rounding, as Decimal defaults).
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


@attrs.frozen(kw_only=True)
class SentimentScores:
    """How strongly a text reads as each label, each in [0, 1], summing to about 1.

    Comprehend's scores are its confidences; the offline analyzer's are its evidence for each
    label, normalised. Neither is a calibrated probability.

    Examples:
        >>> SentimentScores(positive=0.9, neutral=0.1).as_decimals()["positive"]
        Decimal('0.9000')
    """

    positive: float = 0.0
    neutral: float = 0.0
    negative: float = 0.0
    mixed: float = 0.0

    def __attrs_post_init__(self) -> None:
        """Refuse scores outside [0, 1] (NaN included); one check for all four, it is hot."""
        positive, neutral, negative, mixed = self.positive, self.neutral, self.negative, self.mixed
        # The common case in one expression (no tuple per score); the loop below names the culprit.
        if (
            0.0 <= positive <= 1.0
            and 0.0 <= neutral <= 1.0
            and 0.0 <= negative <= 1.0
            and 0.0 <= mixed <= 1.0
            and bool not in (type(positive), type(neutral), type(negative), type(mixed))
        ):
            return
        for name, value in (
            ("positive", self.positive),
            ("neutral", self.neutral),
            ("negative", self.negative),
            ("mixed", self.mixed),
        ):
            # "not 0 <= x <= 1" is also true for NaN; bool is an int, not a score.
            if not 0.0 <= value <= 1.0 or isinstance(value, bool):
                raise ValueError(f"{name} must be a number in [0, 1], not {value!r}")

    def as_decimals(self, places: int = SCORE_PLACES) -> dict[str, Decimal]:
        """Return the scores as DynamoDB-safe ``Decimal`` values, rounded to ``places``.

        Args:
            places: Decimal places to keep (4 by default: 0.0001 resolution).

        Returns:
            ``{"positive": ..., "neutral": ..., "negative": ..., "mixed": ...}``. Rounded values
            may sum to 1 plus or minus a few units in the last place.
        """
        return {
            "positive": _decimal(self.positive, places),
            "neutral": _decimal(self.neutral, places),
            "negative": _decimal(self.negative, places),
            "mixed": _decimal(self.mixed, places),
        }

    def of(self, label: Label) -> float:
        """Return the score of ``label``."""
        return float(getattr(self, label.value))


@attrs.frozen(kw_only=True)
class SentimentResult:
    """The sentiment of one text, and which analyzer decided it.

    Attributes:
        label: The overall sentiment.
        scores: The score of every label.
        source: Which analyzer produced the result: ``"offline"`` or ``"comprehend"``.
        fallback_reason: Set when the result comes from a fallback analyzer: the error code
            that made the first analyzer fail for this text (e.g. ``ThrottlingException``).
    """

    label: Label
    scores: SentimentScores
    source: str
    fallback_reason: str | None = None

    def to_attributes(self, places: int = SCORE_PLACES) -> dict[str, Value]:
        """Return the feedback item's ``sentiment``, ``sentimentScores`` and ``sentimentSource``.

        Scores are ``Decimal`` (never ``float``), so the mapping can go straight to
        :func:`feedback_core.attributes.to_item` or a boto3 ``update_item``.

        Args:
            places: Decimal places kept in the scores.

        Examples:
            >>> result = SentimentResult(
            ...     label=Label.NEUTRAL, scores=SentimentScores(neutral=1.0), source="offline"
            ... )
            >>> result.to_attributes()["sentimentScores"]["neutral"]
            Decimal('1.0000')
        """
        scores: dict[str, Value] = dict(self.scores.as_decimals(places))
        return {
            "sentiment": self.label.value,
            "sentimentScores": scores,
            "sentimentSource": self.source,
        }


@attrs.frozen(kw_only=True)
class DocumentFailure:
    """One document that an analyzer could not label.

    Attributes:
        index: The document's position in the batch that was analyzed.
        code: A machine-readable reason: an AWS error code such as ``ThrottlingException`` or
            a per-document ``ErrorCode`` from Comprehend's ``ErrorList``.
        message: A human-readable explanation.
    """

    index: int
    code: str
    message: str = ""


class SentimentAnalyzer(Protocol):
    """Labels every text of a batch; the port handlers and pipelines depend on."""

    @property
    def name(self) -> str:
        """A short name for logs and metrics, e.g. ``"offline"``."""
        ...

    def analyze(self, texts: Sequence[str]) -> list[SentimentResult]:
        """Return one result per text, in the order given.

        Blank (empty or whitespace-only) texts get :func:`blank_text_result`.

        Raises:
            SentimentError: the analyzer could not label every text.
        """
        ...


class FallibleSentimentAnalyzer(Protocol):
    """Labels texts one by one, reporting the documents it could not label instead of raising."""

    @property
    def name(self) -> str:
        """A short name for logs and metrics, e.g. ``"comprehend"``."""
        ...

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]:
        """Return, per text and in order, its result or why it could not be labelled."""
        ...


_SCORE_FIELDS: Final = ("positive", "neutral", "negative", "mixed")
_RESULT_FIELDS: Final = ("label", "scores", "source", "fallback_reason")
"""Every field of the two values, in the order :func:`_offline_result` fills them (a test keeps
these equal to the attrs fields, so a new field cannot be left unset)."""


def _slot_setters(
    cls: type, names: tuple[str, ...]
) -> tuple[Callable[[object, object], None], ...]:
    # A slotted attrs class keeps each field in a slot; the slot's descriptor stores a value
    # without the frozen class's __setattr__ (which refuses) or its __init__ (which validates).
    return tuple(cls.__dict__[name].__set__ for name in names)


_SET_POSITIVE, _SET_NEUTRAL, _SET_NEGATIVE, _SET_MIXED = _slot_setters(
    SentimentScores, _SCORE_FIELDS
)
_SET_LABEL, _SET_SCORES, _SET_SOURCE, _SET_REASON = _slot_setters(SentimentResult, _RESULT_FIELDS)
_new = object.__new__


def _offline_result(
    label: Label, positive: float, neutral: float, negative: float, mixed: float
) -> SentimentResult:
    """Build an offline result from scores known to be floats in [0, 1], without checking them.

    The offline analyzer's hot path, not public API: the values are those the public
    constructors would build (equal, same repr, as frozen), at about a third of the cost. The
    range check is what is skipped, so the caller must have checked every score itself.
    """
    scores = _new(SentimentScores)
    _SET_POSITIVE(scores, positive)
    _SET_NEUTRAL(scores, neutral)
    _SET_NEGATIVE(scores, negative)
    _SET_MIXED(scores, mixed)
    result = _new(SentimentResult)
    _SET_LABEL(result, label)
    _SET_SCORES(result, scores)
    _SET_SOURCE(result, OFFLINE_SOURCE)
    _SET_REASON(result, None)
    return result


_BLANK_RESULT: Final = SentimentResult(
    label=Label.NEUTRAL, scores=SentimentScores(neutral=1.0), source=OFFLINE_SOURCE
)


def is_blank(text: str) -> bool:
    """Return whether ``text`` is empty or whitespace only (such texts are never sent to AWS)."""
    return not text or text.isspace()


def blank_text_result() -> SentimentResult:
    """Return the defined result for an empty or whitespace-only text: neutral, from offline.

    Every analyzer returns this for blank texts; Comprehend rejects empty documents, so the
    Comprehend adapter never sends them.
    """
    return _BLANK_RESULT
