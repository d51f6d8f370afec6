"""Peer of reference_handlers.poll_results: GET /polls/{pollId}/results, Powertools style."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from boto3.dynamodb.conditions import Key

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
app = APIGatewayRestResolver()
table = boto3.resource("dynamodb").Table(os.environ["COUNTERS_TABLE"])


@app.get("/polls/<poll_id>/results")
def read(poll_id: str) -> Response[str]:
    items = table.query(KeyConditionExpression=Key("pk").eq(f"poll#{poll_id}"))["Items"]
    counts = {item["sk"]: int(item.get("count", 0)) for item in items}
    return Response(200, content_types.APPLICATION_JSON, body=json.dumps({"counts": counts}))


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
