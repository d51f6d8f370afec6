"""Peer of reference_handlers.stream_aggregator: stream records to counters, the usual way.

One ``UpdateItem ADD`` per record through Powertools' ``BatchProcessor`` (partial batch
failures reported), as the Powertools docs show it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
        DynamoDBRecord,
    )
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-api")
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)
table = boto3.resource("dynamodb").Table(os.environ["COUNTERS_TABLE"])


def record_handler(record: DynamoDBRecord) -> None:
    if record.dynamodb is None or record.dynamodb.new_image is None:
        return
    image = record.dynamodb.new_image
    table.update_item(
        Key={"pk": f"poll#{image.get('pollId')}", "sk": f"choice#{image.get('choice')}"},
        UpdateExpression="ADD #count :one",
        ExpressionAttributeNames={"#count": "count"},
        ExpressionAttributeValues={":one": 1},
    )


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
