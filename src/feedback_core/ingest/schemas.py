"""The built-in schemas: feedback, survey responses and votes.

Each one is an ordinary :class:`~feedback_core.ingest.Record`; integrators declare their own the
same way. Identifiers share one format (:data:`ID_PATTERN`) so they are safe in DynamoDB keys,
URLs and log lines.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final, TypeAlias

import attrs

from feedback_core.ingest.fields import field
from feedback_core.ingest.schema import Record

__all__ = ["EMAIL_PATTERN", "ID_PATTERN", "Answer", "Feedback", "SurveyResponse", "Vote"]

ID_PATTERN: Final = r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}"
"""Identifiers: 1-128 characters, letters, digits and ``._:@-``, starting with a letter or digit."""

EMAIL_PATTERN: Final = r"[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+"
"""A deliberately loose address check: one ``@``, a dotted domain, no spaces."""

Answer: TypeAlias = str | int | Decimal | bool | tuple[str, ...]
"""One survey answer: free text, a number, yes/no, or several chosen options."""


@attrs.frozen(kw_only=True)
class Feedback(Record):
    """Customer feedback: who, how they rate us (1-5) and what they say."""

    name: str = field(min_length=1, max_length=120, sensitive=True)
    email: str = field(max_length=254, pattern=EMAIL_PATTERN, sensitive=True)
    rating: int = field(ge=1, le=5)
    message: str = field(min_length=1, max_length=5000, multiline=True)
    customer_id: str | None = field(default=None, pattern=ID_PATTERN)


@attrs.frozen(kw_only=True)
class SurveyResponse(Record):
    """One respondent's answers to one survey, keyed by question id.

    Limits: at most 50 answers (so one response's counters fit one DynamoDB transaction), text
    answers of at most 2,000 characters, and at most 20 options in a multiple-choice answer.
    """

    survey_id: str = field(pattern=ID_PATTERN)
    answers: dict[str, Answer] = field(
        min_length=1,
        max_length=50,
        key_pattern=ID_PATTERN,
        item_max_length=2000,
        max_items=20,
        multiline=True,
    )
    respondent_id: str | None = field(default=None, pattern=ID_PATTERN)


@attrs.frozen(kw_only=True)
class Vote(Record):
    """One user's choice in one poll."""

    poll_id: str = field(pattern=ID_PATTERN)
    user_id: str = field(pattern=ID_PATTERN)
    choice: str = field(min_length=1, max_length=100)
