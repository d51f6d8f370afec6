"""Test your own code against the in-memory store: same semantics, no AWS, no moto."""

from __future__ import annotations

from feedback_core import dedup
from feedback_core.http import STATUS_OF


def record_vote(policy: dedup.SubmissionPolicy, poll_id: str, user_id: str, choice: str) -> int:
    """Your code under test: submit a vote, answer with an HTTP status."""
    item = dedup.Item.of(choice=choice, votedAt=dedup.utc_timestamp())
    try:
        submission = policy.submit(dedup.Key.of(pollId=poll_id, userId=user_id), item)
    except dedup.DuplicateError:
        return 409
    return STATUS_OF[submission.status]


def test_a_second_vote_is_refused() -> None:
    """Your test: the same store semantics as DynamoDB, and a log of what was written."""
    store = dedup.InMemoryDedupStore()
    policy = dedup.Reject(store=store)
    assert [
        record_vote(policy, "p1", "u1", "tabs"),
        record_vote(policy, "p1", "u1", "spaces"),
    ] == [201, 409]
    assert [change.event_name for change in store.changes()] == ["INSERT"]
