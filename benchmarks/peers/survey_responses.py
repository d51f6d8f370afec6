"""Peer of reference_handlers.survey_responses: POST /surveys/{surveyId}/responses, Powertools."""

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
table = boto3.resource("dynamodb").Table(os.environ["SURVEY_RESPONSES_TABLE"])
persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])
config = IdempotencyConfig(event_key_jmespath='headers."Idempotency-Key"')
Answer = str | int | Decimal | bool | list[str]


class SurveyResponseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    answers: dict[str, Answer] = Field(min_length=1, max_length=50)
    respondent_id: str | None = Field(default=None, alias="respondentId", pattern=ID)


@app.post("/surveys/<survey_id>/responses")
def submit(survey_id: str) -> Response[str]:
    response = parse(event=app.current_event.json_body, model=SurveyResponseIn)
    response_id = str(uuid.uuid4())
    answers = {
        k: Decimal(str(v)) if isinstance(v, float) else v for k, v in response.answers.items()
    }
    table.put_item(Item={"surveyId": survey_id, "responseId": response_id, "answers": answers})
    return Response(201, content_types.APPLICATION_JSON, body=f'{{"id": "{response_id}"}}')


@logger.inject_lambda_context(clear_state=True)
@idempotent(config=config, persistence_store=persistence)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
