"""Peer of reference_handlers.survey_summary: GET /surveys/{surveyId}/summary, Powertools style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.peers._powertools import api_handler, app, counts_response, table

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import Response

counters = table("COUNTERS_TABLE")


@app.get("/surveys/<survey_id>/summary")
def read(survey_id: str) -> Response[str]:
    return counts_response(counters, f"survey#{survey_id}")


handler = api_handler(idempotent_by_key=False)
