"""mypy proves the sentiment adapters fit their ports; pytest imports it as a smoke test.

If an adapter's signature drifts from :class:`SentimentAnalyzer` or
:class:`FallibleSentimentAnalyzer`, ``mypy --strict`` fails on the assignments below. Nothing
here calls AWS: the Comprehend adapter creates its client only on first use.
"""

from __future__ import annotations

from feedback_core.sentiment import (
    ComprehendSentimentAnalyzer,
    FallbackSentimentAnalyzer,
    FallibleSentimentAnalyzer,
    InMemorySentimentAnalyzer,
    LexiconSentimentAnalyzer,
    SentimentAnalyzer,
    analyzer_from_env,
)

offline: SentimentAnalyzer = LexiconSentimentAnalyzer()
offline_fallible: FallibleSentimentAnalyzer = LexiconSentimentAnalyzer()
comprehend: SentimentAnalyzer = ComprehendSentimentAnalyzer(region="us-east-1")
comprehend_fallible: FallibleSentimentAnalyzer = ComprehendSentimentAnalyzer(region="eu-west-1")
memory: SentimentAnalyzer = InMemorySentimentAnalyzer()
memory_fallible: FallibleSentimentAnalyzer = InMemorySentimentAnalyzer()
chain: SentimentAnalyzer = FallbackSentimentAnalyzer(comprehend_fallible, offline)
nested: FallibleSentimentAnalyzer = FallbackSentimentAnalyzer(
    FallbackSentimentAnalyzer(memory_fallible), memory
)
configured: SentimentAnalyzer = analyzer_from_env({"SENTIMENT_ANALYZER": "offline"})


def test_adapters_fit_their_ports() -> None:
    """The module imports, so the assignments above ran (mypy checks them statically)."""
    assert ["offline", "comprehend", "memory", "comprehend>offline"] == [
        offline.name,
        comprehend.name,
        memory.name,
        chain.name,
    ]
