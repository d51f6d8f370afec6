"""Python values to DynamoDB AttributeValues and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.attributes import from_attribute, from_item, to_attribute, to_item


def test_float_is_refused_with_a_hint() -> None:
    """A float cannot be stored exactly, so it is refused with advice instead of a 500."""
    with pytest.raises(TypeError, match="Decimal"):
        to_attribute(4.5)


def test_nan_is_refused() -> None:
    """DynamoDB stores no NaN."""
    with pytest.raises(ValueError, match="cannot store"):
        to_attribute(Decimal("NaN"))


def test_bool_is_not_a_number() -> None:
    """True is stored as BOOL, not as N 1."""
    assert {"BOOL": True} == to_attribute(value=True)


def test_integral_numbers_come_back_as_int() -> None:
    """N "5", "5.0" and "5E0" all read back as the int 5."""
    assert [5, 5, 5] == [from_attribute({"N": n}) for n in ("5", "5.0", "5E0")]


def test_fractions_come_back_as_exact_decimal() -> None:
    """N "0.1" reads back as Decimal("0.1"), not a binary float."""
    assert Decimal("0.1") == from_attribute({"N": "0.1"})


def test_sets_round_trip() -> None:
    """String, number and binary sets come back as frozensets."""
    item = to_item({"s": {"a", "b"}, "n": {1, Decimal("2.5")}, "b": {b"x"}})
    assert {
        "s": frozenset({"a", "b"}),
        "n": frozenset({1, Decimal("2.5")}),
        "b": frozenset({b"x"}),
    } == from_item(item)


def test_empty_set_is_refused() -> None:
    """DynamoDB stores no empty set."""
    with pytest.raises(ValueError, match="empty set"):
        to_attribute(set())


def test_unknown_tag_is_refused() -> None:
    """A mapping without a type key is not an AttributeValue."""
    with pytest.raises(ValueError, match="not an AttributeValue"):
        from_attribute({})


_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**37), max_value=10**37)
    | st.text()
    | st.binary()
    | st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
    ).filter(lambda d: d != d.to_integral_value())
)
_value = st.recursive(
    _leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_value)
def test_values_round_trip(value: object) -> None:
    """Every supported value reads back equal to what was written."""
    assert value == from_attribute(to_attribute(value))
