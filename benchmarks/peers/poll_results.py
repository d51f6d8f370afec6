"""Peer of reference_handlers.poll_results: GET /polls/{pollId}/results, Powertools style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks.peers._powertools import api_handler, app, counts_response, table

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import Response

counters = table("COUNTERS_TABLE")


@app.get("/polls/<poll_id>/results")
def read(poll_id: str) -> Response[str]:
    return counts_response(counters, f"poll#{poll_id}")


handler = api_handler(idempotent_by_key=False)
