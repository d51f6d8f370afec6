"""Peer of reference_handlers.feedback_list: GET /feedback, newest first, Powertools style.

Behind IAM authorization in the template, like ours. The cursor signing key is read once at
import with Powertools' parameters utility; cursors are HMAC-signed, as ours are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError
from aws_lambda_powertools.utilities.parameters import get_secret
from boto3.dynamodb.conditions import Key
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from benchmarks.peers._powertools import api_handler, app, table

feedback_table = table("FEEDBACK_TABLE")
signing_key = str(get_secret(os.environ["CURSOR_SECRET_ID"])).encode()
include_email = os.environ.get("LIST_INCLUDE_EMAIL", "false").lower() == "true"


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=600)


def sign(payload: bytes) -> str:
    return hmac.new(signing_key, payload, hashlib.sha256).hexdigest()


@app.get("/feedback")
def list_feedback() -> Response[str]:
    try:
        query = ListQuery.model_validate(app.current_event.query_string_parameters or {})
    except ValidationError as error:
        raise BadRequestError(str(error)) from error
    request = {
        "IndexName": "byCreatedAt",
        "KeyConditionExpression": Key("feed").eq("all"),
        "ScanIndexForward": False,
        "Limit": query.limit,
    }
    if query.cursor:
        encoded, _, mac = query.cursor.partition(".")
        try:
            payload = base64.urlsafe_b64decode(encoded.encode())
            if not hmac.compare_digest(sign(payload), mac):
                raise ValueError(mac)
            request["ExclusiveStartKey"] = json.loads(payload)
        except ValueError as error:  # malformed, forged or altered
            raise BadRequestError("invalid cursor") from error
    page = feedback_table.query(**request)
    hidden = {"feed"} if include_email else {"feed", "email"}
    items = [{k: v for k, v in item.items() if k not in hidden} for item in page["Items"]]
    cursor = None
    if "LastEvaluatedKey" in page:
        payload = json.dumps(page["LastEvaluatedKey"]).encode()
        cursor = f"{base64.urlsafe_b64encode(payload).decode()}.{sign(payload)}"
    body = json.dumps({"items": items, "nextCursor": cursor}, default=str)
    return Response(200, content_types.APPLICATION_JSON, body=body)


handler = api_handler(idempotent_by_key=False)
