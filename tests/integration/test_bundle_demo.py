"""The bundling demo step runs on the local platform, under faults, and its checks hold."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from feedback_core.cli.demo_bundle import BundleDemoSummary, run_bundle_demo
from feedback_core.cli.local import LocalPlatform

pytestmark = pytest.mark.slow  # about 35 s: 25 MiB through moto, under faults


@pytest.fixture(scope="module")
def summary() -> Iterator[BundleDemoSummary]:
    with LocalPlatform((), log_level="ERROR") as platform:
        yield run_bundle_demo(platform, seed=3)


def test_every_source_is_in_exactly_one_bundle(summary: BundleDemoSummary) -> None:
    """Under injected faults and redeliveries every source lands once; no upload stays open."""
    assert () == summary.problems
    assert (26, 0) == (summary.sources, summary.open_uploads)
    assert summary.ok


def test_the_faults_that_matter_fired(summary: BundleDemoSummary) -> None:
    """A crash mid multipart upload and one after a completed bundle were survived."""
    assert {"crash at part", "crash after complete", "error at acknowledge"} <= set(summary.faults)
    assert summary.redelivered > 0


def test_lines_report_the_verdict(summary: BundleDemoSummary) -> None:
    """The printed summary ends with the check's verdict."""
    assert summary.lines()[-1].endswith("byte for byte: OK")


def test_a_problem_makes_the_demo_fail() -> None:
    """Any problem, or an upload left open, turns ok off and is printed."""
    failed = BundleDemoSummary(
        sources=1,
        bytes_in=1,
        bundles=2,
        bytes_out=1,
        invocations=1,
        redelivered=0,
        faults=(),
        open_uploads=1,
        problems=("in/a?v1 is in 2 bundles",),
    )
    assert not failed.ok
    assert "    ! in/a?v1 is in 2 bundles" in failed.lines()
