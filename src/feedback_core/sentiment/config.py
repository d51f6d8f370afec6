"""Build the configured analyzer from environment variables, once, at a handler's cold start.

==========================  ===============================================================
Variable                    Meaning
==========================  ===============================================================
``SENTIMENT_ANALYZER``      ``offline`` (default): the lexicon analyzer, no AWS calls.
                            ``comprehend``: Comprehend, offline for documents that fail.
                            ``comprehend-strict``: Comprehend only; a failed document makes
                            the batch raise SentimentError (let the event source retry).
``COMPREHEND_REGION``       Region to call Comprehend in (default: the function's region).
``COMPREHEND_LANGUAGE``     ``LanguageCode`` of the texts (default ``en``).
``COMPREHEND_MAX_BYTES``    The most UTF-8 bytes of each text sent to Comprehend (1..5000,
                            default 5000): a longer text is analysed up to this cap, which
                            bounds what one request can cost (Comprehend bills per 100
                            characters).
==========================  ===============================================================
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

from feedback_core import config
from feedback_core.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from mypy_boto3_comprehend.client import ComprehendClient

    from feedback_core.sentiment.ports import DocumentFailure, SentimentAnalyzer

__all__ = ["ANALYZER_CHOICES", "ENV_VARS", "analyzer_from_env"]

ENV_VARS: Final = (
    "SENTIMENT_ANALYZER",
    "COMPREHEND_REGION",
    "COMPREHEND_LANGUAGE",
    "COMPREHEND_MAX_BYTES",
)
"""The variables :func:`analyzer_from_env` reads (templates may set any of them)."""

ANALYZER_CHOICES: Final = ("offline", "comprehend", "comprehend-strict")
"""The values ``SENTIMENT_ANALYZER`` accepts."""


def analyzer_from_env(
    environ: Mapping[str, str] | None = None,
    *,
    client: ComprehendClient | None = None,
    on_fallback: Callable[[Sequence[DocumentFailure]], None] | None = None,
) -> SentimentAnalyzer:
    """Return the analyzer the environment asks for; makes no AWS call.

    Args:
        environ: The variables to read; ``os.environ`` by default.
        client: A Comprehend client to use instead of creating one (tests, custom config).
        on_fallback: For ``comprehend``: called with each batch's failed documents before they
            are labelled offline (log them, count a metric).

    Returns:
        An analyzer whose ``analyze(texts)`` labels a batch.

    Raises:
        ConfigurationError: an unknown ``SENTIMENT_ANALYZER`` or ``COMPREHEND_LANGUAGE``, or a
            ``COMPREHEND_MAX_BYTES`` outside 1..5000.
        UnsupportedRegionError: ``COMPREHEND_REGION`` (or the function's region) has no
            Comprehend.

    Examples:
        >>> analyzer_from_env({"SENTIMENT_ANALYZER": "offline"}).name
        'offline'
    """
    env = os.environ if environ is None else environ
    choice = env.get("SENTIMENT_ANALYZER", "offline").strip().lower() or "offline"
    if choice not in ANALYZER_CHOICES:
        raise ConfigurationError(
            f"SENTIMENT_ANALYZER must be one of {', '.join(ANALYZER_CHOICES)}, not {choice!r}"
        )
    # Imports are deferred so a handler pays only for the analyzer it uses.
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer

    if choice == "offline":
        return LexiconSentimentAnalyzer()
    from feedback_core.sentiment.comprehend import MAX_DOCUMENT_BYTES, ComprehendSentimentAnalyzer

    # An explicit COMPREHEND_REGION must match an injected client's region; otherwise the
    # client's region, or the function's own region, is used.
    region = env.get("COMPREHEND_REGION") or None
    if region is None and client is None:
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
    comprehend = ComprehendSentimentAnalyzer(
        client=client,
        region=region,
        language=env.get("COMPREHEND_LANGUAGE", "en").strip() or "en",
        max_bytes=config.integer(
            env,
            "COMPREHEND_MAX_BYTES",
            default=MAX_DOCUMENT_BYTES,
            minimum=1,
            maximum=MAX_DOCUMENT_BYTES,
        ),
    )
    if choice == "comprehend-strict":
        return comprehend
    from feedback_core.sentiment.fallback import FallbackSentimentAnalyzer

    return FallbackSentimentAnalyzer(
        comprehend, LexiconSentimentAnalyzer(), on_fallback=on_fallback
    )
