"""JSON text to Python values: orjson for speed, an exact re-read when numbers need it.

orjson reads every non-integer (and every integer beyond 64 bits) as a binary ``float``. The
schema decoder asks for an exact re-read the moment it meets a float, and this module then reads
the same text with the standard library, turning each number's own text into an ``int`` or a
``Decimal``. Most payloads hold no floats and never pay for the second read.
"""

from __future__ import annotations

import json
from decimal import Decimal

import orjson

from feedback_core.errors import FieldError, ValidationError

__all__ = ["parse_exact", "parse_fast"]


def _invalid(message: str) -> ValidationError:
    return ValidationError(
        (FieldError(pointer="", code="invalid_json", message=message),),
        detail="The request body is not valid JSON.",
    )


def parse_fast(body: bytes | str) -> object:
    """Parse JSON with orjson; floats may be inexact (see :func:`parse_exact`).

    Raises:
        ValidationError: the body is not valid UTF-8 JSON (code ``invalid_json``).
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise _invalid(f"The body is not valid JSON: {exc}") from exc


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def parse_exact(body: bytes | str) -> object:
    """Parse JSON keeping every number exact: ``int`` for integers, ``Decimal`` for the rest.

    Raises:
        ValidationError: the body is not valid JSON, or holds NaN or Infinity.
    """
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise _invalid(f"The body is not valid JSON: {exc}") from exc
