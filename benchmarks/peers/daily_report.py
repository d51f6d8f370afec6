"""Peer of reference_handlers.daily_report: yesterday's survey report, the usual Powertools way.

EventBridge's event through the parser's model, a ``Scan`` of the responses table filtered to
the day (what ``bench_reports.py`` compares with), the report in S3 and a link on SNS.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from boto3.dynamodb.conditions import Attr

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="feedback-reports")
responses = boto3.resource("dynamodb").Table(os.environ["SURVEY_RESPONSES_TABLE"])
s3 = boto3.client("s3")
sns = boto3.client("sns")
zone = ZoneInfo(os.environ.get("REPORT_TIME_ZONE", "UTC"))


@logger.inject_lambda_context(clear_state=True)
@event_parser(model=EventBridgeModel)
def handler(event: EventBridgeModel, context: LambdaContext) -> dict[str, Any]:
    day: date = event.time.astimezone(zone).date() - timedelta(days=1)
    per_survey: Counter[str] = Counter()
    scan: dict[str, Any] = {"FilterExpression": Attr("submittedAt").begins_with(day.isoformat())}
    while True:
        page = responses.scan(**scan)
        per_survey.update(str(item["surveyId"]) for item in page["Items"])
        if "LastEvaluatedKey" not in page:
            break
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    report = {"day": day.isoformat(), "surveys": per_survey, "responses": per_survey.total()}
    key, bucket = f"reports/{day.isoformat()}.json", os.environ["REPORTS_BUCKET"]
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(report), ContentType="application/json")
    link = s3.generate_presigned_url(
        "get_object",
        Params={"Bucket": bucket, "Key": key},
        ExpiresIn=int(os.environ.get("REPORT_LINK_SECONDS", "3600")),
    )
    sns.publish(TopicArn=os.environ["REPORTS_TOPIC_ARN"], Message=f"Survey report {day}: {link}")
    outcome = {
        "day": day.isoformat(),
        "surveys": len(per_survey),
        "key": key,
        "at": datetime.now(zone).isoformat(),
    }
    logger.info("daily report written", extra=outcome)
    return outcome
