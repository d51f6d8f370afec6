"""One contract for every DedupStore: the in-memory adapter and DynamoDB (on moto) must agree."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

import pytest

from feedback_core.dedup import (
    Accepted,
    DedupStore,
    Duplicate,
    DynamoDBDedupStore,
    Expiry,
    IdempotencyConflictError,
    InMemoryDedupStore,
    Item,
    Key,
    Reject,
    Replace,
    Replay,
    Revised,
    Stale,
    Status,
    fingerprint,
)
from feedback_core.errors import DuplicateError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import KeySchemaElementTypeDef


class FakeClock:
    """Epoch seconds that only move when a test moves them."""

    def __init__(self, now: float = 1_700_000_000) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class StoreFactory(Protocol):
    def __call__(self, table: str, *, expiry: Expiry | None = None) -> DedupStore: ...


TABLES = {
    "votes": ("pollId", "userId"),
    "feedback": ("feedbackId", None),
    "idempotency": ("idempotencyKey", None),
}


def create_tables(client: DynamoDBClient) -> None:
    for name, (partition, sort) in TABLES.items():
        schema: list[KeySchemaElementTypeDef] = [{"AttributeName": partition, "KeyType": "HASH"}]
        if sort:
            schema.append({"AttributeName": sort, "KeyType": "RANGE"})
        client.create_table(
            TableName=name,
            KeySchema=schema,
            AttributeDefinitions=[
                {"AttributeName": part["AttributeName"], "AttributeType": "S"} for part in schema
            ],
            BillingMode="PAY_PER_REQUEST",
        )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "dynamodb"])
def make_store(request: pytest.FixtureRequest, clock: FakeClock) -> Iterator[StoreFactory]:
    if request.param == "memory":

        def memory(table: str, *, expiry: Expiry | None = None) -> DedupStore:
            return InMemoryDedupStore(expiry=expiry, clock=clock)

        yield memory
        return

    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_tables(client)

        def dynamodb(table: str, *, expiry: Expiry | None = None) -> DedupStore:
            return DynamoDBDedupStore(table_name=table, client=client, expiry=expiry, clock=clock)

        yield dynamodb


VOTE = Key.of(pollId="p1", userId="u1")


def test_first_claim_is_accepted_with_the_key_filled_in(make_store: StoreFactory) -> None:
    """A claim on a free key is accepted, and the stored item carries the key attributes."""
    store = make_store("votes")
    outcome = store.claim(VOTE, Item.of(choice="yes"))
    assert Accepted(key=VOTE, item=Item.of(pollId="p1", userId="u1", choice="yes")) == outcome


def test_second_claim_is_a_duplicate_carrying_the_first_item(make_store: StoreFactory) -> None:
    """A claim on a held key gets the holder back and changes nothing."""
    store = make_store("votes")
    store.claim(VOTE, Item.of(choice="yes"))
    outcome = store.claim(VOTE, Item.of(choice="no"))
    holder = Item.of(pollId="p1", userId="u1", choice="yes")
    assert Duplicate(key=VOTE, existing=holder, identical=False) == outcome
    assert holder == store.get(VOTE)


def test_a_resent_identical_item_is_flagged_identical(make_store: StoreFactory) -> None:
    """A duplicate equal to the item sent says so, which is how a lost response is recognised."""
    store = make_store("votes")
    store.claim(VOTE, Item.of(choice="yes", votedAt="2026-11-22T23:20:32Z"))
    outcome = store.claim(VOTE, Item.of(choice="yes", votedAt="2026-11-22T23:20:32Z"))
    assert isinstance(outcome, Duplicate)
    assert outcome.identical


def test_claims_on_other_sort_keys_are_independent(make_store: StoreFactory) -> None:
    """Holding (p1, u1) does not hold (p1, u2): the condition is per whole primary key."""
    store = make_store("votes")
    store.claim(VOTE, Item.of(choice="yes"))
    outcome = store.claim(Key.of(pollId="p1", userId="u2"), Item.of(choice="no"))
    assert isinstance(outcome, Accepted)


def test_an_item_that_contradicts_its_key_is_refused(make_store: StoreFactory) -> None:
    """An item whose key attribute disagrees with the key is a programming error, not a claim."""
    store = make_store("votes")
    with pytest.raises(ValueError, match="pollId"):
        store.claim(VOTE, Item.of(pollId="p2", choice="yes"))
    assert store.get(VOTE) is None


def test_numbers_and_nested_values_come_back_as_stored(make_store: StoreFactory) -> None:
    """Integral numbers come back as int, others as exact Decimal, maps and lists intact."""
    store = make_store("feedback")
    key = Key.of(feedbackId="f-1")
    item = Item.of(
        rating=Decimal("5"),
        score=Decimal("0.25"),
        answers={"q1": ["a", "b"], "q2": True, "q3": 7},
        tags=frozenset({"x", "y"}),
    )
    store.claim(key, item)
    expected = {
        "feedbackId": "f-1",
        "rating": 5,
        "score": Decimal("0.25"),
        "answers": {"q1": ["a", "b"], "q2": True, "q3": 7},
        "tags": frozenset({"x", "y"}),
    }
    assert Item.of(expected) == store.get(key)


def test_get_of_a_free_key_is_none(make_store: StoreFactory) -> None:
    """Reading a key nobody claimed gives None."""
    assert make_store("votes").get(VOTE) is None


def test_revise_at_the_expected_revision_applies(make_store: StoreFactory) -> None:
    """A revision at the expected number sets the changes and numbers the next revision."""
    store = make_store("votes")
    store.claim(VOTE, Item.of(choice="yes", revision=1))
    outcome = store.revise(
        VOTE, Item.of(choice="no"), revision_attribute="revision", expected_revision=1
    )
    after = Item.of(pollId="p1", userId="u1", choice="no", revision=2)
    assert Revised(key=VOTE, item=after) == outcome
    assert after == store.get(VOTE)


def test_revise_of_an_item_without_revision_counts_it_as_one(make_store: StoreFactory) -> None:
    """An item claimed without a revision number is revision 1; the update makes it 2."""
    store = make_store("votes")
    store.claim(VOTE, Item.of(choice="yes"))
    outcome = store.revise(
        VOTE, Item.of(choice="no"), revision_attribute="revision", expected_revision=None
    )
    assert isinstance(outcome, Revised)
    assert 2 == outcome.item["revision"]


def test_revise_at_a_stale_revision_returns_the_current_item(make_store: StoreFactory) -> None:
    """A revision that lost a race writes nothing and hands back the item as it is."""
    store = make_store("votes")
    store.claim(VOTE, Item.of(choice="yes", revision=3))
    outcome = store.revise(
        VOTE, Item.of(choice="no"), revision_attribute="revision", expected_revision=2
    )
    current = Item.of(pollId="p1", userId="u1", choice="yes", revision=3)
    assert Stale(key=VOTE, current=current) == outcome
    assert current == store.get(VOTE)


def test_revise_of_a_missing_item_is_stale_without_current(make_store: StoreFactory) -> None:
    """A revision never creates an item: a missing one is Stale with current None."""
    store = make_store("votes")
    outcome = store.revise(
        VOTE, Item.of(choice="no"), revision_attribute="revision", expected_revision=None
    )
    assert Stale(key=VOTE, current=None) == outcome
    assert store.get(VOTE) is None


@pytest.mark.parametrize("changes", [{"userId": "u9"}, {"revision": 7}, {}])
def test_revise_refuses_key_revision_and_empty_changes(
    make_store: StoreFactory, changes: dict[str, object]
) -> None:
    """Key attributes never change, the store numbers revisions, a revision changes something."""
    store = make_store("votes")
    store.claim(VOTE, Item.of(choice="yes"))
    with pytest.raises(ValueError, match="revision"):
        store.revise(VOTE, Item.of(changes), revision_attribute="revision", expected_revision=None)


def test_expiring_claims_are_stamped(make_store: StoreFactory, clock: FakeClock) -> None:
    """With an expiry, a claimed item carries its expiry time in epoch seconds."""
    store = make_store(
        "idempotency", expiry=Expiry(attribute="expiresAt", after=timedelta(hours=1))
    )
    outcome = store.claim(Key.of(idempotencyKey="k"), Item.of(result="r1"))
    assert isinstance(outcome, Accepted)
    assert int(clock.now) + 3600 == outcome.item["expiresAt"]


def test_an_unexpired_record_still_holds_its_key(
    make_store: StoreFactory, clock: FakeClock
) -> None:
    """Until its expiry time passes, an idempotency record answers claims as a duplicate."""
    store = make_store("idempotency", expiry=Expiry(after=timedelta(seconds=60)))
    key = Key.of(idempotencyKey="k")
    store.claim(key, Item.of(result="r1"))
    clock.now += 60
    outcome = store.claim(key, Item.of(result="r2"))
    assert isinstance(outcome, Duplicate)
    assert "r1" == outcome.existing["result"]


def test_an_expired_record_is_overwritten_by_a_claim(
    make_store: StoreFactory, clock: FakeClock
) -> None:
    """An expired record that TTL has not deleted yet no longer holds its key."""
    # Moto never runs TTL deletion, and DynamoDB may take days to; the condition must cope.
    store = make_store("idempotency", expiry=Expiry(after=timedelta(seconds=60)))
    key = Key.of(idempotencyKey="k")
    store.claim(key, Item.of(result="r1"))
    clock.now += 61
    outcome = store.claim(key, Item.of(result="r2"))
    assert isinstance(outcome, Accepted)
    assert Item.of(idempotencyKey="k", result="r2", expiresAt=int(clock.now) + 60) == store.get(key)


def test_an_expired_record_reads_as_absent(make_store: StoreFactory, clock: FakeClock) -> None:
    """A read does not return a record past its expiry time."""
    store = make_store("idempotency", expiry=Expiry(after=timedelta(seconds=60)))
    key = Key.of(idempotencyKey="k")
    store.claim(key, Item.of(result="r1"))
    clock.now += 61
    assert store.get(key) is None


# The policies on both adapters: the same story must end the same way.


def test_reject_raises_with_the_existing_vote(make_store: StoreFactory) -> None:
    """Under reject, a second vote is a DuplicateError carrying the first vote."""
    votes = Reject(store=make_store("votes"))
    votes.submit(VOTE, Item.of(choice="yes", votedAt="2026-11-22T23:20:32Z"))
    with pytest.raises(DuplicateError) as caught:
        votes.submit(VOTE, Item.of(choice="no", votedAt="2026-11-22T23:21:00Z"))
    existing = caught.value.existing
    assert isinstance(existing, Item)
    assert ("yes", "2026-11-22T23:20:32Z") == (existing["choice"], existing["votedAt"])


def test_replay_returns_the_original_and_refuses_a_new_payload(make_store: StoreFactory) -> None:
    """Under replay, a retry gets the stored item and a different payload is a conflict."""
    feedback = Replay(store=make_store("feedback"))
    key = Key.of(feedbackId="f-1")
    payload = {"rating": 5, "message": "Great"}
    first = Item.of(payload, payloadHash=fingerprint(payload), createdAt="2026-11-22T23:20:32Z")
    feedback.submit(key, first)
    retry = feedback.submit(key, first.evolve(createdAt="2026-11-22T23:20:40Z"))
    assert (True, "2026-11-22T23:20:32Z") == (retry.replayed, retry.item["createdAt"])
    other = {"rating": 1, "message": "Great"}
    with pytest.raises(IdempotencyConflictError):
        feedback.submit(key, Item.of(other, payloadHash=fingerprint(other), createdAt="x"))


def test_replace_tells_created_changed_and_unchanged(make_store: StoreFactory) -> None:
    """Under replace, a vote is created, changed with an audit trail, then left unchanged."""
    votes = Replace(store=make_store("votes"), clock=lambda: "2026-11-22T23:30:00Z")
    vote = Item.of(choice="yes", votedAt="2026-11-22T23:20:32Z")
    statuses = [
        votes.submit(VOTE, vote).status,
        votes.submit(VOTE, vote.evolve(choice="no", votedAt="2026-11-22T23:29:59Z")).status,
        votes.submit(VOTE, vote.evolve(choice="no", votedAt="2026-11-22T23:31:00Z")).status,
    ]
    assert [Status.CREATED, Status.CHANGED, Status.UNCHANGED] == statuses
    expected = Item.of(
        pollId="p1",
        userId="u1",
        choice="no",
        votedAt="2026-11-22T23:20:32Z",
        previousChoice="yes",
        changedAt="2026-11-22T23:30:00Z",
        revision=2,
    )
    stored = votes.store.get(VOTE)
    assert stored is not None
    assert expected == stored.without("writeId")
