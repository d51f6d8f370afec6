"""SQS (S3 object-created notifications) -> gzip bundles, each source version in exactly one.

Wired by templates/data-aggregator.yaml; settings: feedback_core.bundle.BundlerConfig.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from feedback_core.bundle import BundlerConfig, parse_sqs_event
from feedback_core.errors import BundleError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="data-aggregator")
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
metrics = Metrics(namespace="FeedbackCore", service="data-aggregator")
config = BundlerConfig.from_env()
bundler = config.bundler()  # built once per process, reused by warm invocations


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    """Bundle the batch as a whole; Powertools reports the failed messages by message id."""
    report = bundler.process(parse_sqs_event(event.get("Records", [])))
    failed = set(report.failures)
    for name, value in report.counts().items():
        unit = MetricUnit.Bytes if name.startswith("Bytes") else MetricUnit.Count
        metrics.add_metric(name=name, unit=unit, value=value)
    if report.unavailable:  # deleted or replaced before they were read: reported, not retried
        logger.warning("sources unavailable", extra={"sources": list(report.unavailable)})

    def record_handler(record: SQSRecord) -> None:
        if record.message_id in failed:  # the bundler already says which; let SQS redeliver
            raise BundleError(f"message {record.message_id} not bundled yet")

    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
