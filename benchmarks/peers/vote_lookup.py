"""Peer of reference_handlers.vote_lookup: GET /polls/{pollId}/votes/{userId}, Powertools."""

from __future__ import annotations

import json

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from benchmarks.peers._powertools import api_handler, app, table

votes_table = table("VOTES_TABLE")


@app.get("/polls/<poll_id>/votes/<user_id>")
def get_vote(poll_id: str, user_id: str) -> Response[str]:
    # Behind the template's Cognito authorizer: a caller reads only their own vote.
    if user_id != app.current_event.request_context.authorizer.claims.get("sub"):
        raise NotFoundError("no such vote")
    item = votes_table.get_item(Key={"pollId": poll_id, "userId": user_id}).get("Item")
    if item is None:
        raise NotFoundError("no such vote")
    return Response(200, content_types.APPLICATION_JSON, body=json.dumps(item, default=str))


handler = api_handler(idempotent_by_key=False)
