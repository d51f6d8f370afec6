"""The sentiment examples shown in docs/sentiment.md run and do what the page says."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import boto3
from botocore.stub import Stubber

from docs.examples.sentiment import (
    comprehend_fallback,
    custom_terms,
    offline_quickstart,
    testing_with_fake,
)
from feedback_core.aws import Backoff

if TYPE_CHECKING:
    import pytest


def test_quickstart_labels_the_four_texts() -> None:
    """The quick start gives positive, mixed, negative and the blank neutral, all offline."""
    lines = offline_quickstart.main()
    assert [
        ("positive", "offline"),
        ("mixed", "offline"),
        ("negative", "offline"),
        ("neutral", "offline"),
    ] == [tuple(line.split()[0::2][:2]) for line in lines]


def test_custom_terms_label_the_monitor_reviews() -> None:
    """With the extra terms, the dead pixel is negative and the buttery motion positive."""
    assert ["negative", "positive"] == custom_terms.main()


def test_testing_example_passes() -> None:
    """The example test in the testing section passes."""
    testing_with_fake.test_negative_share_with_a_throttled_document()


def test_comprehend_example_logs_and_falls_back(caplog: pytest.LogCaptureFixture) -> None:
    """A throttled Comprehend batch is logged per document and labelled offline.

    Moto has no BatchDetectSentiment; a Stubber on a real client returns what AWS returns
    when throttling persists (ThrottlingException, HTTP 400) for every attempt.
    """
    client = boto3.client("comprehend", region_name="eu-west-1")
    chain = comprehend_fallback.build(client, Backoff(attempts=3, sleep=lambda _: None))
    with Stubber(client) as stubber:
        for _ in range(3):
            stubber.add_client_error("batch_detect_sentiment", "ThrottlingException", "", 400)
        with caplog.at_level(logging.WARNING, logger="feedback.sentiment"):
            results = chain.analyze(["Love it", "Hate it"])
    assert [("positive", "offline"), ("negative", "offline")] == [
        (r.label.value, r.source) for r in results
    ]
    assert 2 == caplog.text.count("ThrottlingException")
