"""Peer of reference_handlers.votes: POST /polls/{pollId}/votes, the usual Powertools way."""

from __future__ import annotations

import json

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.utilities.parser import parse
from pydantic import BaseModel, ConfigDict, Field

from benchmarks.peers._powertools import api_handler, app, table

votes_table = table("VOTES_TABLE")


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)
    choice: str = Field(min_length=1, max_length=100)


@app.post("/polls/<poll_id>/votes")
def submit(poll_id: str) -> Response[str]:
    # The route is behind the template's Cognito authorizer: the voter is the token's subject.
    user_id = app.current_event.request_context.authorizer.claims["sub"]
    vote = parse(event=app.current_event.json_body, model=VoteIn)
    item = {"pollId": poll_id, "userId": user_id, "choice": vote.choice}
    votes_table.put_item(Item=item, ConditionExpression="attribute_not_exists(userId)")
    return Response(201, content_types.APPLICATION_JSON, body=json.dumps(item))


handler = api_handler(idempotent_by_key=True)
