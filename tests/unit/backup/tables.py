"""Tables and fault-injecting wrappers the backup tests share."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from feedback_core.backup.memory import InMemoryObjectStore, InMemoryTable
from feedback_core.backup.model import (
    AttributeDefinition,
    Item,
    KeyElement,
    ObjectInfo,
    ScanPage,
    TableDescription,
)

SURVEYS = TableDescription(
    name="survey-responses",
    arn="arn:aws:dynamodb:us-east-1:123456789012:table/survey-responses",
    key_schema=(
        KeyElement(name="surveyId", key_type="HASH"),
        KeyElement(name="responseId", key_type="RANGE"),
    ),
    attribute_definitions=(
        AttributeDefinition(name="surveyId", attribute_type="S"),
        AttributeDefinition(name="responseId", attribute_type="S"),
    ),
)


def every_type_item(n: int) -> Item:
    """An item holding every attribute type, 38-digit numbers and binary included."""
    return {
        "surveyId": {"S": f"survey-{n % 3}"},
        "responseId": {"S": f"r{n:05d}"},
        "big": {"N": str(10**37 + n)},
        "tiny": {"N": f"0.{n:037d}1"},
        "negative": {"N": f"-{n}.5"},
        "blob": {"B": bytes([n % 256, 0, 255, 10])},
        "blobs": {"BS": [b"\x00", bytes([n % 256 or 1])]},
        "numbers": {"NS": ["1", "2.5", str(-(10**37))]},
        "words": {"SS": ["a", "ünïcödé ✓", f"w{n}"]},
        "nested": {
            "M": {
                "list": {"L": [{"NULL": True}, {"BOOL": n % 2 == 0}, {"N": "3"}, {"M": {}}]},
                "text": {"S": 'quote " and newline \n'},
            }
        },
        "submittedAt": {"S": f"2026-11-{1 + n % 28:02d}T10:00:00Z"},
    }


def every_type_table(count: int = 300, *, page_size: int = 17) -> InMemoryTable:
    """A survey responses table of ``count`` items of every type."""
    table = InMemoryTable(SURVEYS, page_size=page_size)
    for n in range(count):
        table.put(every_type_item(n))
    return table


class Crash(Exception):  # noqa: N818  # a simulated process death, not an error to handle
    """The simulated death of the process at one step."""


class Steps:
    """Counts steps and raises Crash at step ``at`` (never, when ``at`` is None)."""

    def __init__(self, at: int | None = None) -> None:
        self.at = at
        self.count = 0

    def step(self) -> None:
        self.count += 1
        if self.at is not None and self.count == self.at:
            raise Crash(f"crash at step {self.at}")


class CrashingStore:
    """An in-memory store that dies at one write step (put, part chunk, or commit)."""

    def __init__(self, inner: InMemoryObjectStore, steps: Steps) -> None:
        self.inner = inner
        self.steps = steps

    @property
    def bucket(self) -> str:
        return self.inner.bucket

    def open(self, key: str) -> _CrashingWriter:
        return _CrashingWriter(self.inner.open(key), self.steps)

    def put(self, key: str, data: bytes) -> str:
        self.steps.step()
        return self.inner.put(key, data)

    def read(self, key: str) -> Iterator[bytes]:
        return self.inner.read(key)

    def info(self, key: str) -> ObjectInfo | None:
        return self.inner.info(key)

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        return self.inner.list_objects(prefix)

    def folders(self, prefix: str) -> list[str]:
        return self.inner.folders(prefix)

    def delete(self, keys: Sequence[str]) -> None:
        self.steps.step()
        self.inner.delete(keys)


class _CrashingWriter:
    def __init__(self, inner: object, steps: Steps) -> None:
        self.inner = inner
        self.steps = steps

    def write(self, data: bytes) -> None:
        self.steps.step()
        self.inner.write(data)  # type: ignore[attr-defined]

    def commit(self) -> str:
        self.steps.step()
        return self.inner.commit()  # type: ignore[attr-defined, no-any-return]

    def abort(self) -> None:
        self.inner.abort()  # type: ignore[attr-defined]


class CrashingSource:
    """A table whose scan dies at one page."""

    def __init__(self, inner: InMemoryTable, steps: Steps) -> None:
        self.inner = inner
        self.steps = steps

    def describe(self) -> TableDescription:
        return self.inner.describe()

    def scan_page(self, *, segment: int, total_segments: int, start_key: Item | None) -> ScanPage:
        self.steps.step()
        return self.inner.scan_page(
            segment=segment, total_segments=total_segments, start_key=start_key
        )


class CrashingSink:
    """A table whose batch writes die at one call (after writing that batch's items)."""

    def __init__(self, inner: InMemoryTable, steps: Steps) -> None:
        self.inner = inner
        self.steps = steps

    @property
    def name(self) -> str:
        return self.inner.name

    def write_batch(self, items: Sequence[Item]) -> list[Item]:
        left = self.inner.write_batch(items)
        self.steps.step()
        return left

    def read_batch(self, keys: Sequence[Item]) -> list[Item]:
        return self.inner.read_batch(keys)
