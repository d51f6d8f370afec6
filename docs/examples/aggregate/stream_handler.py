"""A thin stream handler: the votes table's stream in, live poll tallies out, exactly once.

Deploy it on the votes table's stream (NEW_AND_OLD_IMAGES) with the event source mapping
settings in ``event_source_mapping.yaml``. The same handler serves tumbling windows: the event
says which mode it is in, and the response then carries the window state.
"""

from __future__ import annotations

import logging

from feedback_core import config
from feedback_core.aggregate import (
    DynamoDBCounterStore,
    StreamAggregator,
    decode_event,
    vote_tally,
)

logger = logging.getLogger(__name__)

# Built once per process (cold start) and reused by every invocation.
aggregator = StreamAggregator(
    projection=vote_tally(),
    store=DynamoDBCounterStore(table_name=config.required(None, "COUNTERS_TABLE")),
)


def handler(event: dict[str, object], context: object) -> dict[str, object]:
    """Apply the batch; report the first record Lambda must redeliver, if any."""
    batch = decode_event(event)
    result = aggregator.process(batch)
    if result.cause is not None:
        logger.warning("batch not fully applied, Lambda will redeliver: %s", result.cause)
    return result.response()
