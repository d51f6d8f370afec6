"""mypy proves the feedback log adapters and the health probes fit their ports.

If an adapter's signature drifts from :class:`FeedbackLog` or :class:`Probe`,
``mypy --strict`` fails on the assignments below; pytest imports the module as a smoke test.
"""

from __future__ import annotations

from feedback_core.feedback import DynamoDBFeedbackLog, FeedbackLog, InMemoryFeedbackLog
from feedback_core.health import DynamoDBTableProbe, Probe, StaticProbe

memory_log: FeedbackLog = InMemoryFeedbackLog()
dynamodb_log: FeedbackLog = DynamoDBFeedbackLog(table_name="feedback")
static_probe: Probe = StaticProbe(name="feedback")
table_probe: Probe = DynamoDBTableProbe(name="feedback", table_name="feedback")


def test_adapters_fit_their_ports() -> None:
    """The module imports, so the assignments above ran (mypy checks them statically)."""
    assert [memory_log, dynamodb_log, static_probe, table_probe]
