"""Peer of reference_handlers.vote_lookup: GET /polls/{pollId}/votes/{userId}, Powertools."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
app = APIGatewayRestResolver()
table = boto3.resource("dynamodb").Table(os.environ["VOTES_TABLE"])


@app.get("/polls/<poll_id>/votes/<user_id>")
def get_vote(poll_id: str, user_id: str) -> Response[str]:
    item = table.get_item(Key={"pollId": poll_id, "userId": user_id}).get("Item")
    if item is None:
        raise NotFoundError("no such vote")
    return Response(200, content_types.APPLICATION_JSON, body=json.dumps(item, default=str))


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
