"""FeedbackListing: newest-first pages, signed cursors, limits, and e-mail only when chosen."""

from __future__ import annotations

import pytest

from docs.examples.admin.erase_and_list import every_id
from feedback_core.config import ConfigurationError
from feedback_core.errors import ValidationError
from feedback_core.feedback import (
    LISTED,
    CursorCodec,
    FeedbackPage,
    InMemoryFeedbackLog,
    Position,
)
from feedback_core.usecases import FeedbackListing, ListFeedback, ListingConfig

KEY = b"s" * 32


class CountingLog(InMemoryFeedbackLog):
    """The in-memory log, counting the pages asked of it and where they started."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[int, Position | None]] = []

    def page(self, *, limit: int, after: Position | None = None) -> FeedbackPage:
        self.asked.append((limit, after))
        return super().page(limit=limit, after=after)


def log_with(count: int) -> CountingLog:
    log = CountingLog()
    for n in range(count):
        log.add(
            {
                "feedbackId": f"f{n:03d}",
                "createdAt": f"2026-11-22T10:{n:02d}:00Z",
                "name": "Ana",
                "email": f"ana{n}@example.com",
                "rating": 4,
                "message": "Fine",
                **LISTED,
            }
        )
    return log


def listing(log: InMemoryFeedbackLog, *, include_email: bool = False) -> FeedbackListing:
    return FeedbackListing(log=log, cursors=CursorCodec(key=KEY), include_email=include_email)


def test_the_default_page_is_the_newest_twenty() -> None:
    """Without a limit, the page holds the 20 newest entries, newest first."""
    page = listing(log_with(25)).list(ListFeedback())
    assert [f"f{n:03d}" for n in range(24, 4, -1)] == [e.feedback_id for e in page.entries]


def test_following_cursors_lists_everything_once() -> None:
    """The cursors of successive pages walk the whole log, each entry once, then stop."""
    assert [f"f{n:03d}" for n in range(6, -1, -1)] == every_id(listing(log_with(7)))


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_a_limit_outside_1_to_100_is_a_400(limit: int) -> None:
    """The limit is checked here too, not only by the route's query schema."""
    with pytest.raises(ValidationError) as raised:
        listing(log_with(1)).list(ListFeedback(limit=limit))
    assert ["/limit"] == [e.pointer for e in raised.value.errors]


def test_a_forged_cursor_is_a_400_and_reads_nothing() -> None:
    """A cursor not signed with the key never reaches the log: no read at all happens."""
    log = log_with(5)
    forged = CursorCodec(key=b"x" * 32).encode(Position(created_at="9", feedback_id="z"))
    with pytest.raises(ValidationError):
        listing(log).list(ListFeedback(cursor=forged))
    assert [] == log.asked


def test_the_email_is_left_out_by_default() -> None:
    """Entries show name, rating and message, but no e-mail address unless configured."""
    body = listing(log_with(1)).list(ListFeedback()).to_json()
    assert {
        "items": [
            {
                "feedbackId": "f000",
                "createdAt": "2026-11-22T10:00:00Z",
                "name": "Ana",
                "rating": 4,
                "message": "Fine",
            }
        ],
        "nextCursor": None,
    } == body


def test_the_email_is_listed_when_the_deployer_opts_in() -> None:
    """include_email shows each entry's address."""
    body = listing(log_with(1), include_email=True).list(ListFeedback()).to_json()
    assert "ana0@example.com" == body["items"][0]["email"]  # type: ignore[index]  # a JSON body


def test_config_reads_the_table_secret_and_opt_in() -> None:
    """The three settings are read, the e-mail off by default."""
    environ = {"FEEDBACK_TABLE": "fb", "CURSOR_SECRET_ID": "arn:secret"}
    assert ListingConfig(table="fb", cursor_secret_id="arn:secret") == ListingConfig.from_env(
        environ
    )
    assert ListingConfig.from_env({**environ, "LIST_INCLUDE_EMAIL": "true"}).include_email


def test_config_without_the_secret_is_an_error_naming_it() -> None:
    """A listing without a signing secret is refused at cold start."""
    with pytest.raises(ConfigurationError, match="CURSOR_SECRET_ID"):
        ListingConfig.from_env({"FEEDBACK_TABLE": "fb"})
