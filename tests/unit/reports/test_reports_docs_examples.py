"""The example in docs/reports.md runs and gives what the page says."""

from __future__ import annotations

from docs.examples.reports import daily_report


def test_the_example_reports_the_day_and_snapshots_the_poll() -> None:
    """Two responses reported at the day's key, one poll snapshotted."""
    assert (2, "reports/daily/2026/11/22/report.json", 1) == daily_report.main()
