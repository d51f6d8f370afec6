"""The Comprehend -> offline chain, with Comprehend stubbed at the botocore level.

Moto has no BatchDetectSentiment, so a ``Stubber`` on a real client plays AWS (see
``test_sentiment_comprehend.py`` for what AWS returns). The offline analyzer is the real one.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.stub import Stubber

from feedback_core.aws import Backoff
from feedback_core.sentiment import (
    ComprehendSentimentAnalyzer,
    DocumentFailure,
    FallbackSentimentAnalyzer,
    Label,
    LexiconSentimentAnalyzer,
    analyzer_from_env,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from mypy_boto3_comprehend.client import ComprehendClient


def _item(index: int) -> dict[str, Any]:
    scores = {"Positive": 0.02, "Negative": 0.01, "Neutral": 0.96, "Mixed": 0.01}
    return {"Index": index, "Sentiment": "NEUTRAL", "SentimentScore": scores}


@pytest.fixture
def client() -> ComprehendClient:
    return boto3.client("comprehend", region_name="eu-west-1")


@pytest.fixture
def stubber(client: ComprehendClient) -> Iterator[Stubber]:
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.fixture
def comprehend(client: ComprehendClient) -> ComprehendSentimentAnalyzer:
    backoff = Backoff(attempts=2, sleep=lambda _: None, rng=random.Random(1))
    return ComprehendSentimentAnalyzer(client=client, backoff=backoff)


def test_failed_documents_are_labelled_offline_in_place(
    comprehend: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """Documents in ErrorList get offline results at their own positions; others stay."""
    texts = ["The parcel came.", "Terrible support, still no refund!", "It is blue."]
    # AWS labelled documents 0 and 2 and failed document 1 inside a successful call.
    response = {
        "ResultList": [_item(0), _item(2)],
        "ErrorList": [{"Index": 1, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "x"}],
    }
    stubber.add_response("batch_detect_sentiment", response)
    results = FallbackSentimentAnalyzer(comprehend).analyze(texts)
    assert [
        ("comprehend", Label.NEUTRAL, None),
        ("offline", Label.NEGATIVE, "INTERNAL_SERVER_ERROR"),
        ("comprehend", Label.NEUTRAL, None),
    ] == [(r.source, r.label, r.fallback_reason) for r in results]


def test_throttled_batch_is_labelled_offline(
    comprehend: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """When throttling outlasts the retries, every document is labelled offline, in order."""
    for _ in range(2):
        stubber.add_client_error("batch_detect_sentiment", "ThrottlingException", "slow", 400)
    texts = ["Love it!", "Awful, broken on arrival.", "Order 1234."]
    results = FallbackSentimentAnalyzer(comprehend).analyze(texts)
    assert [Label.POSITIVE, Label.NEGATIVE, Label.NEUTRAL] == [r.label for r in results]
    assert {("offline", "ThrottlingException")} == {(r.source, r.fallback_reason) for r in results}


def test_fallback_sees_failures_before_labelling(
    comprehend: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """on_fallback receives the failures of the batch, with their positions and codes."""
    seen: list[list[tuple[int, str]]] = []

    def record(failures: Sequence[DocumentFailure]) -> None:
        seen.append([(f.index, f.code) for f in failures])

    stubber.add_client_error("batch_detect_sentiment", "UnsupportedLanguageException", "no", 400)
    FallbackSentimentAnalyzer(comprehend, on_fallback=record).analyze(["Hola", "", "Adiós"])
    # The blank text is never sent, so it is no failure: it has its defined neutral result.
    assert [[(0, "UnsupportedLanguageException"), (2, "UnsupportedLanguageException")]] == seen


def test_env_builds_comprehend_then_offline(client: ComprehendClient, stubber: Stubber) -> None:
    """SENTIMENT_ANALYZER=comprehend gives the chain; it calls Comprehend first."""
    stubber.add_response("batch_detect_sentiment", {"ResultList": [_item(0)], "ErrorList": []})
    analyzer = analyzer_from_env({"SENTIMENT_ANALYZER": "comprehend"}, client=client)
    assert isinstance(analyzer, FallbackSentimentAnalyzer)
    assert isinstance(analyzer.fallback, LexiconSentimentAnalyzer)
    assert "comprehend>offline" == analyzer.name
    assert "comprehend" == analyzer.analyze(["Nice."])[0].source
