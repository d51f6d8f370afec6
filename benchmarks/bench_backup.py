"""Export throughput and memory: feedback_core.backup against the usual scan-and-dump script.

Both sides read the same scan pages, in the low-level client's real shape (``Items`` of
AttributeValue dicts with ``N`` as text and ``B`` as bytes, and a ``LastEvaluatedKey``), from a
fake source that serves 1,000-item pages from a pool of 5,000 prepared items, so neither moto
nor the network dominates the timing. The peer is the usual implementation: the boto3
*resource* ``scan`` (TypeDeserializer on every attribute, as the resource layer does), every
page appended to one list, then ``json.dumps`` with a Decimal encoder into one JSON array.
Ours: :func:`feedback_core.backup.export_table` writing gzip DynamoDB-JSON parts with MD5 and
SHA-256 into a store that counts the bytes and keeps none. Peak RSS is measured in a fresh
process per size.

Run: ``python benchmarks/bench_backup.py [--items N] [--rss 100000 1000000]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PAGE_ITEMS = 1_000  # pages of ~0.5 MB (DynamoDB pages a scan by 1 MB)


_COMMENTS = (
    "The checkout was quick, but the app crashed twice on login.",
    "Friendly staff and fast delivery; the box was slightly damaged.",
    "Too expensive for what it is. Would not order again.",
)
_TEMPLATE: dict[str, Any] = {
    "answers": {
        "M": {
            "reasons": {"L": [{"S": "Fast delivery."}, {"S": "Friendly staff."}]},
            "channels": {"SS": ["web", "app"]},
        }
    },
    "consent": {"BOOL": True},
}


def _item(n: int) -> dict[str, Any]:
    """A survey response as the low-level client returns it (~500 bytes of DynamoDB JSON)."""
    answers = dict(_TEMPLATE["answers"]["M"])
    answers["nps"] = {"N": str(n % 11)}
    answers["comment"] = {"S": _COMMENTS[n % 3]}
    return {
        **_TEMPLATE,
        "surveyId": {"S": f"s-2026-q{n % 4 + 1}"},
        "responseId": {"S": f"r-{n:010d}"},
        "respondentId": {"S": f"user-{n * 7919 % 100_000:06d}"},
        "submittedAt": {"S": f"2026-11-{n % 28 + 1:02d}T{n % 24:02d}:20:32Z"},
        "weight": {"N": f"0.{n % 997:03d}7"},
        "answers": {"M": answers},
        "checksum": {"B": (n % 65536).to_bytes(2, "big") * 8},
    }


_POOL = [_item(n) for n in range(5 * PAGE_ITEMS)]
"""Five pages of distinct items, served round and round, so making pages costs next to nothing."""


class FakeScan:
    """A table of ``count`` items served as scan pages, one segment at a time."""

    def __init__(self, count: int) -> None:
        self.count = count

    def page(self, segment: int, total: int, start: int) -> tuple[list[dict[str, Any]], int | None]:
        share = self.count // total + (segment < self.count % total)
        stop = min(start + PAGE_ITEMS, share)
        offset = (segment * PAGE_ITEMS + start) % len(_POOL)
        items = (_POOL + _POOL)[offset : offset + stop - start]
        return items, (stop if stop < share else None)

    # TableSource, for feedback_core
    def describe(self) -> Any:
        from feedback_core.backup.model import AttributeDefinition, KeyElement, TableDescription

        return TableDescription(
            name="survey-responses",
            key_schema=(KeyElement(name="surveyId", key_type="HASH"),),
            attribute_definitions=(AttributeDefinition(name="surveyId", attribute_type="S"),),
        )

    def scan_page(self, *, segment: int, total_segments: int, start_key: Any) -> Any:
        from feedback_core.backup.model import ScanPage

        start = 0 if start_key is None else int(start_key["n"]["N"])
        items, following = self.page(segment, total_segments, start)
        return ScanPage(
            items=items, last_key=None if following is None else {"n": {"N": str(following)}}
        )


def ours(count: int) -> tuple[float, int]:
    """Export with feedback_core; return (seconds, compressed bytes)."""
    from feedback_core.backup.export import ExportOptions, export_table
    from feedback_core.backup.memory import InMemoryObjectStore

    class CountingWriter:
        def __init__(self, store: CountingStore) -> None:
            self.store = store

        def write(self, data: bytes) -> None:
            self.store.data_bytes += len(data)

        def commit(self) -> str:
            return "etag"

        def abort(self) -> None:
            pass

    class CountingStore(InMemoryObjectStore):
        data_bytes = 0

        def open(self, key: str) -> Any:
            return CountingWriter(self)

    store = CountingStore()
    started = time.perf_counter()
    result = export_table(FakeScan(count), store, ExportOptions(workers=2, segments=2))
    elapsed = time.perf_counter() - started
    assert result.item_count == count
    return elapsed, store.data_bytes


class _DecimalEncoder(json.JSONEncoder):
    def default(self, o: object) -> object:
        if isinstance(o, Decimal):
            return float(o)  # what the usual script does (and how it loses digits)
        if isinstance(o, set):
            return sorted(o)
        if hasattr(o, "value"):  # boto3's Binary
            return o.value.hex()
        return super().default(o)


def usual(count: int) -> tuple[float, int]:
    """The usual script: resource-style scan, every page in one list, one json.dumps."""
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    scan = FakeScan(count)
    started = time.perf_counter()
    everything: list[dict[str, Any]] = []
    start: int | None = 0
    while start is not None:
        page, start = scan.page(0, 1, start)
        everything += [{k: deserializer.deserialize(v) for k, v in i.items()} for i in page]
    body = json.dumps(everything, cls=_DecimalEncoder).encode()
    elapsed = time.perf_counter() - started
    assert len(everything) == count
    return elapsed, len(body)


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (Linux's VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def _peak_rss_mib(which: str, count: int) -> float:
    """Run one export in a fresh interpreter and return its peak RSS in MiB."""
    code = (
        f"import sys; sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent / 'src')!r}]\n"
        "import bench_backup\n"
        f"bench_backup.{which}({count})\n"
        # VmHWM, not getrusage: ru_maxrss survives exec, so a child would report the parent's.
        "print(bench_backup.peak_rss_kib())"
    )
    out = subprocess.run(  # noqa: S603  # our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip()) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rss", type=int, nargs="*", default=[100_000, 1_000_000])
    args = parser.parse_args()
    ours(2_000)  # warm up imports on both sides
    usual(2_000)
    ours_s, ours_bytes = ours(args.items)
    usual_s, usual_bytes = usual(args.items)
    print(f"export of {args.items:,} items (~0.5 KB each), fake scan pages of the low-level shape")
    print(
        f"  feedback_core export_table : {args.items / ours_s:>10,.0f} items/s"
        f"  ({ours_bytes / 2**20:.1f} MiB gzip parts, MD5 + SHA-256, exact numbers)"
    )
    print(
        f"  usual resource scan + dumps: {args.items / usual_s:>10,.0f} items/s"
        f"  ({usual_bytes / 2**20:.1f} MiB one JSON array, floats, no checksums)"
    )
    print(f"  ratio: {usual_s / ours_s:.2f}x the usual throughput (goal: at least 3x)")
    print("peak RSS (fresh process each):")
    for count in args.rss:
        rss = _peak_rss_mib("ours", count)
        print(f"  feedback_core export_table, {count:>9,} items: {rss:6.1f} MiB")
    print(
        f"  usual script,               {args.rss[0]:>9,} items: "
        f"{_peak_rss_mib('usual', args.rss[0]):6.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
