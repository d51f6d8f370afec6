"""Read endpoints: the bodies of the three GET routes, straight from the counter store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

from feedback_core.aggregate import feedback_analytics, poll_results, survey_summary

if TYPE_CHECKING:
    from feedback_core.aggregate import CounterStore


def get_poll_results(store: CounterStore, poll_id: str, choices: list[str] | None = None) -> bytes:
    """GET /polls/{pollId}/results."""
    return orjson.dumps(poll_results(store, poll_id, choices=choices).to_json())


def get_analytics(store: CounterStore, since: str | None = None) -> bytes:
    """GET /analytics (optionally ?since=YYYY-MM-DD for the daily series)."""
    return orjson.dumps(feedback_analytics(store, since=since).to_json())


def get_survey_summary(store: CounterStore, survey_id: str) -> bytes:
    """GET /surveys/{surveyId}/summary, with NPS for the 0-10 "recommend" question."""
    summary = survey_summary(store, survey_id, nps_questions={"recommend"})
    return orjson.dumps(summary.to_json())
