"""What every peer API handler sets up at import, the way the Powertools docs show it."""

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
from boto3.dynamodb.conditions import Key

if TYPE_CHECKING:
    from collections.abc import Callable

    from aws_lambda_powertools.utilities.typing import LambdaContext

    Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]

ID = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$"
logger = Logger(service="feedback-api")
app = APIGatewayRestResolver()


def table(variable: str) -> Any:
    """The boto3 Table resource named by an environment variable (created at import)."""
    return boto3.resource("dynamodb").Table(os.environ[variable])


def api_handler(*, idempotent_by_key: bool) -> Handler:
    """The Lambda entry point: logging context, optional idempotency, then the resolver."""

    def resolve(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context)

    if idempotent_by_key:
        persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])
        config = IdempotencyConfig(event_key_jmespath='headers."Idempotency-Key"')
        resolve = idempotent(config=config, persistence_store=persistence)(resolve)
    return logger.inject_lambda_context(clear_state=True)(resolve)


def counts_response(counters: Any, partition: str) -> Response[str]:
    """A read of one counter partition, as a 200 JSON response."""
    items = counters.query(KeyConditionExpression=Key("pk").eq(partition))["Items"]
    counts = {item["sk"]: int(item.get("count", 0)) for item in items}
    return Response(200, content_types.APPLICATION_JSON, body=json.dumps({"counts": counts}))
