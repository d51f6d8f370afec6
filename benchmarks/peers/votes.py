"""Peer of reference_handlers.votes: POST /polls/{pollId}/votes, the usual Powertools way."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent,
)
from aws_lambda_powertools.utilities.parser import parse
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

ID = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$"
logger = Logger(service="feedback-api")
app = APIGatewayRestResolver()
table = boto3.resource("dynamodb").Table(os.environ["VOTES_TABLE"])
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])
config = IdempotencyConfig(event_key_jmespath='headers."Idempotency-Key"')


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)
    user_id: str = Field(alias="userId", pattern=ID)
    choice: str = Field(min_length=1, max_length=100)


@app.post("/polls/<poll_id>/votes")
def submit(poll_id: str) -> Response[str]:
    vote = parse(event=app.current_event.json_body, model=VoteIn)
    item = {"pollId": poll_id, "userId": vote.user_id, "choice": vote.choice}
    table.put_item(Item=item, ConditionExpression="attribute_not_exists(userId)")
    return Response(201, content_types.APPLICATION_JSON, body=json.dumps(item))


@logger.inject_lambda_context(clear_state=True)
@idempotent(config=config, persistence_store=persistence)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
