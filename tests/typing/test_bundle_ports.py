"""mypy proves the bundle adapters fit their ports; pytest imports it as a smoke test.

If an adapter's signature drifts from :class:`ObjectSource` or :class:`BundleSink`, or a
fault-injecting wrapper's from the port it wraps, ``mypy --strict`` fails on the assignments.
"""

from __future__ import annotations

from feedback_core.bundle import (
    BundleSink,
    InMemoryBundleSink,
    InMemoryObjectSource,
    ObjectSource,
    S3BundleSink,
    S3ObjectSource,
)
from feedback_core.bundle.memory import CallHooks
from feedback_core.bundle.simulation import (
    CountingSink,
    FaultPlan,
    FaultyClaims,
    FaultySource,
    GeneratedSource,
)
from feedback_core.dedup import DedupStore, InMemoryDedupStore

memory_source: ObjectSource = InMemoryObjectSource()
s3_source: ObjectSource = S3ObjectSource()
generated: ObjectSource = GeneratedSource(b"{}\n")
faulty_source: ObjectSource = FaultySource(memory_source, FaultPlan())

hooks: CallHooks = FaultPlan()
memory_sink: BundleSink = InMemoryBundleSink(hooks=hooks)
s3_sink: BundleSink = S3BundleSink(bucket="bundles")
counting: BundleSink = CountingSink()

claims: DedupStore = FaultyClaims(InMemoryDedupStore(), FaultPlan())


def test_adapters_fit_their_ports() -> None:
    """The module imports, so the assignments above ran (mypy checks them statically)."""
    assert isinstance(memory_sink, InMemoryBundleSink)
