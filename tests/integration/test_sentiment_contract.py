"""One contract, two adapters: the in-memory fake behaves as the Comprehend adapter does.

The Comprehend adapter runs on a real client with a botocore ``Stubber`` playing AWS, because
moto has no BatchDetectSentiment. Each case scripts the same outcome on both: per text a label,
or a per-document error code (AWS reports those in ``ErrorList`` by ``Index``).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Protocol

import boto3
import pytest
from botocore.stub import Stubber

from feedback_core.aws import Backoff
from feedback_core.errors import SentimentError
from feedback_core.sentiment import (
    ComprehendSentimentAnalyzer,
    DocumentFailure,
    InMemorySentimentAnalyzer,
    Label,
    SentimentResult,
    blank_text_result,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

Script = dict[str, "Label | str"]
"""Text -> its label, or the error code its document fails with."""


class Analyzer(Protocol):
    def analyze(self, texts: Sequence[str]) -> list[SentimentResult]: ...

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]: ...


class Build(Protocol):
    def __call__(self, script: Mapping[str, Label | str], texts: Sequence[str]) -> Analyzer: ...


def _memory(script: Mapping[str, Label | str], texts: Sequence[str]) -> Analyzer:
    del texts
    return InMemorySentimentAnalyzer(
        labels={t: v for t, v in script.items() if isinstance(v, Label)},
        failures={t: v for t, v in script.items() if not isinstance(v, Label)},
        name="comprehend",
    )


@pytest.fixture(params=["memory", "comprehend"])
def build(request: pytest.FixtureRequest) -> Iterator[Build]:
    if request.param == "memory":
        yield _memory
        return
    client = boto3.client("comprehend", region_name="us-east-1")
    with Stubber(client) as stubber:

        def comprehend(script: Mapping[str, Label | str], texts: Sequence[str]) -> Analyzer:
            sent = [t for t in texts if t.strip()]
            for start in range(0, len(sent), 25):
                stubber.add_response(
                    "batch_detect_sentiment", _aws_answer(script, sent[start : start + 25])
                )
            backoff = Backoff(attempts=1, sleep=lambda _: None, rng=random.Random(0))
            return ComprehendSentimentAnalyzer(client=client, backoff=backoff)

        yield comprehend
        stubber.assert_no_pending_responses()


def _aws_answer(script: Mapping[str, Label | str], group: Sequence[str]) -> dict[str, Any]:
    """What AWS answers for one request: labelled documents and per-document errors by Index."""
    results, errors = [], []
    for index, text in enumerate(group):
        outcome = script[text]
        if isinstance(outcome, Label):
            scores = {"Positive": 0.0, "Negative": 0.0, "Neutral": 0.0, "Mixed": 0.0}
            scores[outcome.value.capitalize()] = 1.0
            results.append(
                {"Index": index, "Sentiment": outcome.value.upper(), "SentimentScore": scores}
            )
        else:
            errors.append({"Index": index, "ErrorCode": outcome, "ErrorMessage": "scripted"})
    return {"ResultList": results, "ErrorList": errors}


def test_labels_come_back_in_order(build: Build) -> None:
    """Each text gets its own label, in input order, with the adapter's source."""
    script: Script = {"a": Label.POSITIVE, "b": Label.MIXED, "c": Label.NEGATIVE}
    results = build(script, list(script)).analyze(list(script))
    assert [Label.POSITIVE, Label.MIXED, Label.NEGATIVE] == [r.label for r in results]
    assert {"comprehend"} == {r.source for r in results}


def test_blank_texts_get_the_defined_result(build: Build) -> None:
    """Blank texts are neutral, from the offline analyzer, wherever they sit in the batch."""
    script: Script = {"x": Label.POSITIVE}
    texts = ["", "x", "  "]
    results = build(script, texts).analyze(texts)
    assert [blank_text_result(), blank_text_result()] == [results[0], results[2]]


def test_failures_are_reported_per_document(build: Build) -> None:
    """try_analyze reports a failure, with its position and code, only where one happened."""
    script: Script = {"ok": Label.NEUTRAL, "bad": "INTERNAL_SERVER_ERROR", "ok2": Label.POSITIVE}
    outcomes = build(script, list(script)).try_analyze(list(script))
    assert [("ok", None), ("bad", "INTERNAL_SERVER_ERROR"), ("ok2", None)] == [
        (text, o.code if isinstance(o, DocumentFailure) else None)
        for text, o in zip(script, outcomes, strict=True)
    ]
    assert 1 == next(o.index for o in outcomes if isinstance(o, DocumentFailure))


def test_analyze_fails_the_batch_on_any_failure(build: Build) -> None:
    """analyze is all or nothing: one failed document raises SentimentError."""
    script: Script = {"ok": Label.NEUTRAL, "bad": "UNSUPPORTED_LANGUAGE"}
    with pytest.raises(SentimentError):
        build(script, list(script)).analyze(list(script))


def test_large_batches_keep_their_order(build: Build) -> None:
    """Sixty texts (three requests for Comprehend) come back one result each, in order."""
    labels = [Label.POSITIVE, Label.NEGATIVE, Label.NEUTRAL]
    script: Script = {f"text {i}": labels[i % 3] for i in range(60)}
    results = build(script, list(script)).analyze(list(script))
    assert [labels[i % 3] for i in range(60)] == [r.label for r in results]
