"""The bundling step of ``feedback-core demo``: S3 objects -> SQS -> bundler, under faults.

It deploys templates/data-aggregator.yaml into the running moto, drops generated feedback
JSON-lines objects (small ones, and 12 MiB ones that the source bucket takes in parts and whose
bundle goes up in parts) into the source bucket, lets moto announce them to the queue (plus a
few duplicate notifications, as S3 may send), and plays Lambda's event source mapping: random
batch sizes (so redeliveries regroup), the deployed handler called with the SQS event, failed
messages made visible again. Faults are injected into the handler's own AWS calls (a crash in
the middle of a multipart upload, a crash after a completed bundle, a failed claim, a failed
read) and one answer is lost, so its whole batch comes back. Then it checks that every source
is in exactly one bundle, byte for byte, and that no multipart upload is left open.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import random
import sys
import warnings
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from feedback_core.bundle.simulation import (
    Crash,
    Fault,
    FaultPlan,
    InjectedError,
    check_bundles,
    feedback_lines,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_sqs.client import SQSClient

    from feedback_core.cli.local import LocalPlatform

__all__ = ["BundleDemoSummary", "run_bundle_demo"]

MIB = 1 << 20
SUFFIX = "bundle-demo"
# Botocore operations of the handler's clients -> the fault plan's steps.
_STEPS = {
    "s3.GetObject": "read",
    "s3.UploadPart": "part",
    "s3.CompleteMultipartUpload": "complete",
    "s3.PutObject": "complete",
    "dynamodb.PutItem": "claim",
}


@attrs.frozen(kw_only=True)
class BundleDemoSummary:
    """What the bundling demo did, and whether every check held.

    Attributes:
        sources: Objects dropped into the source bucket.
        bytes_in: Their total size.
        bundles: Bundles in the distribution bucket afterwards.
        bytes_out: Their total (compressed) size.
        invocations: Handler calls, crashed ones included.
        redelivered: Messages received more than once.
        faults: The faults that fired, in order.
        open_uploads: Multipart uploads left open in the distribution bucket.
        problems: Ways the invariant failed (none when all is well).
    """

    sources: int
    bytes_in: int
    bundles: int
    bytes_out: int
    invocations: int
    redelivered: int
    faults: tuple[str, ...]
    open_uploads: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Every source in exactly one bundle, byte for byte, and no upload left open."""
        return self.sources > 0 and not self.problems and self.open_uploads == 0

    def lines(self) -> list[str]:
        """The summary as printable lines."""
        verdict = "OK" if self.ok else "FAILED"
        lines = [
            "Bundling (S3 -> SQS -> bundler -> gzip bundles, each source exactly once)",
            f"  sources dropped      {self.sources} ({self.bytes_in / MIB:.1f} MiB)",
            f"  bundles written      {self.bundles} ({self.bytes_out / MIB:.1f} MiB gzip)",
            f"  handler invocations  {self.invocations}, messages redelivered {self.redelivered}",
            f"  faults injected      {', '.join(self.faults) or 'none'}",
            f"  uploads left open    {self.open_uploads}",
            f"  every source in exactly one bundle, byte for byte: {verdict}",
        ]
        lines += [f"    ! {problem}" for problem in self.problems]
        return lines


def _faults(rng: random.Random) -> FaultPlan:
    return FaultPlan(
        (
            Fault(step="part", at=rng.randint(1, 2), kind="crash"),  # the upload stays open
            Fault(step="complete", at=rng.randint(1, 3), kind="crash", after=True),
            Fault(step="claim", at=rng.randint(2, 8), kind="error"),
            Fault(step="read", at=rng.randint(1, 10), kind="error"),
            Fault(step="acknowledge", at=rng.randint(2, 4), kind="error"),
        )
    )


@contextlib.contextmanager
def metrics_quietened(handler_module: str) -> Iterator[None]:
    """Keep a handler's metrics (EMF lines) off the demo's output while the block runs."""
    saved = os.environ.get("POWERTOOLS_METRICS_DISABLED")
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    try:
        yield
    finally:
        # Powertools keeps metrics process-wide, and disabled ones are never flushed: drop them.
        module = sys.modules.get(handler_module)
        if module is not None:
            module.metrics.clear_metrics()
        if saved is None:
            os.environ.pop("POWERTOOLS_METRICS_DISABLED", None)
        else:
            os.environ["POWERTOOLS_METRICS_DISABLED"] = saved


@contextlib.contextmanager
def _injected(plan: FaultPlan) -> Iterator[None]:
    """Fire the plan's faults inside the AWS calls of clients created in this block."""
    import boto3  # the [local] extra

    events = boto3.DEFAULT_SESSION.events if boto3.DEFAULT_SESSION else None
    if events is None:
        boto3.setup_default_session()
        assert boto3.DEFAULT_SESSION is not None  # just set up
        events = boto3.DEFAULT_SESSION.events
    hooks: list[tuple[str, Callable[..., None]]] = []
    for operation, step in _STEPS.items():
        for moment, fire in (("before-call", plan.before), ("after-call", plan.after)):

            def hook(*, _fire: Callable[[str], None] = fire, _step: str = step, **_: Any) -> None:
                _fire(_step)

            name = f"{moment}.{operation}"
            events.register(name, hook)
            hooks.append((name, hook))
    try:
        yield
    finally:
        for name, hook in hooks:
            events.unregister(name, hook)


def _detach_moto_queue_triggers() -> None:
    """Stop moto from invoking the bundler itself on every message; the demo delivers them.

    Moto links an SQS event source mapping to its queue and, on every ``SendMessage``, receives
    a batch and invokes the function in Docker, deleting the messages; without Docker they are
    lost to the dead-letter queue. (``LocalPlatform`` does the same for DynamoDB streams.)
    """
    from moto.core.models import DEFAULT_ACCOUNT_ID  # the [local] extra
    from moto.sqs.models import sqs_backends  # as above

    for queue in sqs_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].queues.values():
        queue.lambda_event_source_mappings.clear()


def _with_attachments(rng: random.Random, size: int) -> bytes:
    """Feedback lines carrying screenshot thumbnails (base64): they compress only to ~75 %."""
    lines = []
    total = 0
    while total < size:
        thumbnail = base64.b64encode(rng.randbytes(3_000)).decode()
        line = orjson.dumps({"feedbackId": f"f-{total}", "screenshot": thumbnail}) + b"\n"
        lines.append(line)
        total += len(line)
    return b"".join(lines)


def _drop_sources(s3: S3Client, bucket: str, rng: random.Random) -> dict[str, bytes]:
    """Put small and multipart-sized objects; return identity -> bytes, as the bundler sees it."""
    from boto3.s3.transfer import TransferConfig

    expected: dict[str, bytes] = {}
    bodies = [feedback_lines(rng, rng.randint(200, 40_000)) for _ in range(24)]
    for _ in range(2):  # 12 MiB each, uploaded in parts, and big enough for a multipart bundle
        bodies.insert(rng.randrange(len(bodies)), _with_attachments(rng, 12 * MIB))
    for number, body in enumerate(bodies):
        key = f"incoming/2026/05/04/feedback {number:03d}+export.jsonl"
        s3.upload_fileobj(
            io.BytesIO(body), bucket, key, Config=TransferConfig(multipart_threshold=8 * MIB)
        )
        etag = s3.head_object(Bucket=bucket, Key=key)["ETag"].strip('"')
        # Moto's notifications carry no versionId, so the bundler reads with If-Match on the
        # ETag (S3's carry the version id, which the bundler reads by in a versioned bucket).
        expected[f"{bucket}/{key}?etag={etag}"] = body
    return expected


def _deliver(
    sqs: SQSClient,
    queue_url: str,
    handler: Callable[[dict[str, Any]], dict[str, Any]],
    plan: FaultPlan,
    rng: random.Random,
) -> tuple[int, int]:
    """Play the event source mapping until the queue is empty; return invocations, redelivered."""
    received: dict[str, int] = {}
    invocations = 0
    idle = 0
    while idle < 2 and invocations < 200:
        batch = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=rng.randint(1, 10),
            AttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            idle += 1
            continue
        idle = 0
        invocations += 1
        if invocations <= 3:  # S3 delivers at least once: a few notifications come twice
            sqs.send_message(QueueUrl=queue_url, MessageBody=batch[0]["Body"])
        for message in batch:
            received[message["MessageId"]] = received.get(message["MessageId"], 0) + 1
        event = {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m.get("Attributes", {}),
                    "messageAttributes": {},
                    "md5OfBody": m["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": "",
                    "awsRegion": "us-east-1",
                }
                for m in batch
            ]
        }
        try:
            response = handler(event)
            plan.before("acknowledge")
            failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
        except (Crash, InjectedError):  # the invocation died, or its answer was lost
            failed = {m["MessageId"] for m in batch}
        for message in batch:
            if message["MessageId"] in failed:  # back after the visibility timeout, at once here
                sqs.change_message_visibility(
                    QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
            else:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return invocations, sum(1 for count in received.values() if count > 1)


def run_bundle_demo(platform: LocalPlatform, *, seed: int) -> BundleDemoSummary:
    """Deploy the data aggregator into ``platform``, bundle generated objects under faults, check.

    Args:
        platform: An entered :class:`~feedback_core.cli.local.LocalPlatform` (moto running).
        seed: Seeds the objects, batch sizes and fault positions.

    Returns:
        The summary; ``ok`` says whether every check held.
    """
    import boto3  # the [local] extra

    rng = random.Random(seed)  # noqa: S311  # demo data, not cryptography
    with warnings.catch_warnings():
        # Moto's CloudFormation skips these (AWS applies them); they play no part locally.
        warnings.filterwarnings(
            "ignore", message=r"Tried to parse AWS::(S3::BucketPolicy|SQS::QueuePolicy) "
        )
        # Each injected fault costs a few messages one receive; keep them off the dead letters.
        outputs = platform.deploy(
            "data-aggregator.yaml", suffix=SUFFIX, parameters={"MaxReceiveCount": "20"}
        )
    _detach_moto_queue_triggers()
    s3: S3Client = boto3.client("s3")
    sqs: SQSClient = boto3.client("sqs")
    source, distribution = outputs["SourceBucketName"], outputs["DistributionBucketName"]
    queue_url = outputs["BundleQueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    # Moto's CloudFormation does not apply a bucket's versioning or notification configuration;
    # set them as the template does, so moto announces each object to the queue as S3 would.
    s3.put_bucket_versioning(Bucket=source, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_notification_configuration(
        Bucket=source,
        NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]
        },
    )
    expected = _drop_sources(s3, source, rng)
    plan = _faults(rng)
    with metrics_quietened("reference_handlers.bundler"), _injected(plan):
        handler = platform.handler(f"bundler-{SUFFIX}")
        invocations, redelivered = _deliver(sqs, queue_url, handler, plan, rng)
    listed = s3.list_objects_v2(Bucket=distribution).get("Contents", [])
    objects = {
        o["Key"]: s3.get_object(Bucket=distribution, Key=o["Key"])["Body"].read() for o in listed
    }
    bundles = {k: v for k, v in objects.items() if k.endswith(".gz")}
    open_uploads = len(s3.list_multipart_uploads(Bucket=distribution).get("Uploads", []))
    problems = check_bundles(objects, expected)
    dead = sqs.get_queue_attributes(
        QueueUrl=outputs["BundleDeadLetterQueueUrl"],
        AttributeNames=["ApproximateNumberOfMessages"],
    )["Attributes"]["ApproximateNumberOfMessages"]
    if dead != "0":
        problems.append(f"{dead} messages in the dead-letter queue")
    return BundleDemoSummary(
        sources=len(expected),
        bytes_in=sum(len(b) for b in expected.values()),
        bundles=len(bundles),
        bytes_out=sum(len(b) for b in bundles.values()),
        invocations=invocations,
        redelivered=redelivered,
        faults=tuple(f"{f.kind} {'after' if f.after else 'at'} {f.step}" for f in plan.fired),
        open_uploads=open_uploads,
        problems=tuple(problems),
    )
