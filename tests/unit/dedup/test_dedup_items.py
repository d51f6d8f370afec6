"""Items (the Python-valued attributes a claim stores) and expiry stamps."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from feedback_core.dedup import Expiry, Item

if TYPE_CHECKING:
    from feedback_core.attributes import Value


def test_an_item_refuses_floats() -> None:
    """A float would be a 500 at PutItem time; the item refuses it when built."""
    with pytest.raises(TypeError, match="float"):
        Item.of(rating=4.5)


def test_an_item_normalizes_like_dynamodb() -> None:
    """Values come out as DynamoDB returns them: integral Decimals as int, tuples as lists."""
    item = Item.of(rating=Decimal("5"), score=Decimal("0.50"), picks=("a", "b"), tags={"x"})
    assert {
        "rating": 5,
        "score": Decimal("0.5"),
        "picks": ["a", "b"],
        "tags": frozenset({"x"}),
    } == (item.to_dict())


def test_an_item_equals_a_dict_with_the_same_attributes() -> None:
    """Items compare as mappings, so tests and handlers can compare with plain dicts."""
    assert Item.of(choice="yes") == {"choice": "yes"}
    assert Item.of(choice="yes") != {"choice": "no"}


def test_an_item_cannot_be_changed_in_place() -> None:
    """Items are read-only; evolve() makes a changed copy."""
    item = Item.of(choice="yes")
    with pytest.raises(TypeError):
        item.attributes["choice"] = "no"  # type: ignore[index]  # the point: it is read-only
    assert {"choice": "yes"} == item.to_dict()
    assert Item.of(choice="no") == item.evolve(choice="no")


def test_of_merges_a_mapping_and_keywords() -> None:
    """Keywords win over the mapping, as in dict(mapping, **keywords)."""
    assert {"a": 1, "b": 3} == Item.of({"a": 1, "b": 2}, b=3)


def test_without_drops_attributes() -> None:
    """without() returns a copy lacking the named attributes."""
    assert {"a": 1} == Item.of(a=1, b=2, c=3).without("b", "c")


def test_text_and_number_read_typed_values() -> None:
    """text() and number() return the value when it has the asked-for type."""
    item = Item.of(choice="yes", revision=2)
    assert ("yes", 2) == (item.text("choice"), item.number("revision"))


@pytest.mark.parametrize(("method", "name"), [("text", "revision"), ("number", "choice")])
def test_text_and_number_refuse_other_types(method: str, name: str) -> None:
    """Asking for the wrong type is a TypeError that names the attribute."""
    item = Item.of(choice="yes", revision=2)
    with pytest.raises(TypeError, match=name):
        getattr(item, method)(name)


def test_number_refuses_a_boolean() -> None:
    """True is an int in Python but a BOOL in DynamoDB."""
    with pytest.raises(TypeError, match="flag"):
        Item.of(flag=True).number("flag")


def test_repr_shows_the_attributes() -> None:
    """An item prints as its attributes."""
    assert "Item({'choice': 'yes'})" == repr(Item.of(choice="yes"))


def test_expiry_stamps_now_plus_its_lifetime() -> None:
    """A record claimed at t expires at t + lifetime, in whole epoch seconds."""
    assert 1_000 + 86_400 == Expiry(after=timedelta(days=1)).stamp(1_000)


def test_expiry_is_past_only_after_the_stamp() -> None:
    """At the stamp the record still lives; one second later it has expired."""
    expiry = Expiry(attribute="expiresAt")
    assert (False, True) == (
        expiry.expired({"expiresAt": 100}, 100),
        expiry.expired({"expiresAt": 100}, 101),
    )


@pytest.mark.parametrize("item", [{}, {"expiresAt": "100"}, {"expiresAt": True}])
def test_items_without_a_numeric_stamp_never_expire(item: dict[str, Value]) -> None:
    """Like DynamoDB's comparison, a missing or non-numeric stamp is never "less than now"."""
    assert not Expiry().expired(item, 10**12)


def test_an_expiry_under_a_second_is_refused() -> None:
    """A lifetime under one second would expire records as they are written."""
    with pytest.raises(ValueError, match="at least one second"):
        Expiry(after=timedelta(milliseconds=500))
