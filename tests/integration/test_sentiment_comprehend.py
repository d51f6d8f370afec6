"""The Comprehend adapter against a real botocore client whose responses are stubbed.

Moto has no BatchDetectSentiment (it implements only DetectSentiment, with one canned answer),
so these tests put ``botocore.stub.Stubber`` on a real ``comprehend`` client: the request is
validated against the service model exactly as for AWS, and the stubbed responses are shaped as
AWS answers. What AWS returns, from the API reference:

* ``ResultList``: one ``{Index, Sentiment, SentimentScore}`` per document it labelled, where
  ``Index`` is the document's position in *this request's* ``TextList`` and ``Sentiment`` is
  ``POSITIVE``/``NEGATIVE``/``NEUTRAL``/``MIXED``, scores are floats in [0, 1];
* ``ErrorList``: one ``{Index, ErrorCode, ErrorMessage}`` per document it did not label (codes
  such as ``INTERNAL_SERVER_ERROR`` or ``TEXT_SIZE_LIMIT_EXCEEDED``), the call itself succeeding;
* whole-call errors: ``ThrottlingException`` (HTTP 400), ``InternalServerException`` (500),
  ``UnsupportedLanguageException``, ``TextSizeLimitExceededException``,
  ``BatchSizeLimitExceededException`` (more than 25 documents), ``InvalidRequestException``
  (for example an empty document).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.stub import Stubber

from feedback_core.aws import Backoff
from feedback_core.errors import ConfigurationError, SentimentError, UnsupportedRegionError
from feedback_core.sentiment import (
    ComprehendSentimentAnalyzer,
    DocumentFailure,
    Label,
    SentimentResult,
    SentimentScores,
    blank_text_result,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_comprehend.client import ComprehendClient

REGION = "us-east-1"


def _item(index: int, sentiment: str = "POSITIVE") -> dict[str, Any]:
    scores = {"Positive": 0.01, "Negative": 0.01, "Neutral": 0.01, "Mixed": 0.01}
    scores[sentiment.capitalize()] = 0.97
    return {"Index": index, "Sentiment": sentiment, "SentimentScore": scores}


def _ok(count: int, sentiment: str = "POSITIVE") -> dict[str, Any]:
    """What AWS answers when every document of a ``count``-document request was labelled."""
    return {"ResultList": [_item(i, sentiment) for i in range(count)], "ErrorList": []}


def _expect(texts: list[str], language: str = "en") -> dict[str, Any]:
    return {"TextList": texts, "LanguageCode": language}


class Calls:
    """Counts BatchDetectSentiment requests through botocore's event system."""

    def __init__(self, client: ComprehendClient) -> None:
        self.count = 0
        # Stubber answers on "before-call" ahead of other handlers, so count one step earlier:
        # "before-parameter-build" fires once per request, retries included.
        client.meta.events.register(
            "before-parameter-build.comprehend.BatchDetectSentiment", self._seen
        )

    def _seen(self, **_: object) -> None:
        self.count += 1


@pytest.fixture
def client() -> ComprehendClient:
    return boto3.client("comprehend", region_name=REGION)


@pytest.fixture
def calls(client: ComprehendClient) -> Calls:
    return Calls(client)


@pytest.fixture
def stubber(client: ComprehendClient) -> Iterator[Stubber]:
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def analyzer(client: ComprehendClient, sleeps: list[float]) -> ComprehendSentimentAnalyzer:
    backoff = Backoff(attempts=3, base=0.05, cap=1.0, sleep=sleeps.append, rng=random.Random(7))
    return ComprehendSentimentAnalyzer(client=client, backoff=backoff)


@pytest.mark.parametrize(("size", "requests"), [(1, 1), (25, 1), (26, 2)])
def test_batches_go_in_groups_of_25(
    analyzer: ComprehendSentimentAnalyzer,
    stubber: Stubber,
    calls: Calls,
    size: int,
    requests: int,
) -> None:
    """1 and 25 texts take one request, 26 take two (25 + 1), each with the right texts."""
    texts = [f"text number {i}" for i in range(size)]
    for start in range(0, size, 25):
        group = texts[start : start + 25]
        stubber.add_response("batch_detect_sentiment", _ok(len(group)), _expect(group))
    results = analyzer.analyze(texts)
    assert (requests, size) == (calls.count, len(results))
    assert {("comprehend", Label.POSITIVE)} == {(r.source, r.label) for r in results}


def test_result_scores_and_label_are_mapped(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """Comprehend's label and four scores become the result's label and scores."""
    response = {
        "ResultList": [
            {
                "Index": 0,
                "Sentiment": "MIXED",
                "SentimentScore": {
                    "Positive": 0.3,
                    "Negative": 0.25,
                    "Neutral": 0.05,
                    "Mixed": 0.4,
                },
            }
        ],
        "ErrorList": [],
    }
    stubber.add_response("batch_detect_sentiment", response, _expect(["good but slow"]))
    expected = SentimentResult(
        label=Label.MIXED,
        scores=SentimentScores(positive=0.3, negative=0.25, neutral=0.05, mixed=0.4),
        source="comprehend",
    )
    assert [expected] == analyzer.analyze(["good but slow"])


def test_emoji_straddling_byte_5000_is_dropped_whole(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """A 4-byte emoji over bytes 4,999-5,002 is cut off whole: 4,998 bytes are sent."""
    text = "a" * 4_998 + "\N{GRINNING FACE}" + " more text"
    sent = "a" * 4_998
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect([sent]))
    assert Label.POSITIVE == analyzer.analyze([text])[0].label


def test_text_of_exactly_5000_bytes_is_sent_whole(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """4,996 ASCII bytes plus one 4-byte emoji is exactly the limit and goes unchanged."""
    text = "a" * 4_996 + "\N{GRINNING FACE}"
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect([text]))
    analyzer.analyze([text])


def test_multibyte_text_is_cut_by_bytes_not_characters(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """3,000 two-byte letters (6,000 bytes) are cut to 2,500 letters (5,000 bytes)."""
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect(["é" * 2_500]))
    analyzer.analyze(["é" * 3_000])


def test_a_text_over_the_paid_cap_is_analysed_up_to_the_cap(
    client: ComprehendClient, stubber: Stubber
) -> None:
    """With max_bytes=1000 only the first 1,000 bytes are sent (and billed), cut by character."""
    analyzer = ComprehendSentimentAnalyzer(client=client, max_bytes=1_000)
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect(["a" * 998]))
    analyzer.analyze(["a" * 998 + "\N{GRINNING FACE}" + "b" * 4_000])


@pytest.mark.parametrize("cap", [0, 5_001])
def test_a_cap_beyond_comprehends_limit_is_refused(client: ComprehendClient, cap: int) -> None:
    """The cap is 1..5,000 bytes: Comprehend refuses longer documents anyway."""
    with pytest.raises(ConfigurationError, match=r"1\.\.5000"):
        ComprehendSentimentAnalyzer(client=client, max_bytes=cap)


def test_blank_texts_are_never_sent(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber, calls: Calls
) -> None:
    """Empty and whitespace-only texts get the neutral offline result; the rest is sent alone."""
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect(["real text"]))
    results = analyzer.analyze(["", "   \n\t", "real text"])
    assert [blank_text_result(), blank_text_result()] == results[:2]
    assert ("comprehend", 1) == (results[2].source, calls.count)


def test_only_blank_texts_make_no_request(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber, calls: Calls
) -> None:
    """A batch of blank texts costs no request at all (Comprehend would reject it)."""
    del stubber
    assert [blank_text_result()] * 2 == analyzer.analyze(["", " "])
    assert 0 == calls.count


def test_per_document_errors_are_mapped_by_index(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """ErrorList entries become failures at the right batch positions, across groups."""
    texts = [f"t{i}" for i in range(27)]
    # First request: documents 3 and 24 failed; AWS lists the rest in ResultList.
    first = {
        "ResultList": [_item(i) for i in range(25) if i not in (3, 24)],
        "ErrorList": [
            {"Index": 3, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "try again"},
            {"Index": 24, "ErrorCode": "TEXT_SIZE_LIMIT_EXCEEDED", "ErrorMessage": "too big"},
        ],
    }
    # Second request: its Index 1 is the batch's document 26.
    second = {
        "ResultList": [_item(0)],
        "ErrorList": [{"Index": 1, "ErrorCode": "UNSUPPORTED_LANGUAGE", "ErrorMessage": "?"}],
    }
    stubber.add_response("batch_detect_sentiment", first, _expect(texts[:25]))
    stubber.add_response("batch_detect_sentiment", second, _expect(texts[25:]))
    outcomes = analyzer.try_analyze(texts)
    failures = [o for o in outcomes if isinstance(o, DocumentFailure)]
    assert [
        (3, "INTERNAL_SERVER_ERROR"),
        (24, "TEXT_SIZE_LIMIT_EXCEEDED"),
        (26, "UNSUPPORTED_LANGUAGE"),
    ] == [(f.index, f.code) for f in failures]
    assert 24 == sum(isinstance(o, SentimentResult) for o in outcomes)


def test_analyze_raises_when_a_document_failed(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber
) -> None:
    """Used alone, the adapter is all or nothing: one failed document fails the batch."""
    response = {
        "ResultList": [_item(0)],
        "ErrorList": [{"Index": 1, "ErrorCode": "INTERNAL_SERVER_ERROR", "ErrorMessage": "x"}],
    }
    stubber.add_response("batch_detect_sentiment", response, _expect(["a", "b"]))
    with pytest.raises(SentimentError, match="1 of 2 texts: 1 x INTERNAL_SERVER_ERROR"):
        analyzer.analyze(["a", "b"])


def test_throttling_is_retried_with_backoff(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber, sleeps: list[float]
) -> None:
    """Two ThrottlingExceptions, then success: three requests, two jittered waits."""
    for _ in range(2):
        stubber.add_client_error(
            "batch_detect_sentiment", "ThrottlingException", "Rate exceeded", 400
        )
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect(["hi"]))
    assert Label.POSITIVE == analyzer.analyze(["hi"])[0].label
    assert 2 == len(sleeps)
    assert all(0 <= delay <= 1.0 for delay in sleeps)


def test_server_errors_are_retried(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber, calls: Calls
) -> None:
    """Comprehend's InternalServerException (HTTP 500) is transient: retried, then success."""
    stubber.add_client_error("batch_detect_sentiment", "InternalServerException", "oops", 500)
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect(["hi"]))
    analyzer.analyze(["hi"])
    assert 2 == calls.count


def test_throttling_past_the_budget_fails_the_rest_of_the_batch(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber, calls: Calls
) -> None:
    """After a group exhausts its retries on throttling, later groups are not sent at all."""
    for _ in range(3):  # the backoff allows three attempts
        stubber.add_client_error("batch_detect_sentiment", "ThrottlingException", "slow", 400)
    outcomes = analyzer.try_analyze([f"t{i}" for i in range(30)])
    assert 3 == calls.count
    assert {"ThrottlingException"} == {o.code for o in outcomes if isinstance(o, DocumentFailure)}
    assert 30 == len(outcomes)


def test_unsupported_language_is_not_retried(
    analyzer: ComprehendSentimentAnalyzer, stubber: Stubber, calls: Calls
) -> None:
    """A whole-call UnsupportedLanguageException fails that group at once; the next is sent."""
    stubber.add_client_error("batch_detect_sentiment", "UnsupportedLanguageException", "no", 400)
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect(["t25"]))
    outcomes = analyzer.try_analyze([f"t{i}" for i in range(26)])
    assert 2 == calls.count
    assert ["UnsupportedLanguageException"] * 25 == [
        o.code for o in outcomes[:25] if isinstance(o, DocumentFailure)
    ]
    assert isinstance(outcomes[25], SentimentResult)


def test_language_code_is_sent(client: ComprehendClient, stubber: Stubber) -> None:
    """The configured language goes out as LanguageCode."""
    analyzer = ComprehendSentimentAnalyzer(client=client, language="es")
    stubber.add_response("batch_detect_sentiment", _ok(1), _expect(["¡Genial!"], "es"))
    analyzer.analyze(["¡Genial!"])


def test_unknown_language_is_a_configuration_error(client: ComprehendClient) -> None:
    """A language Comprehend cannot analyze fails when the adapter is built."""
    with pytest.raises(ConfigurationError, match="language 'xx'"):
        ComprehendSentimentAnalyzer(client=client, language="xx")


@pytest.mark.parametrize("region", ["eu-south-1", "af-south-1", "sa-east-1", "us-west-1"])
def test_region_without_comprehend_is_refused(region: str) -> None:
    """Regions without Comprehend raise UnsupportedRegionError before any call."""
    with pytest.raises(UnsupportedRegionError, match=region):
        ComprehendSentimentAnalyzer(region=region)


def test_client_in_region_without_comprehend_is_refused() -> None:
    """An injected client for a region without Comprehend is refused too."""
    with pytest.raises(UnsupportedRegionError, match="eu-north-1"):
        ComprehendSentimentAnalyzer(client=boto3.client("comprehend", region_name="eu-north-1"))


def test_region_override_must_match_the_client(client: ComprehendClient) -> None:
    """A region that differs from the injected client's is a configuration error."""
    with pytest.raises(ConfigurationError, match="us-east-1"):
        ComprehendSentimentAnalyzer(client=client, region="eu-west-1")


def test_extra_regions_can_be_allowed() -> None:
    """A region AWS adds later can be allowed without a library release."""
    analyzer = ComprehendSentimentAnalyzer(region="eu-south-2", regions={"eu-south-2"})
    assert "eu-south-2" == analyzer.region


def test_region_override_builds_the_client_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without an injected client, the lazily created client is in the override region."""
    monkeypatch.setenv("AWS_REGION", "eu-north-1")  # the function's region has no Comprehend
    analyzer = ComprehendSentimentAnalyzer(region="eu-west-1")
    assert "eu-west-1" == analyzer.client.meta.region_name


def test_function_region_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no override, the Lambda's AWS_REGION is checked when the adapter is built."""
    monkeypatch.setenv("AWS_REGION", "eu-north-1")
    with pytest.raises(UnsupportedRegionError):
        ComprehendSentimentAnalyzer()
