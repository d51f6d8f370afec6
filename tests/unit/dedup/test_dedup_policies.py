"""The reject, replay and replace policies, on the in-memory store and on scripted fakes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from feedback_core.dedup import (
    POLICY_NAMES,
    ClaimOutcome,
    DedupStore,
    IdempotencyConflictError,
    InMemoryDedupStore,
    Item,
    Key,
    Reject,
    Replace,
    Replay,
    Revised,
    ReviseOutcome,
    Stale,
    Status,
    fingerprint,
    policy_named,
)
from feedback_core.errors import ConfigurationError, DedupError, DuplicateError

if TYPE_CHECKING:
    from collections.abc import Callable

VOTE = Key.of(pollId="p1", userId="u1")
T0 = "2026-11-22T23:20:32Z"
T1 = "2026-11-22T23:25:00Z"


def vote(choice: str, voted_at: str = T0) -> Item:
    return Item.of(choice=choice, votedAt=voted_at)


class InterferingStore:
    """A store where another writer acts just before this writer's first revision."""

    def __init__(self, interfere: Callable[[InMemoryDedupStore], None]) -> None:
        self.inner = InMemoryDedupStore()
        self._interfere: Callable[[InMemoryDedupStore], None] | None = interfere
        self.claims = 0
        self.revisions = 0

    def claim(self, key: Key, item: Item) -> ClaimOutcome:
        self.claims += 1
        return self.inner.claim(key, item)

    def get(self, key: Key) -> Item | None:
        return self.inner.get(key)

    def revise(
        self, key: Key, changes: Item, *, revision_attribute: str, expected_revision: int | None
    ) -> ReviseOutcome:
        self.revisions += 1
        if self._interfere is not None:
            interfere, self._interfere = self._interfere, None
            interfere(self.inner)
        return self.inner.revise(
            key,
            changes,
            revision_attribute=revision_attribute,
            expected_revision=expected_revision,
        )


class VanishingOnceStore(InterferingStore):
    """A store whose first revision finds the item gone (deleted by someone else)."""

    def __init__(self) -> None:
        super().__init__(lambda _: None)
        self._vanished = False

    def revise(
        self, key: Key, changes: Item, *, revision_attribute: str, expected_revision: int | None
    ) -> ReviseOutcome:
        if not self._vanished:
            self._vanished = True
            self.revisions += 1
            return Stale(key=key, current=None)
        return super().revise(
            key,
            changes,
            revision_attribute=revision_attribute,
            expected_revision=expected_revision,
        )


class ChurningStore(InterferingStore):
    """A store whose item changes again before every revision lands."""

    def __init__(self) -> None:
        super().__init__(lambda _: None)

    def revise(
        self, key: Key, changes: Item, *, revision_attribute: str, expected_revision: int | None
    ) -> ReviseOutcome:
        self.revisions += 1
        churned = (expected_revision or 1) + 1
        return Stale(key=key, current=vote(f"churn-{churned}").evolve(revision=churned))


class LostUpdateAnswerStore(InterferingStore):
    """A store whose first revision lands but answers Stale, as a resent UpdateItem would."""

    def __init__(self) -> None:
        super().__init__(lambda _: None)
        self._lost = False

    def revise(
        self, key: Key, changes: Item, *, revision_attribute: str, expected_revision: int | None
    ) -> ReviseOutcome:
        outcome = super().revise(
            key,
            changes,
            revision_attribute=revision_attribute,
            expected_revision=expected_revision,
        )
        if not self._lost and isinstance(outcome, Revised):
            self._lost = True
            return Stale(key=key, current=outcome.item)
        return outcome


# Submission


class ResendingStore:
    """A store whose every claim is sent twice, as botocore resends a request whose response
    was lost: the caller sees the second attempt's outcome."""

    def __init__(self, inner: InMemoryDedupStore) -> None:
        self.inner = inner

    def claim(self, key: Key, item: Item) -> ClaimOutcome:
        self.inner.claim(key, item)
        return self.inner.claim(key, item)

    def revise(self, key: Key, changes: Item, **kwargs: Any) -> ReviseOutcome:
        return self.inner.revise(key, changes, **kwargs)

    def get(self, key: Key) -> Item | None:
        return self.inner.get(key)


# Reject


def test_reject_creates_the_first_vote() -> None:
    """The first vote is created and answered 201."""
    submission = Reject(store=InMemoryDedupStore()).submit(VOTE, vote("yes"))
    assert (Status.CREATED, False, True) == (
        submission.status,
        submission.replayed,
        submission.created,
    )


def test_reject_refuses_a_second_vote_with_the_first() -> None:
    """The second vote raises DuplicateError carrying the first vote and its key."""
    votes = Reject(store=InMemoryDedupStore())
    votes.submit(VOTE, vote("yes"))
    with pytest.raises(DuplicateError) as caught:
        votes.submit(VOTE, vote("no", T1))
    assert (VOTE, {"pollId": "p1", "userId": "u1", "choice": "yes", "votedAt": T0}) == (
        caught.value.key,
        caught.value.existing.without("writeId"),
    )


def test_reject_counts_its_own_resent_write_as_created() -> None:
    """A resend of the very item this request wrote (a lost response) is not a duplicate."""
    submission = Reject(store=ResendingStore(InMemoryDedupStore())).submit(VOTE, vote("yes"))
    assert (Status.CREATED, False) == (submission.status, submission.replayed)


def test_reject_refuses_an_identical_second_vote_without_a_fingerprint() -> None:
    """Two identical votes in the same second, with no request fingerprint, are two votes."""
    votes = Reject(store=InMemoryDedupStore())
    votes.submit(VOTE, vote("yes"))
    with pytest.raises(DuplicateError):
        votes.submit(VOTE, vote("yes"))


def test_reject_replays_a_retry_with_the_same_fingerprint_in_the_same_second() -> None:
    """A retry carrying the first request's fingerprint is a replay, however soon it comes."""
    votes = Reject(store=InMemoryDedupStore())
    item = vote("yes").evolve(payloadHash="h-1")
    first = votes.submit(VOTE, item)
    retry = votes.submit(VOTE, item)
    assert (Status.CREATED, True, first.item) == (retry.status, retry.replayed, retry.item)


# Replay


def feedback(payload: dict[str, object], created_at: str) -> Item:
    return Item.of(payload, payloadHash=fingerprint(payload), createdAt=created_at)


PAYLOAD: dict[str, object] = {"name": "Ana", "rating": 5, "message": "Quick and kind."}
FEEDBACK = Key.of(feedbackId="f-1")


def test_replay_creates_a_new_record() -> None:
    """The first submission under a key is created."""
    submission = Replay(store=InMemoryDedupStore()).submit(FEEDBACK, feedback(PAYLOAD, T0))
    assert Status.CREATED == submission.status


def test_replay_returns_the_stored_result_to_a_retry() -> None:
    """A retry with the same payload gets the first request's item, timestamps and all."""
    policy = Replay(store=InMemoryDedupStore())
    first = policy.submit(FEEDBACK, feedback(PAYLOAD, T0))
    retry = policy.submit(FEEDBACK, feedback(dict(reversed(PAYLOAD.items())), T1))
    assert (Status.CREATED, True, first.item) == (retry.status, retry.replayed, retry.item)


def test_replay_refuses_another_payload_under_the_same_key() -> None:
    """A different payload under a used key is an IdempotencyConflictError (422)."""
    policy = Replay(store=InMemoryDedupStore())
    policy.submit(FEEDBACK, feedback(PAYLOAD, T0))
    with pytest.raises(IdempotencyConflictError) as caught:
        policy.submit(FEEDBACK, feedback({**PAYLOAD, "rating": 4}, T1))
    assert FEEDBACK == caught.value.key


def test_replay_treats_a_holder_without_fingerprint_as_a_conflict() -> None:
    """An item written by other code, without a fingerprint, cannot be a replay."""
    store = InMemoryDedupStore()
    store.claim(FEEDBACK, Item.of(PAYLOAD))
    with pytest.raises(IdempotencyConflictError):
        Replay(store=store).submit(FEEDBACK, feedback(PAYLOAD, T0))


def test_replay_needs_a_fingerprint_on_the_item() -> None:
    """Forgetting the fingerprint is a programming error, caught before any write."""
    store = InMemoryDedupStore()
    with pytest.raises(ValueError, match="payloadHash"):
        Replay(store=store).submit(FEEDBACK, Item.of(PAYLOAD))
    assert 0 == len(store)


def test_replay_recognises_a_retry_in_the_same_second() -> None:
    """A retry whose item is identical to the first (same second) is still a replay."""
    policy = Replay(store=InMemoryDedupStore())
    first = policy.submit(FEEDBACK, feedback(PAYLOAD, T0))
    retry = policy.submit(FEEDBACK, feedback(PAYLOAD, T0))
    assert (False, True, first.item) == (first.replayed, retry.replayed, retry.item)


# Replace


def replace(store: DedupStore) -> Replace:
    return Replace(store=store, clock=lambda: T1)


def test_replace_creates_a_vote_at_revision_one() -> None:
    """A new vote is created with revision 1 and answered 201."""
    submission = replace(InMemoryDedupStore()).submit(VOTE, vote("yes"))
    assert (Status.CREATED, False, 1) == (
        submission.status,
        submission.replayed,
        submission.item["revision"],
    )


def test_replace_changes_a_vote_with_an_audit_trail() -> None:
    """A new choice keeps votedAt and records previousChoice, changedAt and the revision."""
    votes = replace(InMemoryDedupStore())
    votes.submit(VOTE, vote("yes"))
    changed = votes.submit(VOTE, vote("no", T1))
    assert Status.CHANGED == changed.status
    assert {
        "pollId": "p1",
        "userId": "u1",
        "choice": "no",
        "votedAt": T0,
        "previousChoice": "yes",
        "changedAt": T1,
        "revision": 2,
    } == changed.item.without("writeId")
    assert changed.previous is not None
    assert "yes" == changed.previous["choice"]


def test_replace_with_the_same_choice_writes_nothing() -> None:
    """Re-submitting the held choice is UNCHANGED, and the store records no write."""
    store = InMemoryDedupStore()
    votes = replace(store)
    votes.submit(VOTE, vote("yes"))
    submission = votes.submit(VOTE, vote("yes", T1))
    assert (Status.UNCHANGED, False, 1) == (
        submission.status,
        submission.replayed,
        len(store.changes()),
    )


def test_replace_emits_insert_then_modify() -> None:
    """A change is a MODIFY whose images hold the old and new choice, as a stream would."""
    store = InMemoryDedupStore()
    votes = replace(store)
    votes.submit(VOTE, vote("yes"))
    votes.submit(VOTE, vote("no", T1))
    changes = store.changes()
    assert [("INSERT", None, "yes"), ("MODIFY", "yes", "no")] == [
        (c.event_name, c.old_image and c.old_image["choice"], c.new_image["choice"])
        for c in changes
    ]


def test_replace_counts_its_own_resent_first_vote_as_created() -> None:
    """A resend of this request's first vote (a lost response) answers 201, not 200."""
    votes = replace(ResendingStore(InMemoryDedupStore()))
    assert Status.CREATED == votes.submit(VOTE, vote("yes")).status


def test_replace_changes_a_vote_claimed_without_revision() -> None:
    """A vote first stored under reject (no revision) can later be replaced."""
    store = InMemoryDedupStore()
    Reject(store=store).submit(VOTE, vote("yes"))
    changed = replace(store).submit(VOTE, vote("no", T1))
    assert ("yes", 2) == (changed.item["previousChoice"], changed.item["revision"])


def test_replace_rides_out_a_concurrent_change() -> None:
    """When another writer changes the vote first, the change applies on top of theirs."""

    def other_writer(inner: InMemoryDedupStore) -> None:
        replace(inner).submit(VOTE, vote("maybe", T1))

    store = InterferingStore(other_writer)
    votes = replace(store)
    votes.submit(VOTE, vote("yes"))
    changed = votes.submit(VOTE, vote("no", T1))
    assert (Status.CHANGED, "maybe", 3, 2) == (
        changed.status,
        changed.item["previousChoice"],
        changed.item["revision"],
        store.revisions,
    )


def test_replace_sees_a_concurrent_identical_change_as_unchanged() -> None:
    """When another writer already made the same change, nothing more is written."""

    def other_writer(inner: InMemoryDedupStore) -> None:
        # Another request, a second earlier: the same choice, not the same write.
        Replace(store=inner, clock=lambda: "2026-11-22T23:24:59Z").submit(VOTE, vote("no", T1))

    store = InterferingStore(other_writer)
    votes = replace(store)
    votes.submit(VOTE, vote("yes"))
    assert Status.UNCHANGED == votes.submit(VOTE, vote("no", T1)).status
    assert 2 == len(store.inner.changes())


def test_replace_claims_again_when_the_item_vanished() -> None:
    """If the item is gone when the change lands, the policy goes back to claiming."""
    store = VanishingOnceStore()
    votes = replace(store)
    votes.submit(VOTE, vote("yes"))
    assert Status.CHANGED == votes.submit(VOTE, vote("no", T1)).status
    assert (3, 2) == (store.claims, store.revisions)


def test_replace_counts_its_own_resent_change_as_changed() -> None:
    """A change that landed but whose answer was lost is CHANGED, written once, not twice."""
    store = LostUpdateAnswerStore()
    votes = replace(store)
    votes.submit(VOTE, vote("yes"))
    changed = votes.submit(VOTE, vote("no", T1))
    assert (Status.CHANGED, "yes", 2) == (
        changed.status,
        changed.item["previousChoice"],
        changed.item["revision"],
    )
    assert ["INSERT", "MODIFY"] == [c.event_name for c in store.inner.changes()]


def test_replace_gives_up_under_endless_contention() -> None:
    """A vote that changes before every attempt ends in a DedupError after max_attempts."""
    store = ChurningStore()
    votes = Replace(store=store, clock=lambda: T1, max_attempts=4)
    votes.submit(VOTE, vote("yes"))
    with pytest.raises(DedupError, match="4 attempts"):
        votes.submit(VOTE, vote("no", T1))
    assert 4 == store.revisions


def test_replace_needs_the_field_on_the_item() -> None:
    """An item without the replaceable field is a programming error."""
    with pytest.raises(ValueError, match="choice"):
        replace(InMemoryDedupStore()).submit(VOTE, Item.of(votedAt=T0))


def test_replace_uses_configured_attribute_names() -> None:
    """Field, previous, changed-at and revision attributes are all configurable."""
    votes = Replace(
        store=InMemoryDedupStore(),
        field="rating",
        previous_attribute="oldRating",
        changed_at_attribute="ratedAgainAt",
        revision_attribute="version",
        clock=lambda: T1,
    )
    votes.submit(VOTE, Item.of(rating=3))
    changed = votes.submit(VOTE, Item.of(rating=5))
    assert {"rating": 5, "oldRating": 3, "ratedAgainAt": T1, "version": 2} == changed.item.without(
        "pollId", "userId", "writeId"
    )


# policy_named


@pytest.mark.parametrize(
    ("name", "kind"), [("reject", Reject), ("Replay", Replay), (" replace ", Replace)]
)
def test_policy_named_builds_each_policy(name: str, kind: type) -> None:
    """Names are read case- and space-insensitively, e.g. from an environment variable."""
    assert isinstance(policy_named(name, store=InMemoryDedupStore()), kind)


def test_policy_named_passes_the_field_to_replace() -> None:
    """The replaceable field can be chosen by name too."""
    policy = policy_named("replace", store=InMemoryDedupStore(), field="rating")
    assert isinstance(policy, Replace)
    assert "rating" == policy.field


def test_policy_named_refuses_an_unknown_name() -> None:
    """A typo in configuration is a ConfigurationError listing the choices."""
    with pytest.raises(ConfigurationError, match="reject"):
        policy_named("upsert", store=InMemoryDedupStore())
    assert ("reject", "replay", "replace") == POLICY_NAMES
