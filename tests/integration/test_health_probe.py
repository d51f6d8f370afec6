"""DynamoDBTableProbe on moto: a DescribeTable per probe, failures as answers, never raised."""

from __future__ import annotations

import boto3

from feedback_core.health import DynamoDBTableProbe, ProbeResult
from tests.integration.handlers import create_table


def test_an_active_table_answers(aws: None) -> None:
    """An existing table is ok, its state the reason."""
    create_table(boto3.client("dynamodb"), "fb", [("feedbackId", "HASH")])
    result = DynamoDBTableProbe(name="feedback", table_name="fb").probe()
    assert ProbeResult(name="feedback", ok=True, reason="ACTIVE") == result


def test_a_missing_table_is_a_failed_probe_not_an_exception(aws: None) -> None:
    """The AWS error code becomes the reason; nothing is raised."""
    result = DynamoDBTableProbe(name="votes", table_name="missing").probe()
    assert ProbeResult(name="votes", ok=False, reason="ResourceNotFoundException") == result


def test_the_default_client_tries_once_with_short_timeouts(aws: None) -> None:
    """No retries and the probe's timeout: a hanging dependency fails the check fast."""
    config = vars(DynamoDBTableProbe(name="x", table_name="x", timeout=3).client.meta.config)
    assert ({"mode": "standard", "total_max_attempts": 1}, 3, 3) == (
        config["retries"],
        config["connect_timeout"],
        config["read_timeout"],
    )
