"""Public test support: in-memory fakes and a stream-delivery simulator with fault injection.

Use these in your own tests to exercise stream handlers the way Lambda drives them (retries,
partial batch failures, crashes before and after commit, throttling), without AWS:

* :class:`StreamSimulator`: a source table with a stream, and Lambda's event source mapping.
* :class:`EventSourceMappingDriver`: Lambda's rules after each invocation (checkpoints,
  failure reports, errors, the retry limit), shared by the simulator and the local platform.
* :class:`FaultRates`, :class:`FaultInjector`, :class:`FaultyCounterStore`,
  :class:`SimulatedCrash`: seeded fault injection.
* :func:`run_workload`: random votes / feedback / survey workloads for property tests.
* :class:`InMemoryCounterStore`: the counter store fake (same semantics as DynamoDB's).
* :class:`InMemoryDedupStore`: the dedup store fake; :class:`InMemorySentimentAnalyzer`: a
  scripted analyzer.
* Backups: :class:`InMemoryTable`, :class:`InMemoryObjectStore`, :class:`InMemoryNotifier`,
  :class:`InMemoryContinuation`; bundling: :class:`InMemoryObjectSource`,
  :class:`InMemoryBundleSink`.
* :class:`InMemoryFeedbackLog`: the feedback log fake (listing, erasure); :class:`StaticProbe`:
  a health probe whose answer you set.
"""

from feedback_core.aggregate.memory import InMemoryCounterStore
from feedback_core.backup.memory import (
    InMemoryContinuation,
    InMemoryNotifier,
    InMemoryObjectStore,
    InMemoryTable,
)
from feedback_core.bundle.memory import InMemoryBundleSink, InMemoryObjectSource
from feedback_core.dedup.memory import InMemoryDedupStore
from feedback_core.feedback.memory import InMemoryFeedbackLog
from feedback_core.health.memory import StaticProbe
from feedback_core.sentiment.memory import InMemorySentimentAnalyzer
from feedback_core.testing.mapping import (
    EventSourceMappingDriver,
    ShardCursor,
    StreamHandler,
    Verdict,
)
from feedback_core.testing.stream import (
    DEFAULT_STREAM_ARN,
    DeliveryReport,
    FaultInjector,
    FaultRates,
    FaultyCounterStore,
    SimulatedCrash,
    SimulationError,
    StreamSimulator,
)
from feedback_core.testing.workloads import FAMILIES, KEYS, Family, run_workload

__all__ = [
    "DEFAULT_STREAM_ARN",
    "FAMILIES",
    "KEYS",
    "DeliveryReport",
    "EventSourceMappingDriver",
    "Family",
    "FaultInjector",
    "FaultRates",
    "FaultyCounterStore",
    "InMemoryBundleSink",
    "InMemoryContinuation",
    "InMemoryCounterStore",
    "InMemoryDedupStore",
    "InMemoryFeedbackLog",
    "InMemoryNotifier",
    "InMemoryObjectSource",
    "InMemoryObjectStore",
    "InMemorySentimentAnalyzer",
    "InMemoryTable",
    "ShardCursor",
    "SimulatedCrash",
    "SimulationError",
    "StaticProbe",
    "StreamHandler",
    "StreamSimulator",
    "Verdict",
    "run_workload",
]
