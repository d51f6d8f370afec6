"""Peer of reference_handlers.results_snapshot: every poll's results to S3, Powertools style.

A ``Scan`` of the counters table for the polls' partitions, then one JSON object per poll.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from boto3.dynamodb.conditions import Attr

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-reports")
counters = boto3.resource("dynamodb").Table(os.environ["COUNTERS_TABLE"])
s3 = boto3.client("s3")


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, object]:
    polls: defaultdict[str, dict[str, int]] = defaultdict(dict)
    scan: dict[str, Any] = {"FilterExpression": Attr("pk").begins_with("poll#")}
    while True:
        page = counters.scan(**scan)
        for item in page["Items"]:
            poll_id = str(item["pk"]).removeprefix("poll#")
            polls[poll_id][str(item["sk"])] = int(str(item.get("count", 0)))
        if "LastEvaluatedKey" not in page:
            break
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    taken_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for poll_id, counts in polls.items():
        body = json.dumps({"pollId": poll_id, "takenAt": taken_at, "counts": counts})
        s3.put_object(
            Bucket=os.environ["REPORTS_BUCKET"],
            Key=f"snapshots/{poll_id}/{taken_at}.json",
            Body=body,
        )
    outcome = {"takenAt": taken_at, "snapshots": len(polls)}
    logger.info("poll snapshots written", extra=outcome)
    return outcome
