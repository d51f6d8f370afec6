"""mypy proves decoded records keep their types for integrators; pytest imports it as a smoke test.

``Record.decode`` returns ``Self``, so a custom schema's decode is typed as that schema and its
attributes as declared: ``mypy --strict`` fails below if that ever degrades to ``Any``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import assert_type

import attrs

from feedback_core.attributes import AttributeMap, Value, from_item
from feedback_core.errors import ValidationError
from feedback_core.ingest import Feedback, ProxyResponse, Record, Vote, field, problem_response


@attrs.frozen(kw_only=True)
class Tip(Record):
    """An integrator's own schema."""

    amount: Decimal = field(ge=Decimal("0"))
    note: str | None = field(default=None, max_length=200)


def decoded_types() -> None:
    """Never called: mypy reads the types."""
    tip = Tip.decode(b'{"amount": 2.5}')
    assert_type(tip, Tip)
    assert_type(tip.amount, Decimal)
    assert_type(tip.note, str | None)
    feedback = Feedback.decode(b"{}")
    assert_type(feedback.rating, int)
    item: AttributeMap = Vote(poll_id="p", user_id="u", choice="c").to_item()
    values: dict[str, Value] = from_item(item)
    assert_type(Vote.from_item(item), Vote)
    try:
        Tip.decode(b"{}")
    except ValidationError as error:
        response: ProxyResponse = problem_response(error)
        assert_type(error.errors[0].pointer, str)
        del response, values


def test_types_module_imports() -> None:
    """The module imports, so its definitions are valid at run time too."""
    assert Tip(amount=Decimal("1")).note is None
