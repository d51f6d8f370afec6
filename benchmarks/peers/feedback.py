"""Peer of reference_handlers.feedback: POST /feedback, the usual Powertools way."""

from __future__ import annotations

import os
import uuid
from decimal import Decimal
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
table = boto3.resource("dynamodb").Table(os.environ["FEEDBACK_TABLE"])
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])
config = IdempotencyConfig(event_key_jmespath='headers."Idempotency-Key"')


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True)
    name: str = Field(min_length=1, max_length=120)
    email: str = Field(max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+$")
    rating: int = Field(ge=1, le=5)
    message: str = Field(min_length=1, max_length=5000)
    customer_id: str | None = Field(default=None, alias="customerId", pattern=ID)


@app.post("/feedback")
def submit() -> Response[str]:
    feedback = parse(event=app.current_event.json_body, model=FeedbackIn)
    item: dict[str, Any] = {"feedbackId": str(uuid.uuid4()), **feedback.model_dump()}
    item["rating"] = Decimal(feedback.rating)
    table.put_item(Item=item)
    return Response(201, content_types.APPLICATION_JSON, body=f'{{"id": "{item["feedbackId"]}"}}')


@logger.inject_lambda_context(clear_state=True)
@idempotent(config=config, persistence_store=persistence)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
