"""The export format: DynamoDB JSON lines, gzip parts and the native manifest's field names."""

from __future__ import annotations

import base64
import gzip
import hashlib

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_core.backup.format import (
    ExportSummary,
    PartEncoder,
    PartEntry,
    decode_line,
    encode_line,
    gunzip,
    manifest_files_bytes,
    parse_manifest_files,
    parse_summary,
    summary_bytes,
)
from feedback_core.backup.memory import InMemoryObjectStore
from tests.unit.backup.tables import SURVEYS, every_type_item

numbers = st.decimals(allow_nan=False, allow_infinity=False, places=None).map(
    lambda d: {"N": str(d)}
)
scalars = st.one_of(
    st.text().map(lambda s: {"S": s}),
    numbers,
    st.binary().map(lambda b: {"B": b}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
    st.lists(st.text(), min_size=1, unique=True).map(lambda s: {"SS": s}),
    st.lists(st.binary(), min_size=1, unique=True).map(lambda s: {"BS": s}),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda v: {"L": v}),
        st.dictionaries(st.text(max_size=5), inner, max_size=3).map(lambda m: {"M": m}),
    ),
    max_leaves=8,
)
items = st.dictionaries(st.text(min_size=1, max_size=8), values, min_size=1, max_size=5)


def _md5(data: bytes) -> hashlib._Hash:
    return hashlib.md5(data)  # noqa: S324  # DynamoDB's manifest checksum, not security


@settings(max_examples=100, deadline=None)
@given(items)
def test_any_item_survives_a_line_round_trip(item: dict[str, object]) -> None:
    """Every attribute type, nested any way, decodes to exactly the item encoded."""
    assert item == decode_line(encode_line(item))  # type: ignore[arg-type]


def test_a_line_is_dynamodb_json_with_binary_in_base64() -> None:
    """A line is {"Item": ...} as DynamoDB's export writes it: numbers as text, bytes base64."""
    line = encode_line({"id": {"S": "x"}, "n": {"N": "1" * 38}, "b": {"B": b"\x00\xff"}})
    assert {"Item": {"id": {"S": "x"}, "n": {"N": "1" * 38}, "b": {"B": "AP8="}}} == orjson.loads(
        line
    )
    assert line.endswith(b"}\n")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"not json", "not JSON"),
        (b'{"id": {"S": "x"}}', "Item"),
        (b'{"Item": {}}', "no attributes"),
        (b'{"Item": {"a": {"Q": "x"}}}', "unknown type"),
        (b'{"Item": {"a": {"N": "twelve"}}}', "not a number"),
        (b'{"Item": {"a": {"N": "NaN"}}}', "finite"),
        (b'{"Item": {"a": {"S": 1}}}', "wrong shape"),
        (b'{"Item": {"a": {"B": "***"}}}', "base64"),
        (b'{"Item": {"a": {"M": {"b": {"L": [{"S": "x", "N": "1"}]}}}}}', "a.b[0]"),
    ],
)
def test_a_malformed_line_is_refused_saying_where(line: bytes, message: str) -> None:
    """A line that is not a well-formed item raises ValueError naming the problem."""
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        decode_line(line)


def test_a_part_is_gzip_lines_with_the_manifest_checksums() -> None:
    """A part's entry has base64 MD5, hex SHA-256, size and count of the bytes stored."""
    store = InMemoryObjectStore()
    encoder = PartEncoder(store.open("p.json.gz"), key="p.json.gz")
    encoder.add([every_type_item(n) for n in range(40)])
    stats = encoder.finish()
    stored = store.objects["p.json.gz"][0]
    assert 40 == stats.entry.item_count
    assert base64.b64encode(_md5(stored).digest()).decode() == stats.entry.md5
    assert hashlib.sha256(stored).hexdigest() == stats.entry.sha256
    assert len(stored) == stats.entry.size
    assert [every_type_item(n) for n in range(40)] == [
        decode_line(line) for line in gzip.decompress(stored).splitlines()
    ]


def test_the_same_items_give_the_same_part_bytes() -> None:
    """Parts carry no time or name in their gzip header, so a rewritten part is identical."""
    store = InMemoryObjectStore()
    for key in ("a", "b"):
        encoder = PartEncoder(store.open(key), key=key)
        encoder.add([every_type_item(n) for n in range(10)])
        encoder.finish()
    assert store.objects["a"][0] == store.objects["b"][0]


def test_gunzip_reads_concatenated_members_and_reports_a_cut() -> None:
    """Several gzip members read as one stream; a stream cut short raises EOFError."""
    data = gzip.compress(b"one\n") + gzip.compress(b"two\n")
    assert b"one\ntwo\n" == b"".join(gunzip([data[:7], data[7:]]))
    with pytest.raises(EOFError):
        b"".join(gunzip([data[:-5]]))


def test_manifest_files_use_the_native_field_names() -> None:
    """manifest-files.json lines carry itemCount, md5Checksum, etag, dataFileS3Key (+ ours)."""
    entry = PartEntry(
        key="x/data/p.json.gz", item_count=3, md5="bWQ1", etag="e-1", sha256="ab", size=9
    )
    (line,) = manifest_files_bytes([entry]).splitlines()
    assert {
        "itemCount": 3,
        "md5Checksum": "bWQ1",
        "etag": "e-1",
        "dataFileS3Key": "x/data/p.json.gz",
        "sha256Checksum": "ab",
        "sizeBytes": 9,
    } == orjson.loads(line)
    assert [entry] == parse_manifest_files(manifest_files_bytes([entry]))


def test_a_native_manifest_files_line_reads_without_our_fields() -> None:
    """A line as DynamoDB writes it (no SHA-256, no size) reads with those as None."""
    line = (
        b'{"itemCount":8,"md5Checksum":"sQMSpEILNgoQmarvDFonGQ==",'
        b'"etag":"af83d6f217c19b8b0fff8023d8ca4716-1",'
        b'"dataFileS3Key":"AWSDynamoDB/01693685827463-2d8752fd/data/asdl123dasas.json.gz"}\n'
    )
    (entry,) = parse_manifest_files(line)
    assert (8, None, None) == (entry.item_count, entry.sha256, entry.size)


def test_the_summary_round_trips_with_the_table_shape() -> None:
    """manifest-summary.json keeps DynamoDB's fields and our table, groups and time range."""
    summary = ExportSummary(
        export_arn="arn/x",
        start_time="2026-11-01T00:00:00.000Z",
        end_time="2026-11-01T00:01:00.000Z",
        table_arn=SURVEYS.arn,
        export_time="2026-11-01T00:00:00.000Z",
        bucket="b",
        prefix="p",
        manifest_files_key="p/AWSDynamoDB/x/manifest-files.json",
        item_count=5,
        table=SURVEYS,
        group_attribute="surveyId",
        group_counts=(("s1", 2), ("s2", 3)),
        time_attribute="submittedAt",
        earliest="2026-10-01",
        latest="2026-10-31",
        total_segments=4,
        consistency="scan",
    )
    document = orjson.loads(summary_bytes(summary))
    assert {"version", "exportArn", "manifestFilesS3Key", "itemCount", "outputFormat"} <= set(
        document
    )
    assert "2020-06-30" == document["version"]
    assert summary == parse_summary(summary_bytes(summary))
    assert not parse_summary(summary_bytes(summary)).native


def test_a_native_summary_reads_as_native() -> None:
    """A summary with only DynamoDB's fields reads, marked native (no table shape)."""
    native = orjson.dumps(
        {
            "version": "2020-06-30",
            "exportArn": "arn:aws:dynamodb:us-east-1:123456789012:table/T/export/01-a",
            "tableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/T",
            "exportTime": "2020-11-04T07:28:34.028Z",
            "s3Bucket": "b",
            "s3Prefix": None,
            "manifestFilesS3Key": "AWSDynamoDB/01-a/manifest-files.json",
            "itemCount": 8,
            "outputFormat": "DYNAMODB_JSON",
        }
    )
    summary = parse_summary(native)
    assert (True, 8, "") == (summary.native, summary.item_count, summary.prefix)
