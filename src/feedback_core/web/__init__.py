"""The dashboard page: static HTML, CSS and JavaScript that ``feedback-core serve`` serves at ``/``.

The files under ``static/`` are package data (the wheel ships them); nothing is built or
fetched from elsewhere. :data:`STATIC_DIR` is where they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

__all__ = ["STATIC_DIR"]

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
"""The folder holding ``index.html``, ``app.css`` and ``app.js``."""
