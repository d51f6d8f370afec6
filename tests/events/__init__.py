"""Sample API Gateway and DynamoDB Streams events, shaped as AWS sends them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def load(name: str) -> dict[str, Any]:
    """Return a fresh copy of the sample event ``name`` (file name without .json)."""
    return json.loads((HERE / f"{name}.json").read_text())  # type: ignore[no-any-return]  # JSON objects in these files
