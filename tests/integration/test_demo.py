"""``feedback-core demo`` runs the platform locally and its summary adds up."""

from __future__ import annotations

import pytest

from feedback_core.cli.demo import run_demo
from feedback_core.cli.main import main


def test_demo_summary_adds_up() -> None:
    """Every request is accepted, replayed or rejected; the table holds exactly the accepted."""
    summary = run_demo(requests=150, seed=3)
    assert 150 == summary.accepted + summary.replayed + sum(summary.rejected.values())
    assert 0 == summary.server_errors
    assert summary.accepted == summary.items_stored
    assert summary.replayed > 0
    assert {"413 payload-too-large", "415 unsupported-media-type"} <= set(summary.rejected)


def test_demo_command_prints_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """The command exits 0 and prints the counts."""
    assert 0 == main(["demo", "--requests", "60"])
    out = capsys.readouterr().out
    assert "items in the feedback table" in out
    assert "(= accepted)" in out
