"""``feedback-core openapi`` prints the document that docs/openapi.json holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback_core.cli.main import main

DOCS_COPY = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def test_the_command_prints_the_docs_copy(capsys: pytest.CaptureFixture[str]) -> None:
    """The command's output is docs/openapi.json, byte for byte (how to regenerate it)."""
    assert 0 == main(["openapi"])
    assert DOCS_COPY.read_text(encoding="utf-8") == capsys.readouterr().out
