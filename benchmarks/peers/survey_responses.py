"""Peer of reference_handlers.survey_responses: POST /surveys/{surveyId}/responses, Powertools."""

from __future__ import annotations

import uuid
from decimal import Decimal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.utilities.parser import parse
from pydantic import BaseModel, ConfigDict, Field

from benchmarks.peers._powertools import ID, api_handler, app, table

responses_table = table("SURVEY_RESPONSES_TABLE")
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
    item = {"surveyId": survey_id, "responseId": response_id, "answers": answers}
    responses_table.put_item(Item=item)
    return Response(201, content_types.APPLICATION_JSON, body=f'{{"id": "{response_id}"}}')


handler = api_handler(idempotent_by_key=True)
