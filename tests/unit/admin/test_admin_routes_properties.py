"""No query or path a client sends makes the admin routes answer 5xx or raise.

The routes are wrapped as the reference handlers wrap them, around the in-memory fakes.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_core.feedback import LISTED, CursorCodec, InMemoryFeedbackLog
from feedback_core.http import ApiCall, NoParameters, api_handler
from feedback_core.http.admin_routes import (
    ERASE_CUSTOMER,
    LIST_FEEDBACK,
    CustomerPath,
    ListFeedbackQuery,
)
from feedback_core.usecases import (
    EraseCustomer,
    Erasure,
    ErasureService,
    FeedbackListing,
    FeedbackListPage,
    ListFeedback,
)

LOG = InMemoryFeedbackLog()
for n in range(30):
    LOG.add(
        {
            "feedbackId": f"f{n:02d}",
            "createdAt": f"2026-11-22T10:{n:02d}:00Z",
            "customerId": "c-1",
            **LISTED,
        }
    )
LISTING = FeedbackListing(log=LOG, cursors=CursorCodec(key=b"k" * 32))


@api_handler(LIST_FEEDBACK)
def list_handler(call: ApiCall[NoParameters, ListFeedbackQuery]) -> FeedbackListPage:
    return LISTING.list(ListFeedback(limit=call.query.limit, cursor=call.query.cursor))


@api_handler(ERASE_CUSTOMER)
def erase_handler(call: ApiCall[CustomerPath, NoParameters]) -> Erasure:
    # A fresh, empty log: only the answer's status matters here.
    service = ErasureService(log=InMemoryFeedbackLog())
    return service.erase(EraseCustomer(customer_id=call.path.customer_id))


def rest(method: str, **parts: Any) -> dict[str, Any]:
    return {"httpMethod": method, "headers": {}, "body": None, "requestContext": {}, **parts}


VALID_CURSOR = LISTING.list(ListFeedback(limit=5)).next_cursor or ""
values = st.one_of(
    st.text(max_size=80),
    st.integers(min_value=-5, max_value=200).map(str),
    st.just(VALID_CURSOR),
    st.builds(
        lambda i, c: VALID_CURSOR[:i] + c + VALID_CURSOR[i + 1 :],
        st.integers(0, 60),
        st.characters(),
    ),
)
queries = st.dictionaries(
    st.sampled_from(["limit", "cursor", "other", "LIMIT"]), values, max_size=3
)


@settings(max_examples=600, deadline=None)
@given(queries)
def test_any_query_is_answered_200_or_400(query: dict[str, str]) -> None:
    """Whatever the limit and cursor, the listing answers 200 or 400, never 5xx."""
    response = list_handler(rest("GET", queryStringParameters=query), None)
    assert response["statusCode"] in (200, 400)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_any_customer_id_is_answered_200_or_400(customer: str) -> None:
    """Whatever the path's customer id, the erasure answers 200 or 400, never 5xx."""
    response = erase_handler(rest("DELETE", pathParameters={"customerId": customer}), None)
    assert response["statusCode"] in (200, 400)
