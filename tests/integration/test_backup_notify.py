"""The job's AWS adapters on moto: SNS messages, and the Lambda continuation's async invoke.

Moto runs an invoked function in Docker; the invoke test answers the call as Lambda answers an
asynchronous invoke (202, no body) before moto sees it, and checks the request sent.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from feedback_core.backup import LambdaContinuation, SNSNotifier


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def test_a_message_reaches_the_topic_with_its_subject_cut_to_100(aws: None) -> None:
    """publish() sends subject and text; a subject over SNS's 100 characters is cut."""
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name="backups")["TopicArn"]
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["Attributes"]["QueueArn"])
    SNSNotifier(topic).publish("x" * 150, "Backup of votes complete: 3 items")
    (message,) = sqs.receive_message(QueueUrl=queue)["Messages"]
    body = json.loads(message["Body"])
    assert ("x" * 100, "Backup of votes complete: 3 items") == (body["Subject"], body["Message"])


def test_a_continuation_invokes_the_function_asynchronously(aws: None) -> None:
    """schedule() invokes the function with InvocationType=Event and the payload as JSON."""
    role = boto3.client("iam").create_role(
        RoleName="backup", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17"})
    )["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    client = boto3.client("lambda")
    client.create_function(
        FunctionName="feedback-backup-test",
        Runtime="python3.12",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": code.getvalue()},
    )
    sent: list[dict[str, Any]] = []
    client.meta.events.register(
        "before-parameter-build.lambda.Invoke", lambda params, **_: sent.append(dict(params))
    )
    client.meta.events.register(
        "before-call.lambda.Invoke",  # answer as Lambda does for an async invoke: 202, no body
        lambda **_: (type("Http", (), {"status_code": 202, "headers": {}})(), {"StatusCode": 202}),
    )
    LambdaContinuation("feedback-backup-test", client=client).schedule({"continue": "0123-ab"})
    (request,) = sent
    assert ("feedback-backup-test", "Event", {"continue": "0123-ab"}) == (
        request["FunctionName"],
        request["InvocationType"],
        json.loads(request["Payload"]),
    )
