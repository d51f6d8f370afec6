"""An integrator's own projection: feedback counted per customer and rating band."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core.aggregate import Contribution, CounterKey, projection

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from feedback_core.attributes import Value


@projection("feedback-by-customer")
def feedback_by_customer(image: Mapping[str, Value]) -> Iterator[Contribution]:
    """Count each customer's feedback, and how much of it is unhappy (rating 1-2)."""
    customer = image.get("customerId")
    rating = image.get("rating")
    if not isinstance(customer, str) or not isinstance(rating, int):
        return  # not a customer's rated feedback: contributes nothing
    counter = CounterKey(group=f"customer#{customer}", name="feedback")
    yield Contribution(counter=counter, field="count")
    if rating <= 2:
        yield Contribution(counter=counter, field="unhappy")
