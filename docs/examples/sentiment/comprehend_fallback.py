"""Comprehend first, the offline analyzer for what fails; every result says who labelled it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from feedback_core.sentiment import (
    ComprehendSentimentAnalyzer,
    FallbackSentimentAnalyzer,
    LexiconSentimentAnalyzer,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mypy_boto3_comprehend.client import ComprehendClient

    from feedback_core.aws import Backoff
    from feedback_core.sentiment import DocumentFailure

log = logging.getLogger("feedback.sentiment")


def log_fallbacks(failures: Sequence[DocumentFailure]) -> None:
    """Count why Comprehend failed, so a dashboard shows throttling or a wrong language."""
    for failure in failures:
        log.warning("sentiment fell back to offline: %s", failure.code)


def build(
    client: ComprehendClient | None = None, backoff: Backoff | None = None
) -> FallbackSentimentAnalyzer:
    """Comprehend in eu-west-1 (say the function runs in eu-north-1, which has none)."""
    comprehend = ComprehendSentimentAnalyzer(
        client=client,  # tests inject one; otherwise created on first use
        region=None if client is not None else "eu-west-1",
        language="en",
        backoff=backoff,  # default: 6 attempts, full-jitter exponential delays
    )
    return FallbackSentimentAnalyzer(
        comprehend, LexiconSentimentAnalyzer(), on_fallback=log_fallbacks
    )
