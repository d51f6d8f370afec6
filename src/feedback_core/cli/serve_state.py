"""``feedback-core serve --state DIR``: the local data kept between runs, as plain files.

Moto keeps everything in memory and has no snapshot of its own that survives a new deployment,
so this keeps the *data*, not the emulator: on exit, every item of every streamed table (the
source tables: feedback, votes, survey responses) as DynamoDB-JSON lines under
``DIR/tables/<table>.jsonl``, and every object of the stacks' buckets under
``DIR/buckets/<stack>.<LogicalId>/<key>``. On start, after the stacks are deployed afresh, the
items are written back and the objects put back. The live counters are not saved: the restored
items go through the tables' streams like any write, and the stream aggregators count them
again, so the counters always agree with the items (no double counting, nothing to migrate).

What is not kept: the listing's cursor-signing secret (it is generated per run, so an old
``nextCursor`` is refused after a restart), and anything outside tables and buckets.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

__all__ = ["restore_state", "save_state"]


def _clients() -> tuple[DynamoDBClient, S3Client]:
    import boto3  # the [local] extra, inside the emulator

    return boto3.client("dynamodb"), boto3.client("s3")


def _buckets() -> dict[str, str]:
    """The stacks' buckets: physical name -> ``<stack>.<LogicalId>``, stable across runs.

    CloudFormation names a bucket with a random suffix per deployment; the saved objects are
    filed under the stack and the template's resource name instead.
    """
    import boto3  # the [local] extra, inside the emulator

    cloudformation = boto3.client("cloudformation")
    found = {}
    for stack in cloudformation.describe_stacks()["Stacks"]:
        name = stack["StackName"]
        pages = cloudformation.get_paginator("list_stack_resources").paginate(StackName=name)
        for page in pages:
            for resource in page["StackResourceSummaries"]:
                if resource["ResourceType"] == "AWS::S3::Bucket":
                    found[resource["PhysicalResourceId"]] = (
                        f"{name}.{resource['LogicalResourceId']}"
                    )
    return found


def _streamed_tables(dynamodb: DynamoDBClient) -> list[str]:
    names = [
        n for page in dynamodb.get_paginator("list_tables").paginate() for n in page["TableNames"]
    ]
    return [
        name
        for name in names
        if dynamodb.describe_table(TableName=name)["Table"]
        .get("StreamSpecification", {})
        .get("StreamEnabled")
    ]


def save_state(directory: Path) -> tuple[int, int]:
    """Write the source tables' items and the buckets' objects under ``directory``.

    The new state is written beside the old and then swapped in, so an interrupted save leaves
    the previous state whole.

    Returns:
        Items and objects saved.
    """
    dynamodb, s3 = _clients()
    staging = directory.with_name(directory.name + ".saving")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "tables").mkdir(parents=True)
    items = objects = 0
    for table in _streamed_tables(dynamodb):
        with (staging / "tables" / f"{table}.jsonl").open("wb") as out:
            for scanned in dynamodb.get_paginator("scan").paginate(TableName=table):
                for item in scanned["Items"]:
                    out.write(orjson.dumps(item) + b"\n")
                    items += 1
    for name, filed in _buckets().items():
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
            for entry in page.get("Contents", []):
                target = (staging / "buckets" / filed / entry["Key"]).resolve()
                if not target.is_relative_to(staging.resolve()):
                    continue  # a key that would leave the folder ("../x") is not saved
                target.parent.mkdir(parents=True, exist_ok=True)
                body = s3.get_object(Bucket=name, Key=entry["Key"])["Body"]
                with target.open("wb") as out:
                    shutil.copyfileobj(body, out)
                objects += 1
    old = directory.with_name(directory.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    return items, objects


def restore_state(directory: Path) -> tuple[int, int]:
    """Put back what :func:`save_state` wrote (nothing when ``directory`` does not exist yet).

    Tables and buckets that the deployment no longer has are skipped.

    Returns:
        Items and objects restored.
    """
    dynamodb, s3 = _clients()
    items = objects = 0
    tables = set(_streamed_tables(dynamodb))
    for path in sorted((directory / "tables").glob("*.jsonl")):
        if path.stem not in tables:
            continue
        batch: list[bytes] = []
        with path.open("rb") as lines:
            for line in lines:
                batch.append(line)
                if len(batch) == 25:  # BatchWriteItem's limit
                    items += _write(dynamodb, path.stem, batch)
                    batch = []
        items += _write(dynamodb, path.stem, batch)
    buckets = {filed: name for name, filed in _buckets().items()}
    root = directory / "buckets"
    for file in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else ():
        filed, _, key = file.relative_to(root).as_posix().partition("/")
        if filed in buckets:
            with file.open("rb") as body:
                s3.put_object(Bucket=buckets[filed], Key=key, Body=body)
            objects += 1
    return items, objects


def _write(dynamodb: DynamoDBClient, table: str, lines: list[bytes]) -> int:
    if not lines:
        return 0
    pending: Mapping[str, Any] = {
        table: [{"PutRequest": {"Item": orjson.loads(line)}} for line in lines]
    }
    while pending:  # moto processes every request; AWS may hand some back
        pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return len(lines)
