"""Fold DynamoDB stream records into live counters, exactly once, and read them back.

The pieces, from the stream to the response:

* :func:`decode_event` turns a Lambda DynamoDB stream event into a :class:`StreamBatch`.
* A :class:`Projection` says what one item contributes (:func:`vote_tally`,
  :func:`feedback_stats`, :func:`survey_distribution`, or your own with :func:`projection`).
* :class:`StreamAggregator` folds each batch (INSERT adds, REMOVE subtracts, MODIFY adds the
  difference) and commits it to a :class:`CounterStore` exactly once, in plain or
  tumbling-window mode, by transactions or, for half the write units where records touch
  different counter items, by per-shard marks on each counter item (``counter_writes``).
* :func:`poll_results`, :func:`feedback_analytics` and :func:`survey_summary` read the
  counters into JSON-ready values.

Importing this package does not import boto3; the DynamoDB adapter creates its client lazily.
"""

from feedback_core.aggregate.config import AggregatorConfig
from feedback_core.aggregate.dynamodb import DynamoDBCounterStore, create_counters_table
from feedback_core.aggregate.fold import Deltas, ExpiryPolicy, fold, record_deltas, recount
from feedback_core.aggregate.memory import InMemoryCounterStore
from feedback_core.aggregate.planning import CommitLimits
from feedback_core.aggregate.ports import (
    Commit,
    CommitOutcome,
    CounterGroup,
    CounterItem,
    CounterStore,
    CounterUpdate,
    ItemMark,
    MarkedOutcome,
    MarkedWrite,
    MarkerKey,
    Position,
    Projection,
)
from feedback_core.aggregate.projections import (
    FEEDBACK_GROUP,
    Amount,
    Contribution,
    CounterKey,
    FunctionProjection,
    combine,
    feedback_stats,
    poll_group,
    projection,
    survey_distribution,
    survey_group,
    vote_tally,
)
from feedback_core.aggregate.read import (
    FeedbackAnalytics,
    PollResults,
    SurveySummary,
    feedback_analytics,
    poll_results,
    survey_summary,
)
from feedback_core.aggregate.service import BatchResult, CounterWrites, StreamAggregator
from feedback_core.aggregate.stream import (
    EventName,
    StreamBatch,
    StreamRecord,
    WindowInfo,
    decode_event,
)
from feedback_core.aggregate.window import WindowState

__all__ = [
    "FEEDBACK_GROUP",
    "AggregatorConfig",
    "Amount",
    "BatchResult",
    "Commit",
    "CommitLimits",
    "CommitOutcome",
    "Contribution",
    "CounterGroup",
    "CounterItem",
    "CounterKey",
    "CounterStore",
    "CounterUpdate",
    "CounterWrites",
    "Deltas",
    "DynamoDBCounterStore",
    "EventName",
    "ExpiryPolicy",
    "FeedbackAnalytics",
    "FunctionProjection",
    "InMemoryCounterStore",
    "ItemMark",
    "MarkedOutcome",
    "MarkedWrite",
    "MarkerKey",
    "PollResults",
    "Position",
    "Projection",
    "StreamAggregator",
    "StreamBatch",
    "StreamRecord",
    "SurveySummary",
    "WindowInfo",
    "WindowState",
    "combine",
    "create_counters_table",
    "decode_event",
    "feedback_analytics",
    "feedback_stats",
    "fold",
    "poll_group",
    "poll_results",
    "projection",
    "record_deltas",
    "recount",
    "survey_distribution",
    "survey_group",
    "survey_summary",
    "vote_tally",
]
