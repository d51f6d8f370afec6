"""Keys for dedup: claim keys, ids derived from idempotency keys, and payload fingerprints.

Everything here is pure: no AWS library, no clock, no randomness. The same inputs give the same
key, id and fingerprint on every process and every retry, which is what makes a retried request
land on the record its first attempt wrote.

Examples:
    >>> key = Key.of(pollId="p1", userId="u1")
    >>> key.as_dict()
    {'pollId': 'p1', 'userId': 'u1'}
    >>> len(derive_id("POST /feedback", "tenant-a", "0b0f3c8e-3b52-4cc4-b2c5-6b1f0a4e2f11"))
    36
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, overload

import attrs
import orjson

from feedback_core.attributes import from_attribute, to_attribute
from feedback_core.errors import InvalidIdempotencyKeyError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.attributes import Value

__all__ = [
    "IDEMPOTENCY_KEY_HEADER",
    "IdempotencyKey",
    "Key",
    "derive_id",
    "fingerprint",
    "idempotency_key_from_headers",
]

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
"""The request header named by the IETF draft ``draft-ietf-httpapi-idempotency-key-header``."""

# DynamoDB's own limits on key attribute values (UTF-8 bytes).
_MAX_PARTITION_BYTES = 2048
_MAX_SORT_BYTES = 1024

_DEFAULT_MIN_LENGTH = 8
_DEFAULT_MAX_LENGTH = 255

# Visible ASCII (%x21-7E) minus four characters that change a header's meaning on the way:
# '"' and '\' are structured-field string syntax, ',' is how proxies (and API Gateway) join a
# repeated header into one value, ';' starts structured-field parameters.
_KEY_CHARACTER = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]")
_KEY_VALUE = re.compile(_KEY_CHARACTER.pattern + "+")


def _check_key_part(name: str, value: str, limit: int) -> None:
    if not name:
        raise ValueError("a key attribute name must not be empty")
    if not value:
        # DynamoDB refuses empty strings in key attributes.
        raise ValueError(f"the key attribute {name!r} must not be empty")
    if len(value.encode("utf-8")) > limit:
        raise ValueError(f"the key attribute {name!r} is longer than {limit} UTF-8 bytes")


@attrs.frozen(kw_only=True)
class Key:
    """The primary key one claim is made on: a partition attribute and an optional sort attribute.

    Keys name their attributes, so the same value serves a ``feedback`` table keyed by
    ``feedbackId`` and a ``votes`` table keyed by ``pollId`` + ``userId``.

    Args:
        partition: ``(attribute name, value)`` of the partition (hash) key.
        sort: ``(attribute name, value)`` of the sort (range) key, if the table has one.

    Raises:
        ValueError: for an empty name or value, a value over DynamoDB's key size limits, or a
            sort attribute that repeats the partition attribute's name.

    Examples:
        >>> Key.of(feedbackId="f-1")
        Key(partition=('feedbackId', 'f-1'), sort=None)
    """

    partition: tuple[str, str]
    sort: tuple[str, str] | None = None

    def __attrs_post_init__(self) -> None:
        """Check the key against DynamoDB's rules for key attributes."""
        _check_key_part(*self.partition, _MAX_PARTITION_BYTES)
        if self.sort is not None:
            _check_key_part(*self.sort, _MAX_SORT_BYTES)
            if self.sort[0] == self.partition[0]:
                raise ValueError("the sort key must be a different attribute from the partition")

    @classmethod
    def of(cls, **parts: str) -> Key:
        """Build a key from keyword arguments: the first is the partition key, the second the sort.

        Args:
            **parts: One or two ``attribute=value`` pairs, partition first.

        Returns:
            The key.

        Raises:
            ValueError: for no parts, more than two, or an invalid part.

        Examples:
            >>> Key.of(pollId="p1", userId="u1").sort
            ('userId', 'u1')
        """
        items = list(parts.items())
        if not 1 <= len(items) <= 2:  # a DynamoDB key has one or two parts
            raise ValueError("a key has a partition attribute and at most one sort attribute")
        return cls(partition=items[0], sort=items[1] if len(items) == 2 else None)

    @property
    def names(self) -> tuple[str, ...]:
        """The key's attribute names, partition first."""
        return tuple(name for name, _ in self.parts())

    def parts(self) -> tuple[tuple[str, str], ...]:
        """Return ``(name, value)`` pairs, partition first."""
        return (self.partition,) if self.sort is None else (self.partition, self.sort)

    def as_dict(self) -> dict[str, str]:
        """Return the key as an attribute-name-to-value mapping."""
        return dict(self.parts())


def derive_id(*parts: str) -> str:
    """Derive a stable id from a scope and an idempotency (or natural) key.

    The id is a UUID (version 8, the name-based SHA-256 layout of RFC 9562 appendix B.2) over an
    unambiguous encoding of ``parts``, so ``("a", "bc")`` and ``("ab", "c")`` differ. The same
    parts always give the same id: a retried request finds the record its first attempt wrote.

    Put the scope first and the key last, e.g. the route and the caller's tenant or identity,
    then the ``Idempotency-Key`` value. The scope keeps two clients (or two routes) that pick
    the same key from landing on one record; see the dedup guide's "Key design".

    Args:
        *parts: The scope parts, then the key; at least one, none empty.

    Returns:
        The id, as the canonical 36-character UUID text.

    Raises:
        ValueError: for no parts or an empty part.

    Examples:
        >>> derive_id("POST /feedback", "k-1") == derive_id("POST /feedback", "k-1")
        True
        >>> derive_id("POST /feedback", "k-1") != derive_id("POST /surveys", "k-1")
        True
    """
    if not parts:
        raise ValueError("derive_id needs at least one part")
    if any(not part for part in parts):
        raise ValueError("derive_id parts must not be empty")
    # A JSON array of strings is an injective encoding of the tuple.
    digest = hashlib.sha256(b"feedback_core.dedup/v1\n" + orjson.dumps(list(parts))).digest()
    number = int.from_bytes(digest[:16], "big")
    number &= ~(0xF << 76)  # clear the version nibble ...
    number |= 0x8 << 76  # ... and set version 8
    number &= ~(0x3 << 62)  # clear the variant bits ...
    number |= 0x2 << 62  # ... and set the RFC 9562 variant (0b10)
    return str(uuid.UUID(int=number))


def _canonical_number(number: int | Decimal) -> str:
    if isinstance(number, int):
        return str(number)
    if number == number.to_integral_value():
        return str(int(number))
    return str(number.normalize())


def _canonical(value: Value) -> object:  # noqa: PLR0911  # one return per type
    # Tagged like DynamoDB's AttributeValue, so the string "5" and the number 5 differ, and
    # equal numbers in different spellings (5, Decimal("5.0")) agree.
    if isinstance(value, str):
        return ["S", value]
    if isinstance(value, bool):
        return ["BOOL", value]
    if isinstance(value, int | Decimal):
        return ["N", _canonical_number(value)]
    if value is None:
        return ["NULL"]
    if isinstance(value, bytes):
        return ["B", base64.b64encode(value).decode("ascii")]
    if isinstance(value, list):
        return ["L", [_canonical(member) for member in value]]
    if isinstance(value, dict):
        return ["M", [[name, _canonical(value[name])] for name in sorted(value)]]
    # What is left is a set; DynamoDB sets are homogeneous, and their order is not data.
    members = list(value)
    strings = [member for member in members if isinstance(member, str)]
    if len(strings) == len(members):
        return ["SS", sorted(strings)]
    blobs = [member for member in members if isinstance(member, bytes)]
    if len(blobs) == len(members):
        return ["BS", sorted(base64.b64encode(blob).decode("ascii") for blob in blobs)]
    numbers = sorted(Decimal(m) for m in members if isinstance(m, int | Decimal))
    return ["NS", [_canonical_number(number) for number in numbers]]


def fingerprint(payload: Mapping[str, object]) -> str:
    """Return a fingerprint of a request payload, to store beside an idempotency record.

    Fingerprint what the client sent (the decoded body, plus any path parameters that change
    the meaning), never the stored item: the item carries server-made values such as
    ``createdAt`` that differ on every attempt. Decoded values are fingerprinted, not the raw
    bytes, so a retry that re-serializes the same body (key order, whitespace, ``5`` vs
    ``5.0``) still matches.

    Args:
        payload: The request's values (str, int, Decimal, bool, None, bytes, lists, mappings,
            sets); no floats.

    Returns:
        ``"sha256:"`` followed by 64 hex digits.

    Raises:
        TypeError: for a value DynamoDB cannot hold exactly (``float``, arbitrary objects).

    Examples:
        >>> a = fingerprint({"rating": 5, "message": "ok"})
        >>> a == fingerprint({"message": "ok", "rating": Decimal("5.0")})
        True
    """
    normalized = {name: from_attribute(to_attribute(value)) for name, value in payload.items()}
    encoded = orjson.dumps(_canonical(normalized))
    return "sha256:" + hashlib.sha256(encoded).hexdigest()


@attrs.frozen
class IdempotencyKey:
    """A validated ``Idempotency-Key`` header value.

    Build one with :meth:`parse` or :func:`idempotency_key_from_headers`; both raise
    :class:`~feedback_core.errors.InvalidIdempotencyKeyError` (an ``IngestError`` with status
    400) for a value a client must fix.

    Attributes:
        value: The key, without structured-field quotes.
    """

    value: str

    @classmethod
    def parse(
        cls,
        raw: str,
        *,
        min_length: int = _DEFAULT_MIN_LENGTH,
        max_length: int = _DEFAULT_MAX_LENGTH,
    ) -> IdempotencyKey:
        r"""Validate one header value.

        The IETF draft defines the value as a structured-field string (``"..."``); most
        clients send it bare. Both are accepted. After unquoting, the key must be ``min_length``
        to ``max_length`` visible ASCII characters, without ``"``, ``\``, ``,`` or ``;``.

        Args:
            raw: The header value as received.
            min_length: The fewest characters accepted; the default (8) turns away keys like
                ``1`` that two clients would pick alike. Any UUID, ULID or nanoid passes.
            max_length: The most characters accepted (255, as Stripe allows).

        Returns:
            The key.

        Raises:
            InvalidIdempotencyKeyError: with ``reason`` one of ``empty``, ``bad-quoting``,
                ``multiple-values``, ``bad-character``, ``too-short``, ``too-long``.

        Examples:
            >>> IdempotencyKey.parse('"8e03978e-40d5-43e8-bc93-6894a57f9324"').value
            '8e03978e-40d5-43e8-bc93-6894a57f9324'
        """
        text = raw.strip(" \t")
        if text.startswith('"') or text.endswith('"'):
            if len(text) < 2 or not (
                text.startswith('"') and text.endswith('"')
            ):  # two quote marks
                raise InvalidIdempotencyKeyError(
                    "bad-quoting", "The Idempotency-Key header has an unbalanced quote."
                )
            text = text[1:-1]
        if not text:
            raise InvalidIdempotencyKeyError("empty", "The Idempotency-Key header is empty.")
        if "," in text:
            raise InvalidIdempotencyKeyError(
                "multiple-values", "Send exactly one Idempotency-Key header, with one value."
            )
        if not _KEY_VALUE.fullmatch(text):
            raise InvalidIdempotencyKeyError(
                "bad-character",
                "The Idempotency-Key header may hold only visible ASCII characters other than "
                "'\"', '\\', ',' and ';'.",
            )
        if len(text) < min_length:
            raise InvalidIdempotencyKeyError(
                "too-short",
                f"The Idempotency-Key header must be at least {min_length} characters; "
                "a UUID is a good choice.",
            )
        if len(text) > max_length:
            raise InvalidIdempotencyKeyError(
                "too-long", f"The Idempotency-Key header must be at most {max_length} characters."
            )
        return cls(text)


@overload
def idempotency_key_from_headers(
    headers: Mapping[str, str] | None,
    *,
    required: Literal[True],
    min_length: int = ...,
    max_length: int = ...,
) -> IdempotencyKey: ...


@overload
def idempotency_key_from_headers(
    headers: Mapping[str, str] | None,
    *,
    required: bool = False,
    min_length: int = ...,
    max_length: int = ...,
) -> IdempotencyKey | None: ...


def idempotency_key_from_headers(
    headers: Mapping[str, str] | None,
    *,
    required: bool = False,
    min_length: int = _DEFAULT_MIN_LENGTH,
    max_length: int = _DEFAULT_MAX_LENGTH,
) -> IdempotencyKey | None:
    """Find and validate the ``Idempotency-Key`` header, whatever its case.

    API Gateway HTTP APIs lower-case header names and REST APIs keep the client's spelling;
    both are found. Pass ``event["headers"]`` as it comes (it may be ``None``).

    Args:
        headers: The request headers.
        required: Whether a missing header is an error (400, as the IETF draft asks for an
            operation documented as needing the header).
        min_length: See :meth:`IdempotencyKey.parse`.
        max_length: See :meth:`IdempotencyKey.parse`.

    Returns:
        The key, or ``None`` when the header is absent and not required.

    Raises:
        InvalidIdempotencyKeyError: for a missing required header (``reason="missing"``), two
            spellings of the header with different values, or an invalid value.

    Examples:
        >>> idempotency_key_from_headers({"idempotency-key": "a1b2c3d4e5"}).value
        'a1b2c3d4e5'
        >>> idempotency_key_from_headers({}) is None
        True
    """
    wanted = IDEMPOTENCY_KEY_HEADER.lower()
    values = {value for name, value in (headers or {}).items() if name.lower() == wanted}
    if len(values) > 1:
        raise InvalidIdempotencyKeyError(
            "multiple-values", "Send exactly one Idempotency-Key header, with one value."
        )
    if not values:
        if required:
            raise InvalidIdempotencyKeyError(
                "missing", "This operation requires an Idempotency-Key header."
            )
        return None
    return IdempotencyKey.parse(values.pop(), min_length=min_length, max_length=max_length)
