"""Python values to and from DynamoDB's low-level AttributeValue shape, without floats.

The low-level client (and DynamoDB Streams records) speak ``{"S": "x"}``, ``{"N": "5"}`` and so
on. Numbers come back as ``int`` when integral and as exact ``Decimal`` otherwise; ``float`` is
refused on the way in, because a binary float has no exact decimal text (the bug behind
boto3's ``Float types are not supported`` error that turns a valid request into a 500).

Examples:
    >>> from decimal import Decimal
    >>> item = to_item({"pollId": "p1", "count": 3, "avg": Decimal("4.5")})
    >>> item["count"]
    {'N': '3'}
    >>> from_item(item) == {"pollId": "p1", "count": 3, "avg": Decimal("4.5")}
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from decimal import Decimal
from typing import TypeAlias, TypedDict

__all__ = [
    "AttributeMap",
    "AttributeValue",
    "Value",
    "from_attribute",
    "from_item",
    "item_size",
    "number_text",
    "to_attribute",
    "to_item",
    "write_units",
]


class AttributeValue(TypedDict, total=False):
    """One DynamoDB AttributeValue in the low-level client's wire shape (exactly one key set)."""

    S: str
    N: str
    B: bytes
    SS: list[str]
    NS: list[str]
    BS: list[bytes]
    M: dict[str, AttributeValue]
    L: list[AttributeValue]
    NULL: bool
    BOOL: bool


AttributeMap: TypeAlias = dict[str, AttributeValue]
"""A whole item: attribute name to AttributeValue."""

Value: TypeAlias = (
    "bool | int | Decimal | str | bytes | list[Value] | dict[str, Value]"
    " | frozenset[str] | frozenset[int | Decimal] | frozenset[bytes] | None"
)
"""A Python value that maps losslessly onto one AttributeValue."""


def number_text(number: int | Decimal) -> str:
    """Return the exact DynamoDB ``N`` text of ``number``.

    Raises:
        TypeError: for ``float`` (and ``bool``), which DynamoDB cannot store exactly.
        ValueError: for NaN and infinities, which DynamoDB does not store at all.
    """
    if isinstance(number, bool) or not isinstance(number, int | Decimal):
        raise TypeError(
            f"numbers for DynamoDB must be int or Decimal, not {type(number).__name__}; "
            "build a Decimal from the number's text, e.g. Decimal('4.5')"
        )
    if isinstance(number, Decimal) and not number.is_finite():
        raise ValueError(f"DynamoDB cannot store the number {number}")
    return str(number)


def _set_attribute(members: list[object]) -> AttributeValue:
    if not members:
        raise ValueError("DynamoDB cannot store an empty set")
    strings = [m for m in members if isinstance(m, str)]
    if len(strings) == len(members):
        return {"SS": sorted(strings)}
    blobs = [m for m in members if isinstance(m, bytes)]
    if len(blobs) == len(members):
        return {"BS": sorted(blobs)}
    numbers = [m for m in members if isinstance(m, int | Decimal) and not isinstance(m, bool)]
    if len(numbers) == len(members):
        return {"NS": [number_text(m) for m in numbers]}
    raise TypeError("a DynamoDB set holds only strings, only numbers or only bytes")


def to_attribute(value: object) -> AttributeValue:  # noqa: PLR0911  # one return per type
    """Convert one Python value into an AttributeValue.

    Raises:
        TypeError: for a type DynamoDB cannot hold exactly (``float``, arbitrary objects).
        ValueError: for NaN or infinite numbers and empty sets.
    """
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | Decimal):
        return {"N": number_text(value)}
    if value is None:
        return {"NULL": True}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_attribute(v) for k, v in value.items()}}
    if isinstance(value, Set):
        return _set_attribute(list(value))
    if isinstance(value, Sequence):
        return {"L": [to_attribute(v) for v in value]}
    raise TypeError(
        f"cannot store a {type(value).__name__} in DynamoDB"
        + ("; build a Decimal from the number's text instead" if isinstance(value, float) else "")
    )


def to_item(values: Mapping[str, object]) -> AttributeMap:
    """Convert a mapping of attribute names to Python values into a low-level item."""
    return {name: to_attribute(value) for name, value in values.items()}


def _number(text: str) -> int | Decimal:
    # Integral texts without exponent or point are by far the most common; int() is the fast path.
    if "." not in text and "e" not in text and "E" not in text:
        return int(text)
    number = Decimal(text)
    if number == number.to_integral_value():
        return int(number)
    return number


def from_attribute(attribute: AttributeValue) -> Value:  # noqa: PLR0911  # one return per type
    """Convert one AttributeValue into a Python value: integral numbers become ``int``.

    Raises:
        ValueError: if the mapping holds no AttributeValue type key.
    """
    # Most attributes are strings or numbers, so those are tested first.
    if "S" in attribute:
        return attribute["S"]
    if "N" in attribute:
        return _number(attribute["N"])
    if "M" in attribute:
        return {k: from_attribute(v) for k, v in attribute["M"].items()}
    if "BOOL" in attribute:
        return attribute["BOOL"]
    if "L" in attribute:
        return [from_attribute(v) for v in attribute["L"]]
    if "NULL" in attribute:
        return None
    if "B" in attribute:
        return bytes(attribute["B"])
    if "SS" in attribute:
        return frozenset(attribute["SS"])
    if "NS" in attribute:
        return frozenset(_number(n) for n in attribute["NS"])
    if "BS" in attribute:
        return frozenset(bytes(b) for b in attribute["BS"])
    raise ValueError(f"not an AttributeValue: keys {sorted(attribute)}")


def from_item(item: Mapping[str, AttributeValue]) -> dict[str, Value]:
    """Convert a low-level item (or stream image) into a dict of Python values."""
    return {name: from_attribute(attribute) for name, attribute in item.items()}


def _number_size(text: str) -> int:
    # DynamoDB stores a number's significant digits two to a byte, plus one byte.
    digits = text.lstrip("-").replace(".", "").split("e")[0].split("E")[0].strip("0")
    return (len(digits) + 1) // 2 + 1


def _value_size(value: AttributeValue) -> int:  # noqa: PLR0911  # one return per type
    if "S" in value:
        return len(value["S"].encode())
    if "N" in value:
        return _number_size(value["N"])
    if "B" in value:
        return len(value["B"])
    if "SS" in value:
        return sum(len(s.encode()) for s in value["SS"])
    if "NS" in value:
        return sum(_number_size(n) for n in value["NS"])
    if "BS" in value:
        return sum(len(b) for b in value["BS"])
    if "M" in value:
        return 3 + sum(len(k.encode()) + _value_size(v) + 1 for k, v in value["M"].items())
    if "L" in value:
        return 3 + sum(_value_size(v) + 1 for v in value["L"])
    return 1  # NULL, BOOL


def item_size(item: Mapping[str, AttributeValue]) -> int:
    """Return an item's size in bytes as DynamoDB counts it for capacity units.

    Attribute names and string values count their UTF-8 bytes, numbers about one byte per two
    significant digits plus one, maps and lists three bytes plus one per element
    (`Item sizes and formats` in the DynamoDB developer guide).

    Examples:
        >>> item_size({"pk": {"S": "poll#p1"}, "choice:yes": {"N": "12"}})
        21
    """
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def write_units(size_before: int, size_after: int) -> int:
    """Return the write request units one write bills on demand: 1 per started KB.

    DynamoDB bills a write by the larger of the item's size before and after it.

    Examples:
        >>> write_units(0, 180), write_units(900, 1100)
        (1, 2)
    """
    return max(1, -(-max(size_before, size_after) // 1024))
