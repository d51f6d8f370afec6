"""Amazon Comprehend adapter: BatchDetectSentiment in groups of 25, byte-exact truncation, retries.

Comprehend limits each document to 5,000 bytes of UTF-8, not 5,000 characters: an emoji is 4
bytes, an accented letter 2. :func:`truncate_utf8` cuts on a character boundary so no request
fails on the limit. Empty documents are rejected by Comprehend, so blank texts are never sent:
they get the defined neutral result from the offline analyzer.

boto3 is imported only when the first client is created; the adapter accepts an injected
low-level client (``boto3.client("comprehend")``) and otherwise creates one on first use.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Final, cast

from feedback_core import aws
from feedback_core.errors import (
    ConfigurationError,
    SentimentError,
    ServiceError,
    ThrottledError,
    UnsupportedRegionError,
)
from feedback_core.sentiment.ports import (
    COMPREHEND_SOURCE,
    DocumentFailure,
    Label,
    SentimentResult,
    SentimentScores,
    blank_text_result,
    is_blank,
)

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from mypy_boto3_comprehend.client import ComprehendClient
    from mypy_boto3_comprehend.literals import LanguageCodeType
    from mypy_boto3_comprehend.type_defs import (
        BatchDetectSentimentItemResultTypeDef,
        BatchDetectSentimentResponseTypeDef,
    )

__all__ = [
    "COMPREHEND_LANGUAGES",
    "COMPREHEND_REGIONS",
    "MAX_BATCH_SIZE",
    "MAX_DOCUMENT_BYTES",
    "ComprehendSentimentAnalyzer",
    "truncate_utf8",
]

MAX_BATCH_SIZE: Final = 25
"""Documents per BatchDetectSentiment call (more is a BatchSizeLimitExceededException)."""

MAX_DOCUMENT_BYTES: Final = 5_000
"""UTF-8 bytes per document that BatchDetectSentiment accepts."""

COMPREHEND_REGIONS: Final = frozenset(
    {
        "us-east-1",  # US East (N. Virginia)
        "us-east-2",  # US East (Ohio)
        "us-west-2",  # US West (Oregon)
        "ca-central-1",  # Canada (Central)
        "eu-west-1",  # Europe (Ireland)
        "eu-west-2",  # Europe (London)
        "eu-central-1",  # Europe (Frankfurt)
        "ap-south-1",  # Asia Pacific (Mumbai)
        "ap-northeast-1",  # Asia Pacific (Tokyo)
        "ap-northeast-2",  # Asia Pacific (Seoul)
        "ap-southeast-1",  # Asia Pacific (Singapore)
        "ap-southeast-2",  # Asia Pacific (Sydney)
        "us-gov-west-1",  # AWS GovCloud (US-West)
    }
)
"""Regions where Amazon Comprehend is offered (Comprehend Developer Guide, "Guidelines and
quotas"; botocore's endpoints.json lists the same commercial and GovCloud regions). Pass
``regions=`` to allow one that AWS adds later."""

COMPREHEND_LANGUAGES: Final = frozenset(
    {"en", "es", "fr", "de", "it", "pt", "ar", "hi", "ja", "ko", "zh", "zh-TW"}
)
"""``LanguageCode`` values that BatchDetectSentiment accepts."""

_OPERATION: Final = "BatchDetectSentiment"

_RETRY_ON: Final = aws.THROTTLING_CODES | {
    "InternalServerException",  # Comprehend's name for a 500
    "InternalServerError",
    "InternalFailure",
    "ServiceUnavailable",
    "ServiceUnavailableException",
}
"""Whole-call errors worth retrying; anything else (e.g. UnsupportedLanguageException) is not."""

_LABELS: Final = {
    "POSITIVE": Label.POSITIVE,
    "NEUTRAL": Label.NEUTRAL,
    "NEGATIVE": Label.NEGATIVE,
    "MIXED": Label.MIXED,
}


def truncate_utf8(text: str, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """Return the longest prefix of ``text`` whose UTF-8 encoding fits in ``limit`` bytes.

    The cut falls on a character (code point) boundary, never inside a multi-byte character.
    Lone surrogates, which cannot be encoded and which Comprehend would reject, become ``?``.

    Args:
        text: Any text.
        limit: The byte budget; Comprehend's per-document limit by default.

    Returns:
        ``text`` itself when it fits, else its longest fitting prefix.

    Examples:
        >>> truncate_utf8("ab\N{GRINNING FACE}", limit=5)  # the emoji is 4 bytes: it does not fit
        'ab'
    """
    if len(text) * 4 <= limit and text.isascii():
        return text
    encoded = text.encode("utf-8", "replace")
    if len(encoded) <= limit:
        return encoded.decode("utf-8")
    # A UTF-8 prefix is valid except, at most, for one incomplete character at its end, which
    # "ignore" drops: exactly the character-boundary cut.
    return encoded[:limit].decode("utf-8", "ignore")


def _score(value: float | None) -> float:
    # Comprehend's scores are confidences in [0, 1]; clamp rounding noise at the edges.
    return min(max(float(value or 0.0), 0.0), 1.0)


def _result(item: BatchDetectSentimentItemResultTypeDef) -> SentimentResult | None:
    label = _LABELS.get(item.get("Sentiment", ""))
    if label is None:
        return None
    score = item.get("SentimentScore", {})
    return SentimentResult(
        label=label,
        scores=SentimentScores(
            positive=_score(score.get("Positive")),
            neutral=_score(score.get("Neutral")),
            negative=_score(score.get("Negative")),
            mixed=_score(score.get("Mixed")),
        ),
        source=COMPREHEND_SOURCE,
    )


class ComprehendSentimentAnalyzer:
    """Sentiment from Amazon Comprehend's BatchDetectSentiment.

    Fits :class:`~feedback_core.sentiment.ports.FallibleSentimentAnalyzer` (per-document
    outcomes, for :class:`~feedback_core.sentiment.fallback.FallbackSentimentAnalyzer`) and
    :class:`~feedback_core.sentiment.ports.SentimentAnalyzer` (all or nothing).

    Texts go in groups of 25, each cut to ``max_bytes`` (5,000) UTF-8 bytes. Throttling and
    server errors are retried with full-jitter backoff; once a group still fails after its
    retries with throttling or a connection error, the rest of the batch is not sent (it would
    fail the same way) and is reported as failed with the same code.

    Args:
        client: A low-level Comprehend client; one is created on first use when omitted.
        region: The region to call (Comprehend is not in every region); by default the
            injected client's region, else ``AWS_REGION`` / ``AWS_DEFAULT_REGION``.
        language: The documents' ``LanguageCode`` (``"en"`` by default).
        backoff: The retry policy; tests pass one with a recording ``sleep``.
        regions: Regions to accept; :data:`COMPREHEND_REGIONS` by default.
        max_bytes: The most UTF-8 bytes of each text sent (and billed: Comprehend charges per
            100 characters); a longer text is analysed up to this cap, cut on a character
            boundary. At most, and by default, Comprehend's own 5,000-byte limit.

    Raises:
        UnsupportedRegionError: the region has no Comprehend.
        ConfigurationError: the language is not one Comprehend analyzes, ``client`` and
            ``region`` disagree, or ``max_bytes`` is outside 1..5,000.

    Examples:
        >>> analyzer = ComprehendSentimentAnalyzer(region="eu-west-1")  # no AWS call yet
        >>> analyzer.region
        'eu-west-1'
    """

    def __init__(
        self,
        *,
        client: ComprehendClient | None = None,
        region: str | None = None,
        language: str = "en",
        backoff: aws.Backoff | None = None,
        regions: Collection[str] = COMPREHEND_REGIONS,
        max_bytes: int = MAX_DOCUMENT_BYTES,
    ) -> None:
        """Check the region and language now, so a misconfigured handler fails at cold start."""
        if not 1 <= max_bytes <= MAX_DOCUMENT_BYTES:
            raise ConfigurationError(
                f"the Comprehend text cap must be 1..{MAX_DOCUMENT_BYTES} bytes, not {max_bytes}"
            )
        self._max_bytes = max_bytes
        if language not in COMPREHEND_LANGUAGES:
            raise ConfigurationError(
                f"Comprehend cannot analyze sentiment in language {language!r};"
                f" use one of {', '.join(sorted(COMPREHEND_LANGUAGES))}"
            )
        if client is not None:
            client_region = client.meta.region_name
            if region is not None and region != client_region:
                raise ConfigurationError(
                    f"the Comprehend client is for {client_region!r}, not {region!r}"
                )
            region = client_region
        elif region is None:
            region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        self._regions = frozenset(regions)
        if region is not None:
            self._check_region(region)
        self._region = region
        self._language = cast("LanguageCodeType", language)
        self._client = client
        self._client_lock = threading.Lock()
        self._backoff = backoff or aws.Backoff()

    @property
    def name(self) -> str:
        """``"comprehend"``."""
        return COMPREHEND_SOURCE

    @property
    def region(self) -> str | None:
        """The region called; None until the first call when boto3's configuration decides."""
        return self._region

    @property
    def client(self) -> ComprehendClient:
        """The Comprehend client, created (importing boto3) on first use."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    created = cast(
                        "ComprehendClient", aws.client("comprehend", region_name=self._region)
                    )
                    self._check_region(created.meta.region_name)
                    self._region = created.meta.region_name
                    self._client = created
        return self._client

    def _check_region(self, region: str) -> None:
        if region not in self._regions:
            raise UnsupportedRegionError(
                f"Amazon Comprehend is not available in {region!r}; set the region to one of"
                f" {', '.join(sorted(self._regions))} (e.g. COMPREHEND_REGION), or use the"
                " offline analyzer"
            )

    def analyze(self, texts: Sequence[str]) -> list[SentimentResult]:
        """Return one Comprehend result per text (blank texts: the neutral offline result).

        Raises:
            SentimentError: any document failed; the message counts them by error code. Use
                :class:`~feedback_core.sentiment.fallback.FallbackSentimentAnalyzer` to label
                such documents offline instead.
        """
        outcomes = self.try_analyze(texts)
        failures = [outcome for outcome in outcomes if isinstance(outcome, DocumentFailure)]
        if failures:
            codes: dict[str, int] = {}
            for failure in failures:
                codes[failure.code] = codes.get(failure.code, 0) + 1
            summary = ", ".join(f"{count} x {code}" for code, count in sorted(codes.items()))
            raise SentimentError(
                f"Comprehend could not label {len(failures)} of {len(texts)} texts: {summary}"
            )
        return [outcome for outcome in outcomes if isinstance(outcome, SentimentResult)]

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]:
        """Return, per text and in order, Comprehend's result or why there is none.

        Failures carry Comprehend's per-document ``ErrorCode`` (from ``ErrorList``, matched by
        ``Index``) or the AWS error code of a call that failed as a whole.

        Raises:
            UnsupportedRegionError: the client boto3 created is for a region without Comprehend.
        """
        outcomes: list[SentimentResult | DocumentFailure | None] = [None] * len(texts)
        pending: list[int] = []
        for index, text in enumerate(texts):
            if is_blank(text):
                outcomes[index] = blank_text_result()
            else:
                pending.append(index)
        stopped: DocumentFailure | None = None
        for start in range(0, len(pending), MAX_BATCH_SIZE):
            group = pending[start : start + MAX_BATCH_SIZE]
            if stopped is None:
                stopped = self._detect(texts, group, outcomes)
            else:
                for index in group:
                    outcomes[index] = DocumentFailure(
                        index=index,
                        code=stopped.code,
                        message=f"not sent: an earlier group failed with {stopped.code}",
                    )
        return [
            outcome
            if outcome is not None
            else DocumentFailure(index=index, code="MissingResult", message="no result returned")
            for index, outcome in enumerate(outcomes)
        ]

    def _detect(
        self,
        texts: Sequence[str],
        group: list[int],
        outcomes: list[SentimentResult | DocumentFailure | None],
    ) -> DocumentFailure | None:
        """Label one group in place; return a failure when the rest of the batch should stop."""
        from botocore.exceptions import BotoCoreError  # boto3 is loaded by now

        client = self.client
        documents = [truncate_utf8(texts[index], self._max_bytes) for index in group]
        try:
            response: BatchDetectSentimentResponseTypeDef = aws.with_retries(
                lambda: client.batch_detect_sentiment(
                    TextList=documents, LanguageCode=self._language
                ),
                operation=_OPERATION,
                backoff=self._backoff,
                retry_on=_RETRY_ON,
            )
        except ServiceError as exc:
            for index in group:
                outcomes[index] = DocumentFailure(index=index, code=exc.code, message=str(exc))
            if isinstance(exc, ThrottledError):
                return DocumentFailure(index=group[0], code=exc.code, message=str(exc))
            return None
        except BotoCoreError as exc:  # no HTTP answer at all: endpoint unreachable, timeouts
            code = type(exc).__name__
            for index in group:
                outcomes[index] = DocumentFailure(index=index, code=code, message=str(exc))
            return DocumentFailure(index=group[0], code=code, message=str(exc))
        for item in response.get("ResultList", []):
            position = item.get("Index")
            if position is None or not 0 <= position < len(group):
                continue
            result = _result(item)
            outcomes[group[position]] = result or DocumentFailure(
                index=group[position],
                code="UnknownSentiment",
                message=f"unexpected Sentiment {item.get('Sentiment')!r}",
            )
        for error in response.get("ErrorList", []):
            position = error.get("Index")
            if position is None or not 0 <= position < len(group):
                continue
            outcomes[group[position]] = DocumentFailure(
                index=group[position],
                code=error.get("ErrorCode", "Unknown"),
                message=error.get("ErrorMessage", ""),
            )
        return None
