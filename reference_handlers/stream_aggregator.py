"""DynamoDB stream -> live counters, each record applied exactly once; answers batchItemFailures.

One function per source table, each on its table's stream with the event source mapping of
templates/feedback-api.yaml (ReportBatchItemFailures, ParallelizationFactor 1, no bisecting;
a tumbling window, which carries the shard id item marks need). Settings: AggregatorConfig
(COUNTERS_TABLE; PROJECTION: votes, feedback or survey-responses, which picks the counters
kept; COUNTER_WRITES: item-marks or transactions; see docs/aggregate.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

from feedback_core.aggregate import (
    AggregatorConfig,
    DynamoDBCounterStore,
    StreamAggregator,
    decode_event,
)
from feedback_core.reports.activity import with_activity

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
config = AggregatorConfig.from_env()
aggregator = StreamAggregator(
    projection=with_activity(config.build_projection()),  # + the per-day activity reports read
    store=DynamoDBCounterStore(table_name=config.counters_table),
    counter_writes=config.counter_writes,
)


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    """Apply one batch; report the record Lambda must resume from, if any.

    A StreamConfigurationError (a stream without both images, two consumers on one marker)
    propagates: the invocation fails and the shard waits, loudly, until it is fixed.
    """
    batch = decode_event(event)
    result = aggregator.process(batch)
    outcome = {
        "records": len(batch.records),
        "applied": result.applied,
        "skipped": result.skipped,
        "commits": result.commits,
        "resumeAt": result.failures[0] if result.failures else None,
    }
    if result.cause is not None:
        # Lambda redelivers from the reported record; the markers make that safe.
        logger.warning("batch not fully applied", extra={**outcome, "cause": str(result.cause)})
    else:
        logger.info("batch applied", extra=outcome)
    return result.response()
