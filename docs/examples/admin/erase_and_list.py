"""Listing and erasure with the in-memory fakes: the same use cases the handlers run."""

from __future__ import annotations

from feedback_core.feedback import LISTED, CursorCodec
from feedback_core.testing import InMemoryFeedbackLog
from feedback_core.usecases import (
    EraseCustomer,
    ErasureService,
    FeedbackListing,
    ListFeedback,
)


def stored(n: int, customer: str) -> dict[str, object]:
    """An item as POST /feedback stores it (LISTED puts it in the listing index)."""
    return {
        "feedbackId": f"f{n}",
        "createdAt": f"2026-11-22T10:0{n}:00Z",
        "name": "Ana",
        "email": "ana@example.com",
        "rating": 4,
        "message": "Quick and kind.",
        "customerId": customer,
        **LISTED,
    }


def every_id(listing: FeedbackListing) -> list[str]:
    """Follow the cursors from the newest page to the last."""
    ids: list[str] = []
    cursor: str | None = None
    while True:
        page = listing.list(ListFeedback(limit=2, cursor=cursor))
        ids += [entry.feedback_id for entry in page.entries]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def main() -> tuple[list[str], int, list[str]]:
    """List everything, erase customer c-1, list again.

    Returns ``(['f3', 'f2', 'f1', 'f0'], 2, ['f3', 'f1'])``: newest first, then without c-1's.
    """
    log = InMemoryFeedbackLog()
    for n, customer in enumerate(["c-1", "c-2", "c-1", "c-3"]):
        log.add(stored(n, customer))
    # In a handler the key comes from Secrets Manager (ListingConfig.CURSOR_SECRET_ID).
    listing = FeedbackListing(log=log, cursors=CursorCodec(key=b"a-32-byte-or-longer-secret-key!!"))
    before = every_id(listing)
    erased = ErasureService(log=log).erase(EraseCustomer(customer_id="c-1")).erased
    return before, erased, every_id(listing)
