"""The demo's administrators' step lists, checks health and erases on the local platform."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import pytest

from feedback_core.cli.demo_admin import CUSTOMER_FEEDBACK, AdminDemoSummary, run_admin_demo
from feedback_core.cli.demo_traffic import feedback_requests
from feedback_core.cli.local import LocalPlatform

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def summary() -> Iterator[AdminDemoSummary]:
    """The step run after 60 generated feedback requests, as the demo sends them."""
    with LocalPlatform(suffix="admin", log_level="WARNING") as platform:
        post = platform.handler("feedback-submit-admin")
        for _, event in feedback_requests(60, random.Random(5)):
            post(event)
        yield run_admin_demo(platform, seed=5)


def test_every_check_holds(summary: AdminDemoSummary) -> None:
    """Pages cover the table once, newest first, no e-mail; health ok; erasure complete."""
    assert [] == [check.line() for check in summary.checks if not check.holds]
    assert (True, 0) == (summary.ok, summary.server_errors)


def test_the_listing_is_several_pages_of_the_whole_table(summary: AdminDemoSummary) -> None:
    """The demo feedback (over 25 items) needs more than one page, and all of it is listed."""
    (listed,) = [c for c in summary.checks if c.what == "feedback listed"]
    assert listed.found > 25
    assert listed.found == listed.expected


def test_the_erasure_removed_the_customers_records(summary: AdminDemoSummary) -> None:
    """The customer's three records were erased and a repeat erased none."""
    found = {c.what: c.found for c in summary.checks}
    assert (CUSTOMER_FEEDBACK, 0, 0) == (
        found["records erased"],
        found["customer's records left"],
        found["erased again"],
    )


def test_the_summary_prints_each_check(summary: AdminDemoSummary) -> None:
    """lines() has the section title and one line per check."""
    lines = summary.lines()
    assert lines[1].startswith("ADMIN:")
    assert len(summary.checks) == sum("(=" in line for line in lines)
