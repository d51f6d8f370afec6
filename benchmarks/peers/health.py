"""Peer of reference_handlers.health: GET /health, one DescribeTable per table, Powertools style."""

from __future__ import annotations

import json
import os

import boto3
from aws_lambda_powertools.event_handler import Response, content_types
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from benchmarks.peers._powertools import api_handler, app, logger

# Short timeouts and no retries, so a hanging dependency fails the check fast.
config = Config(connect_timeout=2, read_timeout=2, retries={"total_max_attempts": 1})
dynamodb = boto3.client("dynamodb", config=config)
tables = dict(pair.split("=", 1) for pair in os.environ["HEALTH_TABLES"].split(","))


@app.get("/health")
def check() -> Response[str]:
    checks = {}
    for label, name in tables.items():
        try:
            status = dynamodb.describe_table(TableName=name)["Table"]["TableStatus"]
            serving = status in {"ACTIVE", "UPDATING"}
        except (BotoCoreError, ClientError):
            logger.exception("table probe failed", extra={"table": label})
            serving = False
        checks[label] = "ok" if serving else "unavailable"
    healthy = all(state == "ok" for state in checks.values())
    body = json.dumps({"status": "ok" if healthy else "unavailable", "checks": checks})
    return Response(200 if healthy else 503, content_types.APPLICATION_JSON, body=body)


handler = api_handler(idempotent_by_key=False)
