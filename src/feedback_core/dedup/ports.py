"""The dedup port: claim a key with an item exactly once, and the values that cross it.

A :class:`DedupStore` answers a claim with :class:`Accepted` (the item now holds the key) or
:class:`Duplicate` (another item already held it, and here it is). Adapters:
:class:`~feedback_core.dedup.dynamodb.DynamoDBDedupStore` (one conditional ``PutItem``) and
:class:`~feedback_core.dedup.memory.InMemoryDedupStore` (same semantics, for tests).
"""

from __future__ import annotations

import enum
import types
from collections.abc import Iterator, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, TypeAlias

import attrs

from feedback_core.attributes import Value, from_item, to_item

if TYPE_CHECKING:
    from feedback_core.dedup.keys import Key

__all__ = [
    "Accepted",
    "ClaimOutcome",
    "DedupStore",
    "Duplicate",
    "Expiry",
    "Item",
    "ReviseOutcome",
    "Revised",
    "Stale",
    "Status",
    "Submission",
    "SubmissionPolicy",
]


def _frozen_values(values: Mapping[str, object]) -> Mapping[str, Value]:
    # A round trip through the AttributeValue shape refuses floats at once, and makes an item
    # equal to what DynamoDB hands back (Decimal("3") -> 3, tuple -> list, set -> frozenset).
    return types.MappingProxyType(from_item(to_item(values)))


# eq=False: equality comes from Mapping, so an item equals another item, or a dict, with the
# same attributes. Mapping also makes items unhashable, as their contents are.
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Item(Mapping[str, Value]):
    """An item's attributes as Python values, read-only; what claims store and return.

    This is the Python-valued side; :data:`feedback_core.attributes.AttributeMap` is the low-level
    AttributeValue shape the adapters send. Numbers are ``int`` when integral and ``Decimal``
    otherwise, as DynamoDB returns them, so an item built here compares equal to the same item
    read back. ``float`` is refused. An item is a ``Mapping``: ``item["choice"]``,
    ``dict(item)`` and ``{**item}`` all work.

    Args:
        attributes: Attribute names to values (str, int, Decimal, bool, None, bytes, lists,
            mappings, sets).

    Raises:
        TypeError: for a value DynamoDB cannot hold exactly, such as ``float``.
        ValueError: for NaN or infinite numbers and empty sets.

    Examples:
        >>> vote = Item.of(pollId="p1", userId="u1", choice="yes")
        >>> vote["choice"], len(vote)
        ('yes', 3)
        >>> vote.evolve(choice="no") == {"pollId": "p1", "userId": "u1", "choice": "no"}
        True
    """

    attributes: Mapping[str, Value] = attrs.field(converter=_frozen_values)

    @classmethod
    def of(cls, attributes: Mapping[str, object] | None = None, /, **more: object) -> Item:
        """Build an item from a mapping and/or keyword arguments (keywords win)."""
        return cls(attributes={**(attributes or {}), **more})

    def __getitem__(self, name: str) -> Value:
        """Return the value of attribute ``name``."""
        return self.attributes[name]

    def __iter__(self) -> Iterator[str]:
        """Iterate over the attribute names."""
        return iter(self.attributes)

    def __len__(self) -> int:
        """Return the number of attributes."""
        return len(self.attributes)

    def __repr__(self) -> str:
        """Show the attributes as a dict."""
        return f"Item({dict(self.attributes)!r})"

    def text(self, name: str) -> str:
        """Return attribute ``name``, which must be a string.

        Raises:
            KeyError: if the attribute is absent.
            TypeError: if it is not a string.
        """
        value = self.attributes[name]
        if not isinstance(value, str):
            raise TypeError(f"attribute {name!r} is a {type(value).__name__}, not a string")
        return value

    def number(self, name: str) -> int | Decimal:
        """Return attribute ``name``, which must be a number (``int`` when integral).

        Raises:
            KeyError: if the attribute is absent.
            TypeError: if it is not a number.
        """
        value = self.attributes[name]
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TypeError(f"attribute {name!r} is a {type(value).__name__}, not a number")
        return value

    def evolve(self, attributes: Mapping[str, object] | None = None, /, **more: object) -> Item:
        """Return a copy with some attributes set (keyword arguments win over ``attributes``)."""
        return Item(attributes={**self.attributes, **(attributes or {}), **more})

    def without(self, *names: str) -> Item:
        """Return a copy without the named attributes."""
        return Item(attributes={k: v for k, v in self.attributes.items() if k not in names})

    def to_dict(self) -> dict[str, Value]:
        """Return a new, mutable ``dict`` of the attributes (e.g. to render as JSON)."""
        return dict(self.attributes)


@attrs.frozen(kw_only=True)
class Expiry:
    """Expire idempotency records: stamp each claimed item, and treat expired items as absent.

    The attribute holds epoch seconds, the format DynamoDB's Time to Live reads; enable TTL on
    that attribute so DynamoDB deletes expired items. TTL deletes lazily (typically within a
    few days), so stores also compare the stamp with their clock: a claim overwrites an expired
    item, and a read does not return one.

    Only give an expiry to a table that holds nothing but idempotency records. When the record
    *is* the data (a feedback item whose id derives from the key), it must not expire; see the
    dedup guide's "Key design".

    Args:
        attribute: The attribute that holds the expiry time.
        after: How long a record lives after its claim.

    Examples:
        >>> Expiry(attribute="expiresAt", after=timedelta(hours=24)).seconds
        86400
    """

    attribute: str = "expiresAt"
    after: timedelta = timedelta(hours=24)

    def __attrs_post_init__(self) -> None:
        """Refuse an expiry that would expire records at once."""
        if self.after.total_seconds() < 1:
            raise ValueError("an expiry must be at least one second")

    @property
    def seconds(self) -> int:
        """The lifetime in whole seconds."""
        return int(self.after.total_seconds())

    def stamp(self, now: int) -> int:
        """Return the expiry time, in epoch seconds, of a record claimed at ``now``."""
        return now + self.seconds

    def expired(self, item: Mapping[str, Value], now: int) -> bool:
        """Tell whether ``item`` has expired at ``now``: its stamp is a number below ``now``.

        An item without the attribute (or with a non-number in it) never expires, exactly as
        DynamoDB's condition ``#expiry < :now`` is false for a missing or non-numeric attribute.
        """
        stamp = item.get(self.attribute)
        if isinstance(stamp, bool) or not isinstance(stamp, int | Decimal):
            return False
        return stamp < now


@attrs.frozen(kw_only=True)
class Accepted:
    """The claim succeeded: ``item`` (with the key attributes filled in) now holds ``key``."""

    key: Key
    item: Item


@attrs.frozen(kw_only=True)
class Duplicate:
    """The key was already held; ``existing`` is the item that holds it, nothing was written.

    A duplicate may be your own earlier write: when a response is lost and the request is sent
    again (botocore retries timeouts and 5xx answers), the first attempt's item answers the
    second. ``identical`` then says so; policies count such a duplicate as their own write.

    Attributes:
        key: The key claimed.
        existing: The item that holds the key.
        identical: Whether ``existing`` equals, attribute for attribute, the item this claim
            sent (key attributes and expiry stamp included).
    """

    key: Key
    existing: Item
    identical: bool = False


ClaimOutcome: TypeAlias = Accepted | Duplicate
"""What :meth:`DedupStore.claim` returns; match on the two classes."""


@attrs.frozen(kw_only=True)
class Revised:
    """The conditional update applied; ``item`` is the whole item after it."""

    key: Key
    item: Item


@attrs.frozen(kw_only=True)
class Stale:
    """The item was not at the expected revision; ``current`` is how it is now (``None``: gone).

    Nothing was written.
    """

    key: Key
    current: Item | None


ReviseOutcome: TypeAlias = Revised | Stale
"""What :meth:`DedupStore.revise` returns; match on the two classes."""


class DedupStore(Protocol):
    """Claims keys with items exactly once, and revises a claimed item under a revision check.

    Adapters: ``DynamoDBDedupStore`` and ``InMemoryDedupStore``. Both are safe to share
    between threads.
    """

    def claim(self, key: Key, item: Item) -> ClaimOutcome:
        """Store ``item`` under ``key`` unless an item already holds the key.

        Among any number of concurrent claims on one key, exactly one is accepted; every other
        gets a :class:`Duplicate` carrying the accepted item. The key attributes are written
        into the item; an item attribute that contradicts the key is an error.

        Args:
            key: The key to claim.
            item: The item to store; it may omit the key attributes.

        Returns:
            :class:`Accepted` with the stored item, or :class:`Duplicate` with the holder.

        Raises:
            ValueError: if ``item`` contradicts ``key``.
            ServiceError: if the store failed (throttling past the retry budget:
                ``ThrottledError``).
        """
        ...

    def get(self, key: Key) -> Item | None:
        """Return the item that holds ``key``, or ``None`` (also for an expired record).

        Raises:
            ServiceError: if the store failed.
        """
        ...

    def revise(
        self,
        key: Key,
        changes: Item,
        *,
        revision_attribute: str,
        expected_revision: int | None,
    ) -> ReviseOutcome:
        """Set ``changes`` on the item at ``key`` if it is at ``expected_revision``.

        Optimistic concurrency: the update applies only if the item exists and its revision
        attribute equals ``expected_revision`` (``None``: the attribute is absent, which counts
        as revision 1, the original claim). It then sets the revision to the next number.

        Args:
            key: The key of the item to change.
            changes: Attributes to set; they must not include key attributes or the revision.
            revision_attribute: The attribute that numbers revisions, e.g. ``revision``.
            expected_revision: The revision the caller read, or ``None`` if it had none.

        Returns:
            :class:`Revised` with the item after the update, or :class:`Stale` with the item as
            it is (``None`` if there is none), when the revision did not match.

        Raises:
            ValueError: if ``changes`` is empty or touches a key attribute or the revision.
            ServiceError: if the store failed.
        """
        ...


class Status(enum.Enum):
    """How a submission ended."""

    CREATED = "created"
    """A new item holds the key."""
    CHANGED = "changed"
    """The held item's field changed (replace policy); ``previous`` is the item before."""
    UNCHANGED = "unchanged"
    """The held item already had the submitted value (replace policy); nothing was written."""


@attrs.frozen(kw_only=True)
class Submission:
    """The result of submitting an item under a policy.

    Attributes:
        status: How it ended; for a replay, how the first request ended.
        key: The key submitted under.
        item: The item that holds the key now (the stored one, for a replay).
        previous: For :attr:`Status.CHANGED`, the item before the change; else ``None``.
        replayed: Whether this repeats an earlier request with the same fingerprint, which
            wrote ``item``; nothing was written now.
    """

    status: Status
    key: Key
    item: Item
    previous: Item | None = None
    replayed: bool = False

    @property
    def created(self) -> bool:
        """Whether this submission (or, for a replay, the first one) created the item."""
        return self.status is Status.CREATED


class SubmissionPolicy(Protocol):
    """Submits an item under a key and decides what a held key means."""

    def submit(self, key: Key, item: Item) -> Submission:
        """Submit ``item`` under ``key``.

        Raises:
            DedupError: the policy refuses the submission (``DuplicateError``,
                ``IdempotencyConflictError``).
            ServiceError: the store failed.
        """
        ...
