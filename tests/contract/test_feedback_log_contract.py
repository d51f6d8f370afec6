"""One contract for every FeedbackLog: the in-memory adapter and DynamoDB (on moto) must agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import pytest

from feedback_core.attributes import to_item
from feedback_core.feedback import (
    LISTED,
    DynamoDBFeedbackLog,
    FeedbackEntry,
    FeedbackLog,
    InMemoryFeedbackLog,
    Position,
)
from tests.feedback_tables import create_feedback_table

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping


@attrs.frozen
class Log:
    """A log under test and how to put an item into its table."""

    log: FeedbackLog
    add: Callable[[Mapping[str, object]], None]


@pytest.fixture(params=["memory", "dynamodb"])
def subject(request: pytest.FixtureRequest) -> Iterator[Log]:
    if request.param == "memory":
        memory = InMemoryFeedbackLog()
        yield Log(log=memory, add=memory.add)
        return

    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        create_feedback_table(client, "feedback")

        def put(item: Mapping[str, object]) -> None:
            client.put_item(TableName="feedback", Item=to_item(item))

        yield Log(log=DynamoDBFeedbackLog(table_name="feedback", client=client), add=put)


def item(n: int, *, customer: str | None = None, listed: bool = True) -> dict[str, object]:
    """Feedback number ``n``, stored ``n`` minutes after 10:00 (so later means newer)."""
    stored: dict[str, object] = {
        "feedbackId": f"f{n:03d}",
        "createdAt": f"2026-11-22T{10 + n // 60:02d}:{n % 60:02d}:00Z",
        "name": f"Person {n}",
        "email": f"person{n}@example.com",
        "rating": 1 + n % 5,
        "message": f"Message {n}",
        "payloadHash": "x",
        "sentiment": "neutral",
    }
    if customer is not None:
        stored["customerId"] = customer
    if listed:
        stored.update(LISTED)
    return stored


def all_pages(log: FeedbackLog, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    after: Position | None = None
    while True:
        page = log.page(limit=limit, after=after)
        pages.append([e.feedback_id for e in page.entries])
        if page.next is None:
            return pages
        after = page.next


def test_pages_list_every_item_once_newest_first(subject: Log) -> None:
    """Pages of 3 over 8 items are 3, 3 and 2 items, newest first, and the last says so."""
    for n in range(8):
        subject.add(item(n))
    expected = [["f007", "f006", "f005"], ["f004", "f003", "f002"], ["f001", "f000"]]
    assert expected == all_pages(subject.log, 3)


def test_a_full_last_page_has_no_next(subject: Log) -> None:
    """When the items fill the last page exactly, no cursor leads to an empty page."""
    for n in range(4):
        subject.add(item(n))
    assert [["f003", "f002"], ["f001", "f000"]] == all_pages(subject.log, 2)


def test_an_empty_log_is_one_empty_page(subject: Log) -> None:
    """Nothing stored: one page, no entries, no next."""
    page = subject.log.page(limit=20)
    assert ((), None) == (page.entries, page.next)


def test_items_stored_in_the_same_second_are_each_listed_once(subject: Log) -> None:
    """Equal createdAt values are told apart by the id, so no page repeats or skips one."""
    for n in range(5):
        subject.add({**item(0), "feedbackId": f"same{n}"})
    pages = all_pages(subject.log, 2)
    assert [f"same{n}" for n in range(5)] == sorted(i for page in pages for i in page)
    assert [2, 2, 1] == [len(page) for page in pages]


def test_items_without_the_listing_attribute_are_not_listed(subject: Log) -> None:
    """The listing index is sparse: an item written without ``feed`` is not in it."""
    subject.add(item(1))
    subject.add(item(2, listed=False))
    assert [["f001"]] == all_pages(subject.log, 10)


def test_entries_carry_the_stored_fields(subject: Log) -> None:
    """An entry reads back every field, the rating as a whole number."""
    subject.add(item(7, customer="c-1"))
    (entry,) = subject.log.page(limit=1).entries
    assert (
        FeedbackEntry(
            feedback_id="f007",
            created_at="2026-11-22T10:07:00Z",
            name="Person 7",
            email="person7@example.com",
            rating=3,
            message="Message 7",
            customer_id="c-1",
            sentiment="neutral",
        )
        == entry
    )


def test_customer_feedback_finds_only_that_customers_items(subject: Log) -> None:
    """The customer index yields the customer's ids and no one else's."""
    subject.add(item(1, customer="c-1"))
    subject.add(item(2, customer="c-2"))
    subject.add(item(3, customer="c-1", listed=False))
    subject.add(item(4))
    assert ["f001", "f003"] == sorted(subject.log.customer_feedback("c-1"))
    assert [] == list(subject.log.customer_feedback("c-9"))


def test_delete_says_whether_the_item_was_there(subject: Log) -> None:
    """Deleting removes the item from both indexes; deleting again is harmless and says so."""
    subject.add(item(1, customer="c-1"))
    assert (True, False) == (subject.log.delete("f001"), subject.log.delete("f001"))
    assert ([], [[]]) == (list(subject.log.customer_feedback("c-1")), all_pages(subject.log, 5))
