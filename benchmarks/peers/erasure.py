"""Peer of reference_handlers.erasure: DELETE /customers/{customerId}/feedback, Powertools style.

Behind IAM authorization in the template, like ours: the peer checks nothing more either.
"""

from __future__ import annotations

import json
import re

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError
from boto3.dynamodb.conditions import Key

from benchmarks.peers._powertools import ID, api_handler, app, table

feedback_table = table("FEEDBACK_TABLE")


@app.delete("/customers/<customer_id>/feedback")
def erase(customer_id: str) -> Response[str]:
    if not re.match(ID, customer_id):
        raise BadRequestError("invalid customerId")
    ids, query = (
        [],
        {"IndexName": "byCustomer", "KeyConditionExpression": Key("customerId").eq(customer_id)},
    )
    while True:  # read every id first, then delete: deleting while paging moves the pages
        page = feedback_table.query(**query)
        ids += [item["feedbackId"] for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    erased = 0
    for feedback_id in ids:
        old = feedback_table.delete_item(Key={"feedbackId": feedback_id}, ReturnValues="ALL_OLD")
        erased += "Attributes" in old
    body = json.dumps({"customerId": customer_id, "erased": erased})
    return Response(200, content_types.APPLICATION_JSON, body=body)


handler = api_handler(idempotent_by_key=False)
