"""The examples in docs/bundle.md run, print what the page says, and agree with the code."""

from __future__ import annotations

import io
import re
import runpy
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docs.examples.bundle.verify import verify
from feedback_core.bundle import (
    Bundler,
    InMemoryBundleSink,
    InMemoryObjectSource,
    Notification,
    bundle_key,
    manifest_key,
)
from feedback_core.dedup import InMemoryDedupStore

EXAMPLES = Path(__file__).parents[3] / "docs" / "examples" / "bundle"
AT = datetime(2026, 5, 4, 3, 2, tzinfo=UTC)


def test_in_memory_example_bundles_both_objects_once(capsys: pytest.CaptureFixture[str]) -> None:
    """The redelivered message changes nothing: one bundle with both lines, no failures."""
    runpy.run_path(str(EXAMPLES / "in_memory.py"))
    lines = capsys.readouterr().out.splitlines()
    assert "{'batchItemFailures': []}" == lines[0]
    assert re.fullmatch(r"bundles/2026/05/04/03/bundle-[0-9a-f]{32}\.jsonl\.gz", lines[1])
    assert ['{"rating": 5}', '{"rating": 2}'] == lines[2:]


def bundled() -> tuple[bytes, bytes]:
    source = InMemoryObjectSource()
    sink = InMemoryBundleSink()
    refs = (
        source.put("s", "a", b'{"a": 1}', at=AT),
        source.put("s", "b", b'{"b": 2}\n{"b": 3}\n', at=AT),
    )
    bundler = Bundler(source=source, sink=sink, claims=InMemoryDedupStore())
    (done,) = bundler.process([Notification(message_id="m", refs=refs)]).written
    return sink.objects[done.key].body, sink.objects[manifest_key(done.key)].body


def test_verify_example_accepts_a_bundle_that_matches_its_manifest() -> None:
    """Every source's bytes hash to the manifest's SHA-256."""
    bundle, manifest = bundled()
    assert [] == verify(io.BytesIO(bundle), manifest)


def test_verify_example_finds_a_changed_source() -> None:
    """A manifest that disagrees with the bytes is reported, by source key."""
    bundle, manifest = bundled()
    tampered = manifest.replace(b'"size": 8', b'"size": 7')
    assert verify(io.BytesIO(bundle), tampered)


def test_athena_partition_template_matches_the_bundle_keys() -> None:
    """The projection's location template, filled for a day and hour, is where bundles go."""
    sql = (EXAMPLES / "athena.sql").read_text()
    location = re.search(r"'storage.location.template' = '([^']+)'", sql)
    day_format = re.search(r"'projection.day.format' = '([^']+)'", sql)
    assert location is not None
    assert day_format is not None
    assert "yyyy/MM/dd" == day_format.group(1)
    prefix = location.group(1).split("/bundles/")[1].replace("${day}", "2026/05/04")
    key = bundle_key("bundles/", "jsonl", AT, "abc")
    assert key.startswith("bundles/" + prefix.replace("${hour}", "03"))
