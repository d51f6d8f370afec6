"""Peer of reference_handlers.feedback_analytics: GET /analytics, Powertools style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.peers._powertools import api_handler, app, counts_response, table

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import Response

counters = table("COUNTERS_TABLE")


@app.get("/analytics")
def read() -> Response[str]:
    return counts_response(counters, "feedback")


handler = api_handler(idempotent_by_key=False)
