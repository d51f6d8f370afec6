"""The demo's reports step deploys the reports stack and checks its outputs on the platform."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import pytest

from feedback_core.cli.demo_reports import ReportsDemoSummary, run_reports_demo
from feedback_core.cli.demo_traffic import survey_requests, vote_requests
from feedback_core.cli.local import LocalPlatform

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def summary() -> Iterator[ReportsDemoSummary]:
    """The step run after 40 survey responses and 40 votes, streams delivered."""
    # The default log level: a WARNING one would stay on the shared "feedback-api" Powertools
    # logger and hide the INFO lines that later tests of the stream handler read.
    with LocalPlatform(suffix="drep") as platform:
        surveys = platform.handler("survey-responses-submit-drep")
        votes = platform.handler("votes-submit-drep")
        for _, event in survey_requests(40, random.Random(4)):
            surveys(event)
        for _, event in vote_requests(40, random.Random(4)):
            votes(event)
        platform.deliver_streams()
        yield run_reports_demo(platform, seed=4)


def test_every_check_holds(summary: ReportsDemoSummary) -> None:
    """The report and the snapshots agree with the tables."""
    assert [] == [check.line() for check in summary.checks if not check.holds]
    assert summary.ok


def test_the_report_and_snapshots_are_not_empty(summary: ReportsDemoSummary) -> None:
    """Something was reported and snapshotted, so the checks compared real numbers."""
    found = {c.what: c.found for c in summary.checks}
    assert found["responses reported"] > 0
    assert found["polls snapshotted"] > 0


def test_the_summary_prints_each_check(summary: ReportsDemoSummary) -> None:
    """lines() has the section title and one line per check."""
    lines = summary.lines()
    assert lines[1].startswith("REPORTS:")
    assert len(summary.checks) == sum("(=" in line for line in lines)
