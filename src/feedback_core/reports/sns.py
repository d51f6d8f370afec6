"""Report notifications on an SNS topic: one Publish with a subject and a plain-text message."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from feedback_core import aws

if TYPE_CHECKING:
    from mypy_boto3_sns.client import SNSClient

__all__ = ["SnsNotifier"]

MAX_SUBJECT = 100  # SNS refuses longer subjects


class SnsNotifier:
    """A :class:`~feedback_core.reports.ports.Notifier` publishing to one topic.

    Args:
        topic_arn: The topic.
        client: An SNS client; created lazily otherwise.
        backoff: Retries of throttled publishes.
    """

    def __init__(
        self, *, topic_arn: str, client: SNSClient | None = None, backoff: aws.Backoff | None = None
    ) -> None:
        """Configure; no AWS call is made here."""
        self.topic_arn = topic_arn
        self._client = client
        self._backoff = backoff or aws.Backoff()

    @property
    def client(self) -> SNSClient:
        """The client, created on first use."""
        if self._client is None:
            self._client = cast("SNSClient", aws.client("sns"))
        return self._client

    def publish(self, *, subject: str, message: str) -> None:
        """Publish one message (the subject cut to SNS's 100 characters).

        Raises:
            ServiceError: SNS refused or kept throttling.
        """
        aws.call(
            lambda: self.client.publish(
                TopicArn=self.topic_arn, Subject=subject[:MAX_SUBJECT], Message=message
            ),
            operation="Publish",
            backoff=self._backoff,
        )
