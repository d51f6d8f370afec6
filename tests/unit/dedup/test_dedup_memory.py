"""What the in-memory store adds to the contract: a change log, isolation and thread safety."""

from __future__ import annotations

import threading
from datetime import timedelta

from feedback_core.dedup import (
    Accepted,
    Expiry,
    InMemoryDedupStore,
    Item,
    Key,
    Revised,
    StoreChange,
)

KEY = Key.of(pollId="p1", userId="u1")


def test_changes_log_inserts_and_modifies_with_both_images() -> None:
    """A claim logs an INSERT and a revision a MODIFY, each with its old and new image."""
    store = InMemoryDedupStore()
    store.claim(KEY, Item.of(choice="yes"))
    store.revise(KEY, Item.of(choice="no"), revision_attribute="revision", expected_revision=None)
    first = Item.of(pollId="p1", userId="u1", choice="yes")
    assert [
        StoreChange(event_name="INSERT", key=KEY, old_image=None, new_image=first),
        StoreChange(
            event_name="MODIFY",
            key=KEY,
            old_image=first,
            new_image=first.evolve(choice="no", revision=2),
        ),
    ] == list(store.changes())


def test_duplicates_and_stale_revisions_log_nothing() -> None:
    """Nothing written, nothing logged: a failed condition leaves no trace in the log."""
    store = InMemoryDedupStore()
    store.claim(KEY, Item.of(choice="yes"))
    store.claim(KEY, Item.of(choice="no"))
    store.revise(KEY, Item.of(choice="no"), revision_attribute="revision", expected_revision=5)
    assert ["INSERT"] == [change.event_name for change in store.changes()]


def test_overwriting_an_expired_record_is_a_modify() -> None:
    """As in DynamoDB, a put over an existing (expired, unswept) item is a MODIFY."""
    now = [1_000.0]
    store = InMemoryDedupStore(expiry=Expiry(after=timedelta(seconds=10)), clock=lambda: now[0])
    store.claim(KEY, Item.of(choice="yes"))
    now[0] += 11
    store.claim(KEY, Item.of(choice="no"))
    assert ["INSERT", "MODIFY"] == [change.event_name for change in store.changes()]


def test_returned_items_are_copies() -> None:
    """Mutating a nested value of a returned item does not reach the stored item."""
    store = InMemoryDedupStore()
    outcome = store.claim(KEY, Item.of(answers={"q1": ["a"]}))
    assert isinstance(outcome, Accepted)
    answers = outcome.item["answers"]
    assert isinstance(answers, dict)
    answers["q1"] = ["tampered"]
    assert Item.of(pollId="p1", userId="u1", answers={"q1": ["a"]}) == store.get(KEY)


def test_len_counts_items() -> None:
    """len() is the number of items held."""
    store = InMemoryDedupStore()
    store.claim(KEY, Item.of(choice="yes"))
    store.claim(Key.of(pollId="p1", userId="u2"), Item.of(choice="no"))
    assert 2 == len(store)


def test_concurrent_revisions_at_one_revision_apply_once() -> None:
    """Of 32 threads revising from the same revision, exactly one wins."""
    store = InMemoryDedupStore()
    store.claim(KEY, Item.of(choice="yes", revision=1))
    barrier = threading.Barrier(32)
    wins: list[int] = []

    def revise(index: int) -> None:
        barrier.wait()
        outcome = store.revise(
            KEY, Item.of(choice=f"c{index}"), revision_attribute="revision", expected_revision=1
        )
        if isinstance(outcome, Revised):
            wins.append(index)

    threads = [threading.Thread(target=revise, args=(i,)) for i in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 == len(wins)
    assert Item.of(pollId="p1", userId="u1", choice=f"c{wins[0]}", revision=2) == store.get(KEY)
