"""Your own API route with the library's wrapper: the same answers as the reference handlers.

A product-review route that is not part of feedback_core: its own schema, its own use case, and
the wrapper the reference handlers use, so it answers 405, 400, 413, 415, 422 and 503 exactly as
they do, replays retries under ``Idempotency-Key``, and logs no personal data.
"""

from __future__ import annotations

import logging

import attrs

from feedback_core.dedup import DedupStore, Item, Key, Replay, derive_id, fingerprint
from feedback_core.http import ApiCall, NoParameters, Route, api_handler
from feedback_core.ingest import ID_PATTERN, Record, field
from feedback_core.testing import InMemoryDedupStore
from feedback_core.usecases import Submitted


@attrs.frozen(kw_only=True)
class Review(Record):
    """The body: a rating and a text (declared like any feedback_core schema)."""

    rating: int = field(ge=1, le=5)
    text: str = field(max_length=2000, multiline=True)


@attrs.frozen(kw_only=True)
class ProductPath(Record):
    """The path parameters: ``/products/{productId}/reviews``."""

    product_id: str = field(pattern=ID_PATTERN)


SUBMIT_REVIEW = Route(
    method="POST",
    path="/products/{productId}/reviews",
    path_schema=ProductPath,
    query_schema=NoParameters,
    body_schema=Review,
    summary="Review a product.",
)


@attrs.frozen(kw_only=True)
class ReviewReceipt:
    """What the client gets back: a read model that renders itself as JSON."""

    review_id: str

    def to_json(self) -> dict[str, object]:
        """Return the response body."""
        return {"reviewId": self.review_id}


@attrs.frozen(kw_only=True)
class ReviewService:
    """Your use case: typed values in, an outcome out, no HTTP."""

    store: DedupStore

    def submit(self, product_id: str, review: Review, key: str | None) -> Submitted[ReviewReceipt]:
        """Store the review once per idempotency key (a new review per request without one)."""
        payload = {**review.to_json(), "productId": product_id}
        review_id = derive_id("POST /products/{productId}/reviews", product_id, key or _new())
        item = Item.of(payload, reviewId=review_id, payloadHash=fingerprint(payload))
        submission = Replay(store=self.store).submit(Key.of(reviewId=review_id), item)
        receipt = ReviewReceipt(review_id=submission.item.text("reviewId"))
        return Submitted(status=submission.status, replayed=submission.replayed, record=receipt)


def _new() -> str:
    import uuid

    return str(uuid.uuid4())


# In Lambda: DynamoDBDedupStore(table_name=...), built once at cold start from your settings.
reviews = ReviewService(store=InMemoryDedupStore())
logger = logging.getLogger("reviews")


@api_handler(SUBMIT_REVIEW, logger=logger, max_body_bytes=16 * 1024)
def handler(call: ApiCall[ProductPath, NoParameters]) -> Submitted[ReviewReceipt]:
    """POST /products/{productId}/reviews: 201, replayed 201, or a problem."""
    review = Review.decode(call.body)
    key = call.idempotency_key.value if call.idempotency_key is not None else None
    return reviews.submit(call.path.product_id, review, key)
