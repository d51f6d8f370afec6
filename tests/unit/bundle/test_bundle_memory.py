"""Bundling holds a few parts and chunks in memory, never a whole source or bundle."""

from __future__ import annotations

import random
import tracemalloc
from datetime import UTC, datetime

from feedback_core.bundle import Bundler, Notification, SourceRef, codec_named
from feedback_core.bundle.simulation import CountingSink, GeneratedSource, feedback_lines
from feedback_core.dedup import InMemoryDedupStore

MIB = 1 << 20
PART = MIB
CHUNK = 256 * 1024


def peak_while_bundling(total: int, source_size: int) -> tuple[int, CountingSink]:
    """Bundle ``total`` bytes in sources of ``source_size``; return the tracemalloc peak."""
    source = GeneratedSource(feedback_lines(random.Random(3), MIB), chunk_size=CHUNK)
    sink = CountingSink(part_size=PART)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    refs = tuple(
        SourceRef(bucket="in", key=f"k{i}", etag="e", size=source_size, event_time=at)
        for i in range(total // source_size)
    )
    bundler = Bundler(
        source=source,
        sink=sink,
        claims=InMemoryDedupStore(),
        codec=codec_named("zlib"),
        max_bytes=total,
        max_sources=250,
    )
    tracemalloc.start()
    try:
        report = bundler.process([Notification(message_id="m", refs=refs)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert () == report.failures
    return peak, sink


def test_memory_is_a_few_parts_whatever_the_bundle_size() -> None:
    """Bundling 24 MiB in 1 MiB parts peaks under 3 parts and 2 chunks, plus 1 MiB."""
    peak, sink = peak_while_bundling(24 * MIB, 4 * MIB)
    assert sink.parts >= 4  # several parts went through
    assert sink.largest_part == PART
    assert peak <= 3 * PART + 2 * CHUNK + MIB


def test_one_large_source_is_read_in_chunks() -> None:
    """A single 16 MiB source never sits in memory whole: the peak stays far below it."""
    peak, _ = peak_while_bundling(16 * MIB, 16 * MIB)
    assert peak <= 3 * PART + 2 * CHUNK + MIB
