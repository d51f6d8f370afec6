"""The values that cross the backup ports: a table's shape, scan pages, stored objects.

A :class:`TableDescription` carries what a restore needs to recreate a table (key schema,
attribute definitions, indexes, billing mode, stream setting); it is written into every
manifest, so a backup can be restored into an account where the table no longer exists.
"""

from __future__ import annotations

from typing import Literal

import attrs

from feedback_core.attributes import AttributeMap as Item

__all__ = [
    "AttributeDefinition",
    "Item",
    "KeyElement",
    "ObjectInfo",
    "ScanPage",
    "SecondaryIndex",
    "TableDescription",
]

KeyType = Literal["HASH", "RANGE"]
ScalarType = Literal["S", "N", "B"]


@attrs.frozen(kw_only=True)
class KeyElement:
    """One attribute of a key: its name and role (``HASH`` partition, ``RANGE`` sort)."""

    name: str
    key_type: KeyType


@attrs.frozen(kw_only=True)
class AttributeDefinition:
    """A key attribute's name and scalar type (``S``, ``N`` or ``B``)."""

    name: str
    attribute_type: ScalarType


@attrs.frozen(kw_only=True)
class SecondaryIndex:
    """A global or local secondary index, enough to recreate it.

    Attributes:
        name: The index name.
        key_schema: Its key.
        projection_type: ``ALL``, ``KEYS_ONLY`` or ``INCLUDE``.
        non_key_attributes: For ``INCLUDE``: the projected attributes.
    """

    name: str
    key_schema: tuple[KeyElement, ...]
    projection_type: str = "ALL"
    non_key_attributes: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class TableDescription:
    """What a backup records about its table.

    Attributes:
        name: The table name.
        arn: The table ARN.
        table_id: DynamoDB's id of the table (changes when a table is recreated).
        key_schema: The primary key.
        attribute_definitions: The types of every key attribute (table and indexes).
        global_indexes: Global secondary indexes.
        local_indexes: Local secondary indexes.
        billing_mode: ``PAY_PER_REQUEST`` or ``PROVISIONED``.
        stream_view_type: The stream's view type, or ``None`` without a stream.
        item_count: DynamoDB's estimate (updated about every six hours).
        size_bytes: DynamoDB's estimate of the table size; picks the scan's segment count.
    """

    name: str
    arn: str = ""
    table_id: str = ""
    key_schema: tuple[KeyElement, ...]
    attribute_definitions: tuple[AttributeDefinition, ...]
    global_indexes: tuple[SecondaryIndex, ...] = ()
    local_indexes: tuple[SecondaryIndex, ...] = ()
    billing_mode: str = "PAY_PER_REQUEST"
    stream_view_type: str | None = None
    item_count: int = 0
    size_bytes: int = 0

    @property
    def key_names(self) -> tuple[str, ...]:
        """The primary key's attribute names, partition key first."""
        return tuple(k.name for k in sorted(self.key_schema, key=lambda k: k.key_type))


@attrs.frozen(kw_only=True)
class ScanPage:
    """One page of a (segment of a) scan.

    Attributes:
        items: The page's items, in the low-level AttributeValue shape.
        last_key: ``LastEvaluatedKey``: where the next page starts; ``None`` on the last page.
    """

    items: list[Item]
    last_key: Item | None


@attrs.frozen(kw_only=True)
class ObjectInfo:
    """One stored object, as a listing reports it.

    Attributes:
        key: The object key.
        size: Its size in bytes.
        etag: The store's entity tag, unquoted (S3: the MD5 hex, or ``<md5>-<parts>``).
        modified: When it was last written, as seconds since the epoch.
    """

    key: str
    size: int
    etag: str = ""
    modified: float = 0.0
