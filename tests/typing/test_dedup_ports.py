"""mypy proves the dedup adapters and policies fit their ports; pytest imports it as a smoke test.

If an adapter's signature drifts from :class:`DedupStore`, or a policy's from
:class:`SubmissionPolicy`, ``mypy --strict`` fails on the assignments below.
"""

from __future__ import annotations

from feedback_core.dedup import (
    DedupStore,
    DynamoDBDedupStore,
    InMemoryDedupStore,
    Reject,
    Replace,
    Replay,
    SubmissionPolicy,
    policy_named,
)

memory_store: DedupStore = InMemoryDedupStore()
dynamodb_store: DedupStore = DynamoDBDedupStore(table_name="votes")

reject: SubmissionPolicy = Reject(store=memory_store)
replay: SubmissionPolicy = Replay(store=dynamodb_store)
replace: SubmissionPolicy = Replace(store=memory_store)
named: SubmissionPolicy = policy_named("reject", store=dynamodb_store)


def test_adapters_and_policies_fit_their_ports() -> None:
    """The module imports, so the assignments above ran (mypy checks them statically)."""
    assert isinstance(reject, Reject)
    assert isinstance(named, Reject)
