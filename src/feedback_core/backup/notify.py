"""AWS adapters for the backup job's reporting and continuation: SNS and Lambda.

:class:`SNSNotifier` publishes the job's success and failure messages. :class:`LambdaContinuation`
invokes the job's own function asynchronously (``InvocationType="Event"``) when a run is cut
short, so the export carries on in a fresh invocation with a fresh 15 minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import orjson

from feedback_core import aws

if TYPE_CHECKING:
    from mypy_boto3_lambda.client import LambdaClient
    from mypy_boto3_sns.client import SNSClient

__all__ = ["LambdaContinuation", "SNSNotifier"]

_SUBJECT_LIMIT = 100  # SNS refuses longer subjects


class SNSNotifier:
    """Publish to one SNS topic.

    Args:
        topic_arn: The topic.
        client: A low-level SNS client; one is created on first use otherwise.
        backoff: Retry policy for throttling.
    """

    def __init__(
        self, topic_arn: str, *, client: SNSClient | None = None, backoff: aws.Backoff | None = None
    ) -> None:
        """Remember the topic; no AWS call is made yet."""
        self.topic_arn = topic_arn
        self._client = client
        self._backoff = backoff or aws.Backoff()

    def publish(self, subject: str, message: str) -> None:
        """Publish one message (the subject is cut to SNS's 100 characters)."""
        if self._client is None:
            self._client = cast("SNSClient", aws.client("sns"))
        client = self._client
        aws.with_retries(
            lambda: client.publish(
                TopicArn=self.topic_arn, Subject=subject[:_SUBJECT_LIMIT], Message=message
            ),
            operation="Publish",
            backoff=self._backoff,
        )


class LambdaContinuation:
    """Start another invocation of a function, asynchronously, with a small JSON payload.

    Args:
        function_name: The function (the job's own).
        client: A low-level Lambda client; one is created on first use otherwise.
    """

    def __init__(self, function_name: str, *, client: LambdaClient | None = None) -> None:
        """Remember the function; no AWS call is made yet."""
        self.function_name = function_name
        self._client = client

    def schedule(self, payload: dict[str, str]) -> None:
        """Invoke the function with ``payload`` (``InvocationType="Event"``)."""
        if self._client is None:
            self._client = cast("LambdaClient", aws.client("lambda"))
        client = self._client
        aws.with_retries(
            lambda: client.invoke(
                FunctionName=self.function_name,
                InvocationType="Event",
                Payload=orjson.dumps(payload),
            ),
            operation="Invoke",
            backoff=aws.Backoff(),
        )
