"""Peer of reference_handlers.feedback: POST /feedback, the usual Powertools way."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.utilities.parser import parse
from pydantic import BaseModel, ConfigDict, Field

from benchmarks.peers._powertools import ID, api_handler, app, table

feedback_table = table("FEEDBACK_TABLE")


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
    feedback_table.put_item(Item=item)
    return Response(201, content_types.APPLICATION_JSON, body=f'{{"id": "{item["feedbackId"]}"}}')


handler = api_handler(idempotent_by_key=True)
