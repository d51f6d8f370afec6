"""Constraint metadata for schema fields: what an integrator writes beside each attribute.

Examples:
    >>> import attrs

if TYPE_CHECKING:
    from decimal import Decimal
    >>> from feedback_core.ingest import Record, field
    >>> @attrs.frozen(kw_only=True)
    ... class Rsvp(Record):
    ...     event_id: str = field(max_length=64, pattern=r"[A-Za-z0-9-]+")
    ...     guests: int = field(ge=0, le=10, default=0)
    >>> Rsvp.decode(b'{"eventId": "gala-2026", "guests": 2}')
    Rsvp(event_id='gala-2026', guests=2)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

import attrs

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = ["METADATA_KEY", "Constraints", "field"]

METADATA_KEY: Final = "feedback_core.ingest"

_NOTHING: Any = attrs.NOTHING


@attrs.frozen(kw_only=True)
class Constraints:
    """The limits one field's value must meet; ``None`` means "no limit".

    Lengths count Unicode code points after NFC normalization and trimming; for lists they count
    items and for maps they count keys.
    """

    wire: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    ge: int | Decimal | None = None
    le: int | Decimal | None = None
    choices: frozenset[str] | None = None
    multiline: bool = False
    item_max_length: int | None = None
    max_items: int | None = None
    key_pattern: re.Pattern[str] | None = None
    sensitive: bool = False


# Returns Any, as attrs.field does, so that `rating: int = field(...)` type-checks.
def field(
    *,
    default: Any = _NOTHING,
    wire: str | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
    ge: int | Decimal | None = None,
    le: int | Decimal | None = None,
    choices: frozenset[str] | set[str] | tuple[str, ...] | None = None,
    multiline: bool = False,
    item_max_length: int | None = None,
    max_items: int | None = None,
    key_pattern: str | None = None,
    sensitive: bool = False,
) -> Any:
    """Declare a schema attribute with its constraints (an ``attrs.field`` with metadata).

    Args:
        default: The value when the field is absent; without one the field is required.
        wire: The JSON name; by default the attribute name in camelCase.
        min_length: Fewest characters (strings; 1 when not given) or items (lists, maps).
        max_length: Most characters (strings) or items (lists, maps).
        pattern: A regular expression the whole (normalized) string must match.
        ge: Smallest allowed number.
        le: Largest allowed number.
        choices: The only strings allowed.
        multiline: Whether tabs and line breaks are allowed in the string.
        item_max_length: Most characters of each string inside a list or map.
        max_items: Most items in each list inside a map (e.g. multi-choice answers).
        key_pattern: A regular expression every key of a map must match.
        sensitive: Personal data: :meth:`Record.to_log` masks it.

    Returns:
        An attrs field carrying :class:`Constraints` in its metadata.
    """
    constraints = Constraints(
        wire=wire,
        min_length=min_length,
        max_length=max_length,
        pattern=re.compile(pattern) if pattern is not None else None,
        ge=ge,
        le=le,
        choices=frozenset(choices) if choices is not None else None,
        multiline=multiline,
        item_max_length=item_max_length,
        max_items=max_items,
        key_pattern=re.compile(key_pattern) if key_pattern is not None else None,
        sensitive=sensitive,
    )
    return attrs.field(default=default, metadata={METADATA_KEY: constraints})
