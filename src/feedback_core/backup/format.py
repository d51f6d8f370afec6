"""The export format: DynamoDB's native export layout, byte for byte where it has one.

An export lives in ``<prefix>/AWSDynamoDB/<exportId>/`` exactly as ``ExportTableToPointInTime``
lays it out: gzip data files of DynamoDB-JSON lines (``{"Item": {...}}`` each, binary values in
base64) under ``data/``, ``manifest-files.json`` (one JSON object per line: ``itemCount``,
``md5Checksum`` (base64 MD5 of the file), ``etag``, ``dataFileS3Key``), ``manifest-summary.json``
and the ``.checksum`` files (hex MD5 of each manifest). ``ImportTable`` reads the data files.

What native exports lack rides along in fields they do not use: ``sha256Checksum`` and
``sizeBytes`` per file, and a ``feedbackCore`` object in the summary (the table's key schema,
indexes and settings, item counts per group, the data's own time range, the scan segments).
Readers of native exports ignore them; our verifier uses them when present.

This module is pure: no AWS import, no I/O beyond the :class:`ObjectWriter` it is handed. It
runs past 500 lines on purpose: the line codec, the part encoder and the two manifest files are
one format, and reading them side by side is how one checks it against DynamoDB's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

import attrs
import orjson

from feedback_core.backup.model import (
    AttributeDefinition,
    KeyElement,
    SecondaryIndex,
    TableDescription,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from feedback_core.backup.model import Item
    from feedback_core.backup.ports import ObjectWriter

__all__ = [
    "MANIFEST_VERSION",
    "ExportSummary",
    "PartEncoder",
    "PartEntry",
    "decode_line",
    "encode_line",
    "export_folder",
    "gunzip",
    "iter_lines",
    "manifest_files_bytes",
    "parse_manifest_files",
    "parse_summary",
    "summary_bytes",
    "table_from_json",
    "table_to_json",
]

MANIFEST_VERSION = "2020-06-30"
"""The ``version`` DynamoDB writes in ``manifest-summary.json``."""

SUMMARY_NAME = "manifest-summary.json"
FILES_NAME = "manifest-files.json"
STARTED_NAME = "_started"
DATA_FOLDER = "data/"
_CHUNK = 1024 * 1024  # flush compressed output to the writer every 1 MiB
_TYPES = frozenset({"S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"})


def export_folder(prefix: str, export_id: str) -> str:
    """Return the folder (ending in ``/``) of an export, as DynamoDB names it.

    Examples:
        >>> export_folder("backups/votes", "01700000000000-1a2b3c4d")
        'backups/votes/AWSDynamoDB/01700000000000-1a2b3c4d/'
        >>> export_folder("", "x")
        'AWSDynamoDB/x/'
    """
    head = prefix.strip("/")
    return f"{head + '/' if head else ''}AWSDynamoDB/{export_id}/"


def _binary(value: object) -> str:
    # orjson calls this for what it cannot encode itself: the bytes of B and BS values.
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot encode a {type(value).__name__} in DynamoDB JSON")


def encode_line(item: Item) -> bytes:
    r"""Return one data-file line: ``{"Item": {...}}`` and a newline, binaries in base64.

    Examples:
        >>> encode_line({"id": {"S": "a"}, "n": {"N": "12345678901234567890123456789012345678"}})
        b'{"Item":{"id":{"S":"a"},"n":{"N":"12345678901234567890123456789012345678"}}}\n'
    """
    return b'{"Item":' + orjson.dumps(item, default=_binary) + b"}\n"


def _attribute(value: object, path: str) -> Any:  # noqa: PLR0911  # one return per type
    """Check one AttributeValue from JSON and turn base64 text into bytes."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError(f"{path}: not an AttributeValue")
    ((kind, inner),) = value.items()
    if kind not in _TYPES:
        raise ValueError(f"{path}: unknown type {kind!r}")
    if kind == "S" and isinstance(inner, str):
        return value
    if kind == "N" and isinstance(inner, str):
        _check_number(inner, path)
        return value
    if kind == "B" and isinstance(inner, str):
        return {"B": _base64(inner, path)}
    if kind in ("BOOL", "NULL") and isinstance(inner, bool):
        return value
    if kind == "SS" and isinstance(inner, list) and all(isinstance(s, str) for s in inner):
        return value
    if kind == "NS" and isinstance(inner, list) and all(isinstance(s, str) for s in inner):
        for number in inner:
            _check_number(number, path)
        return value
    if kind == "BS" and isinstance(inner, list) and all(isinstance(s, str) for s in inner):
        return {"BS": [_base64(s, path) for s in inner]}
    if kind == "M" and isinstance(inner, dict):
        return {"M": {k: _attribute(v, f"{path}.{k}") for k, v in inner.items()}}
    if kind == "L" and isinstance(inner, list):
        return {"L": [_attribute(v, f"{path}[{i}]") for i, v in enumerate(inner)]}
    raise ValueError(f"{path}: a {kind} value of the wrong shape")


def _base64(text: str, path: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError(f"{path}: binary value is not base64") from None


def _check_number(text: str, path: str) -> None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{path}: {text!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{path}: {text!r} is not a finite number")


def decode_line(line: bytes | str) -> Item:
    r"""Parse and check one data-file line; return the item, binaries as ``bytes``.

    Raises:
        ValueError: the line is not JSON, has no ``Item`` object, or holds a value that is not
            a well-formed AttributeValue (the message says where).

    Examples:
        >>> decode_line(b'{"Item":{"id":{"S":"a"},"b":{"B":"AAE="}}}')
        {'id': {'S': 'a'}, 'b': {'B': b'\x00\x01'}}
    """
    try:
        document = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("Item"), dict):
        raise ValueError('not an {"Item": {...}} line')
    if not document["Item"]:
        raise ValueError("an item with no attributes")
    return {k: _attribute(v, k) for k, v in document["Item"].items()}


def iter_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Split gunzipped bytes into lines (without their newline), whatever the chunking."""
    rest = b""
    for chunk in chunks:
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        yield from (line for line in lines if line)
    if rest:
        yield rest


def gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Decompress gzip members one after another; EOFError if the last one is cut short."""
    inflater = zlib.decompressobj(31)
    fed = False
    for chunk in chunks:
        data = chunk
        while data:
            fed = True
            yield inflater.decompress(data)
            if inflater.eof:
                data = inflater.unused_data
                inflater = zlib.decompressobj(31)
                fed = bool(data)
            else:
                data = b""
    yield inflater.flush()
    if fed and not inflater.eof:
        raise EOFError("the gzip stream ends before its end marker")


def _comparable(attribute: Mapping[str, object]) -> tuple[int, Decimal | str] | None:
    if "N" in attribute:
        return (0, Decimal(cast("str", attribute["N"])))
    if "S" in attribute:
        return (1, cast("str", attribute["S"]))
    return None


@attrs.frozen(kw_only=True)
class PartEntry:
    """One data file as the manifest lists it.

    Attributes:
        key: ``dataFileS3Key``: the object key, from the bucket root.
        item_count: ``itemCount``: the items in the file.
        md5: ``md5Checksum``: base64 MD5 of the file's bytes.
        etag: ``etag``: the store's entity tag.
        sha256: Hex SHA-256 of the file's bytes (``None`` in native exports).
        size: The file's size in bytes (``None`` in native exports).
    """

    key: str
    item_count: int
    md5: str
    etag: str
    sha256: str | None = None
    size: int | None = None

    def to_json(self) -> dict[str, object]:
        """Return the ``manifest-files.json`` line's object."""
        line: dict[str, object] = {
            "itemCount": self.item_count,
            "md5Checksum": self.md5,
            "etag": self.etag,
            "dataFileS3Key": self.key,
        }
        if self.sha256 is not None:
            line["sha256Checksum"] = self.sha256
        if self.size is not None:
            line["sizeBytes"] = self.size
        return line

    @classmethod
    def from_json(cls, document: Mapping[str, object]) -> PartEntry:
        """Read one ``manifest-files.json`` object (native or ours)."""
        line = cast("Mapping[str, Any]", document)  # JSON: checked field by field below
        return cls(
            key=str(line["dataFileS3Key"]),
            item_count=int(line["itemCount"]),
            md5=str(line["md5Checksum"]),
            etag=str(line.get("etag", "")),
            sha256=line.get("sha256Checksum"),
            size=None if line.get("sizeBytes") is None else int(line["sizeBytes"]),
        )


@attrs.frozen(kw_only=True)
class PartStats:
    """What encoding one part found: its manifest entry, and the figures the summary adds up."""

    entry: PartEntry
    uncompressed: int
    groups: dict[str, int]
    earliest: tuple[int, Decimal | str] | None
    latest: tuple[int, Decimal | str] | None


class PartEncoder:
    """Stream items into one gzip data file, hashing and counting as it goes.

    Output is flushed to the writer in chunks of 1 MiB, so a part of any size costs about that
    much memory. The gzip header carries no time and no name, so the same items always give
    the same bytes (a part rewritten after a crash is identical when its items are).

    Args:
        writer: Where the compressed bytes go (committed by :meth:`finish`).
        key: The part's object key.
        group_attribute: Count items per value of this attribute (e.g. ``surveyId``).
        time_attribute: Record the earliest and latest value of this attribute.
        level: zlib compression level, 1 (fast) to 9 (small).
    """

    def __init__(
        self,
        writer: ObjectWriter,
        *,
        key: str,
        group_attribute: str | None = None,
        time_attribute: str | None = None,
        level: int = 6,
    ) -> None:
        """Start an empty part."""
        self._writer = writer
        self._key = key
        self._group = group_attribute
        self._time = time_attribute
        self._zip = zlib.compressobj(level, zlib.DEFLATED, 31)
        self._md5 = hashlib.md5()  # noqa: S324  # the native manifest's checksum, not security
        self._sha = hashlib.sha256()
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._size = 0
        self.items = 0
        self.uncompressed = 0
        self._groups: dict[str, int] = {}
        self._earliest: tuple[int, Decimal | str] | None = None
        self._latest: tuple[int, Decimal | str] | None = None

    def add(self, items: Sequence[Item]) -> None:
        """Append items (one scan page, say)."""
        lines = [encode_line(item) for item in items]
        if self._group is not None or self._time is not None:
            for item in items:
                self._note(item)
        block = b"".join(lines)
        self.items += len(lines)
        self.uncompressed += len(block)
        self._emit(self._zip.compress(block))

    def _note(self, item: Item) -> None:
        if self._group is not None:
            value = _comparable(cast("Mapping[str, object]", item.get(self._group, {})))
            name = "" if value is None else str(value[1])
            self._groups[name] = self._groups.get(name, 0) + 1
        if self._time is not None:
            when = _comparable(cast("Mapping[str, object]", item.get(self._time, {})))
            if when is not None:
                if self._earliest is None or when < self._earliest:
                    self._earliest = when
                if self._latest is None or when > self._latest:
                    self._latest = when

    def _emit(self, data: bytes) -> None:
        if not data:
            return
        self._md5.update(data)
        self._sha.update(data)
        self._size += len(data)
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._writer.write(b"".join(self._pending))
            self._pending.clear()
            self._pending_bytes = 0

    def finish(self) -> PartStats:
        """Close the gzip stream, commit the object, and return the part's figures."""
        self._emit(self._zip.flush())
        self._flush()
        etag = self._writer.commit()
        entry = PartEntry(
            key=self._key,
            item_count=self.items,
            md5=base64.b64encode(self._md5.digest()).decode("ascii"),
            etag=etag,
            sha256=self._sha.hexdigest(),
            size=self._size,
        )
        return PartStats(
            entry=entry,
            uncompressed=self.uncompressed,
            groups=dict(self._groups),
            earliest=self._earliest,
            latest=self._latest,
        )


@attrs.frozen(kw_only=True)
class ExportSummary:
    """``manifest-summary.json``: DynamoDB's fields, then ours (``None`` in native exports).

    Attributes:
        export_arn: ``exportArn`` (ours: a ``feedback-core:`` ARN-like name of the export).
        start_time: ``startTime``, ISO 8601.
        end_time: ``endTime``, ISO 8601.
        table_arn: ``tableArn``.
        table_id: ``tableId``.
        export_time: ``exportTime``: for a scan, when it started (it is not a point in time).
        bucket: ``s3Bucket``.
        prefix: ``s3Prefix``.
        manifest_files_key: ``manifestFilesS3Key``.
        billed_size_bytes: ``billedSizeBytes`` (ours: uncompressed bytes read).
        item_count: ``itemCount``.
        output_format: ``outputFormat``: ``DYNAMODB_JSON``.
        table: The table's shape, for a restore that recreates it.
        group_attribute: The attribute items were counted by.
        group_counts: Items per value of ``group_attribute``.
        time_attribute: The attribute whose range is recorded.
        earliest: The smallest ``time_attribute`` value seen, as text.
        latest: The largest one.
        total_segments: The parallel scan's segment count.
        consistency: ``scan`` (ours: not a point in time) or ``point-in-time`` (native).
    """

    export_arn: str
    start_time: str
    end_time: str
    table_arn: str
    table_id: str = ""
    export_time: str
    bucket: str
    prefix: str
    manifest_files_key: str
    billed_size_bytes: int = 0
    item_count: int
    output_format: str = "DYNAMODB_JSON"
    table: TableDescription | None = None
    group_attribute: str | None = None
    group_counts: tuple[tuple[str, int], ...] = ()
    time_attribute: str | None = None
    earliest: str | None = None
    latest: str | None = None
    total_segments: int | None = None
    consistency: str = "point-in-time"

    @property
    def native(self) -> bool:
        """Whether DynamoDB wrote this export (it has none of our fields)."""
        return self.table is None


def table_to_json(table: TableDescription) -> dict[str, object]:
    """Return a table description in DynamoDB's own (CreateTable) spelling."""

    def keys(schema: tuple[KeyElement, ...]) -> list[dict[str, str]]:
        return [{"AttributeName": k.name, "KeyType": k.key_type} for k in schema]

    def index(ix: SecondaryIndex) -> dict[str, object]:
        projection: dict[str, object] = {"ProjectionType": ix.projection_type}
        if ix.non_key_attributes:
            projection["NonKeyAttributes"] = list(ix.non_key_attributes)
        return {"IndexName": ix.name, "KeySchema": keys(ix.key_schema), "Projection": projection}

    return {
        "TableName": table.name,
        "TableArn": table.arn,
        "TableId": table.table_id,
        "KeySchema": keys(table.key_schema),
        "AttributeDefinitions": [
            {"AttributeName": a.name, "AttributeType": a.attribute_type}
            for a in table.attribute_definitions
        ],
        "GlobalSecondaryIndexes": [index(ix) for ix in table.global_indexes],
        "LocalSecondaryIndexes": [index(ix) for ix in table.local_indexes],
        "BillingMode": table.billing_mode,
        "StreamViewType": table.stream_view_type,
        "ItemCount": table.item_count,
        "TableSizeBytes": table.size_bytes,
    }


def table_from_json(document: Mapping[str, object]) -> TableDescription:
    """Read a table description written by :func:`table_to_json` (or DescribeTable's shape)."""
    data = cast("Mapping[str, Any]", document)  # JSON or boto3's answer: read field by field

    def keys(schema: Iterable[Mapping[str, str]]) -> tuple[KeyElement, ...]:
        return tuple(
            KeyElement(name=k["AttributeName"], key_type=cast("Any", k["KeyType"])) for k in schema
        )

    def index(ix: Mapping[str, Any]) -> SecondaryIndex:
        projection = ix.get("Projection", {})
        return SecondaryIndex(
            name=ix["IndexName"],
            key_schema=keys(ix["KeySchema"]),
            projection_type=projection.get("ProjectionType", "ALL"),
            non_key_attributes=tuple(projection.get("NonKeyAttributes", ())),
        )

    billing = data.get("BillingMode") or data.get("BillingModeSummary", {}).get("BillingMode")
    stream = data.get("StreamViewType") or data.get("StreamSpecification", {}).get("StreamViewType")
    return TableDescription(
        name=data["TableName"],
        arn=data.get("TableArn", ""),
        table_id=data.get("TableId", ""),
        key_schema=keys(data["KeySchema"]),
        attribute_definitions=tuple(
            AttributeDefinition(name=a["AttributeName"], attribute_type=a["AttributeType"])
            for a in data["AttributeDefinitions"]
        ),
        global_indexes=tuple(index(ix) for ix in data.get("GlobalSecondaryIndexes") or ()),
        local_indexes=tuple(index(ix) for ix in data.get("LocalSecondaryIndexes") or ()),
        billing_mode=billing or "PROVISIONED",
        stream_view_type=stream,
        item_count=int(data.get("ItemCount", 0)),
        size_bytes=int(data.get("TableSizeBytes", 0)),
    )


def summary_bytes(summary: ExportSummary) -> bytes:
    """Serialize ``manifest-summary.json``: DynamoDB's fields first, ours under ``feedbackCore``."""
    document: dict[str, object] = {
        "version": MANIFEST_VERSION,
        "exportArn": summary.export_arn,
        "startTime": summary.start_time,
        "endTime": summary.end_time,
        "tableArn": summary.table_arn,
        "tableId": summary.table_id,
        "exportTime": summary.export_time,
        "s3Bucket": summary.bucket,
        "s3Prefix": summary.prefix,
        "s3SseAlgorithm": "AES256",
        "s3SseKmsKeyId": None,
        "manifestFilesS3Key": summary.manifest_files_key,
        "billedSizeBytes": summary.billed_size_bytes,
        "itemCount": summary.item_count,
        "outputFormat": summary.output_format,
        "exportType": "FULL_EXPORT",
    }
    if summary.table is not None:
        document["feedbackCore"] = {
            "table": table_to_json(summary.table),
            "consistency": summary.consistency,
            "totalSegments": summary.total_segments,
            "groupAttribute": summary.group_attribute,
            "groupCounts": dict(summary.group_counts),
            "timeAttribute": summary.time_attribute,
            "timeRange": {"earliest": summary.earliest, "latest": summary.latest},
        }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)


def parse_summary(data: bytes) -> ExportSummary:
    """Read ``manifest-summary.json``, native or ours.

    Raises:
        ValueError: not a manifest summary.
    """
    try:
        document = orjson.loads(data)
        ours = document.get("feedbackCore") or {}
        time_range = ours.get("timeRange") or {}
        return ExportSummary(
            export_arn=str(document.get("exportArn", "")),
            start_time=str(document.get("startTime", "")),
            end_time=str(document.get("endTime", "")),
            table_arn=str(document.get("tableArn", "")),
            table_id=str(document.get("tableId", "")),
            export_time=str(document.get("exportTime", "")),
            bucket=str(document.get("s3Bucket", "")),
            prefix=str(document.get("s3Prefix") or ""),
            manifest_files_key=str(document["manifestFilesS3Key"]),
            billed_size_bytes=int(document.get("billedSizeBytes") or 0),
            item_count=int(document["itemCount"]),
            output_format=str(document.get("outputFormat", "DYNAMODB_JSON")),
            table=table_from_json(ours["table"]) if "table" in ours else None,
            group_attribute=ours.get("groupAttribute"),
            group_counts=tuple(sorted((ours.get("groupCounts") or {}).items())),
            time_attribute=ours.get("timeAttribute"),
            earliest=time_range.get("earliest"),
            latest=time_range.get("latest"),
            total_segments=ours.get("totalSegments"),
            consistency=str(ours.get("consistency", "point-in-time")),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"not a manifest summary: {exc!r}") from None


def manifest_files_bytes(entries: Iterable[PartEntry]) -> bytes:
    """Serialize ``manifest-files.json``: one JSON object per line, as DynamoDB writes it."""
    return b"".join(orjson.dumps(entry.to_json()) + b"\n" for entry in entries)


def parse_manifest_files(data: bytes) -> list[PartEntry]:
    """Read ``manifest-files.json`` (JSON lines).

    Raises:
        ValueError: a line that is not a file entry (the message gives its number).
    """
    entries = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(PartEntry.from_json(orjson.loads(line)))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"manifest-files.json line {number}: {exc!r}") from None
    return entries


def md5_hex(data: bytes) -> str:
    """Return the hex MD5 that a ``.checksum`` file holds."""
    return hashlib.md5(data).hexdigest()  # noqa: S324  # DynamoDB's checksum format, not security


def comparable_text(value: tuple[int, Decimal | str] | None) -> str | None:
    """Return a recorded time value as text (``None`` stays ``None``)."""
    return None if value is None else str(value[1])
