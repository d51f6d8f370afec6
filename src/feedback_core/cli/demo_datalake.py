"""The data lake step of ``feedback-core demo``: the feedback stream into the lake, then SQL.

It deploys templates/datalake.yaml beside the running feedback API, plays the lake function's
stream mapping over everything the demo wrote (every change of the feedback table since the
start, erasures included) with faults inside the function's S3 calls (an error before a put,
an error after a put landed, so batches are retried from their first record), then copies the
lake bucket to a temporary directory and asks DuckDB the analyst queries (ratings per day,
sentiment mix per week, worst-rated messages). It checks that every stream record is in the
lake exactly once, in its creation day, and that each answer equals the same figure computed
from a scan of the table.
"""

from __future__ import annotations

import random
import tempfile
import warnings
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from feedback_core.aggregate.dynamodbstreams import stream_records
from feedback_core.bundle.core import utc
from feedback_core.bundle.simulation import Fault, FaultPlan
from feedback_core.cli.demo_bundle import _injected, metrics_quietened
from feedback_core.cli.local import _shards, _streams_client
from feedback_core.datalake.query import ANALYST_QUERIES, LocalLake, download
from feedback_core.datalake.s3 import S3LakeStore

if TYPE_CHECKING:
    from feedback_core.cli.local import LocalPlatform

__all__ = ["LakeDemoSummary", "run_datalake_demo"]


@attrs.frozen(kw_only=True)
class LakeDemoSummary:
    """What the lake step did, and whether every check held.

    Attributes:
        records: Stream records of the feedback table.
        objects: Objects in the lake afterwards.
        bytes: Their total (gzip) size.
        invocations: Lake function invocations, failed ones included.
        faults: The faults that fired.
        answers: Each analyst query's column names and first rows, as printed.
        problems: Ways a check failed (none when all is well).
    """

    records: int
    objects: int
    bytes: int
    invocations: int
    faults: tuple[str, ...]
    answers: tuple[tuple[str, tuple[str, ...]], ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Every record once in the lake, and every answer equal to the table's."""
        return self.records > 0 and not self.problems

    def lines(self) -> list[str]:
        """The summary as printable lines."""
        verdict = "OK" if self.ok else "FAILED"
        lines = [
            "Data lake (feedback stream -> partitioned gzip JSON lines -> SQL with DuckDB)",
            f"  stream records       {self.records}",
            f"  lake objects         {self.objects} ({self.bytes / 1024:.1f} KiB gzip)",
            f"  invocations          {self.invocations}, faults {', '.join(self.faults) or 'none'}",
        ]
        for name, rows in self.answers:
            lines.append(f"  {name}:")
            lines += [f"    {row}" for row in rows]
        lines.append(f"  every record once, every answer equal to the table's: {verdict}")
        lines += [f"    ! {problem}" for problem in self.problems]
        return lines


def _stream_sequences(stream_arn: str) -> list[str]:
    client = _streams_client()  # the endpoint moto answers, whatever botocore's version
    return [
        str(record["dynamodb"]["SequenceNumber"])
        for shard in _shards(client, stream_arn)
        for record in stream_records(client, stream_arn, shard)
    ]


def _expected(items: list[dict[str, Any]]) -> dict[str, list[tuple[object, ...]]]:
    """The analyst answers, computed from the table's items instead of the lake."""
    rows = [
        {
            "id": item["feedbackId"]["S"],
            "created": utc(item["createdAt"]["S"]).replace(tzinfo=None),
            "rating": int(item["rating"]["N"]),
            "sentiment": item.get("sentiment", {}).get("S", "none"),
            "message": item["message"]["S"],
        }
        for item in items
    ]
    days: Counter[date] = Counter()
    sums: Counter[date] = Counter()
    weeks: Counter[tuple[date, str]] = Counter()
    for row in rows:
        day = row["created"].date()
        days[day] += 1
        sums[day] += row["rating"]
        weeks[(day - timedelta(days=day.weekday()), row["sentiment"])] += 1
    worst = sorted(rows, key=lambda r: r["id"])
    worst.sort(key=lambda r: r["created"], reverse=True)
    worst.sort(key=lambda r: r["rating"])
    return {
        "ratings per day": [(d, days[d], sums[d]) for d in sorted(days)],
        "sentiment mix per week": [(w, s, n) for (w, s), n in sorted(weeks.items())],
        "worst-rated messages": [
            (r["id"], r["rating"], r["created"], r["message"]) for r in worst[:5]
        ],
    }


def _check_rows(lake: LocalLake, sequences: list[str]) -> list[str]:
    problems = []
    found = Counter(str(s) for (s,) in lake.query("SELECT sequence_number FROM feedback").rows)
    if sorted(found) != sorted(sequences) or any(n > 1 for n in found.values()):
        extra = sum(n - 1 for n in found.values())
        missing = len(set(sequences) - set(found))
        problems.append(f"lake rows: {missing} records missing, {extra} duplicates")
    misplaced = lake.query(
        "SELECT count(*) FROM feedback WHERE year != year(created_at) "
        "OR month != month(created_at) OR day != day(created_at)"
    ).rows
    if misplaced != ((0,),):
        problems.append(f"{misplaced[0][0]} rows outside their creation day")
    return problems


def run_datalake_demo(platform: LocalPlatform, *, seed: int) -> LakeDemoSummary:
    """Deploy the lake into ``platform``, fill it from the feedback stream under faults, query.

    Args:
        platform: An entered :class:`~feedback_core.cli.local.LocalPlatform` with the feedback
            API deployed and traffic sent.
        seed: Seeds the fault positions.

    Returns:
        The summary; ``ok`` says whether every check held.
    """
    import boto3  # the [local] extra

    rng = random.Random(seed)  # noqa: S311  # demo faults, not cryptography
    stream_arn = platform.outputs["FeedbackTableStreamArn"]
    with warnings.catch_warnings():
        # Moto's CloudFormation has no Glue or Athena; the template test checks those parts.
        warnings.filterwarnings(
            "ignore", message=r"Tried to parse AWS::(Glue::\w+|Athena::WorkGroup) "
        )
        outputs = platform.deploy(
            "datalake.yaml",
            suffix=platform.suffix,
            parameters={"FeedbackTableStreamArn": stream_arn, "BatchSize": "40"},
        )
    plan = FaultPlan(
        (
            Fault(step="complete", at=rng.randint(1, 3), kind="error"),
            Fault(step="complete", at=rng.randint(4, 6), kind="error", after=True),
        )
    )
    # The lake function's S3 client is created inside, so the faults strike its puts.
    with metrics_quietened("reference_handlers.datalake"), _injected(plan):
        deliveries = platform.deliver_streams()
    invocations = sum(
        d.invocations for d in deliveries if d.function_name.startswith("feedback-lake")
    )
    store = S3LakeStore(bucket=outputs["LakeBucketName"], client=boto3.client("s3"))
    sequences = _stream_sequences(stream_arn)
    items = [
        item
        for page in boto3.client("dynamodb")
        .get_paginator("scan")
        .paginate(TableName=platform.outputs["FeedbackTableName"])
        for item in page["Items"]
    ]
    with tempfile.TemporaryDirectory(prefix="feedback-lake-") as root:
        objects = download(store, Path(root))
        size = sum(p.stat().st_size for p in Path(root).rglob("*.gz"))
        lake = LocalLake(Path(root))
        problems = _check_rows(lake, sequences)
        expected = _expected(items)
        answers = []
        for name, sql in ANALYST_QUERIES.items():
            result = lake.query(sql)
            rows = list(result.rows)
            if rows != expected[name]:
                problems.append(f"{name}: the lake says {rows[:3]}, the table {expected[name][:3]}")
            shown = [_shown(result.columns), *(_shown(r) for r in rows[:SHOWN_ROWS])]
            if len(rows) > SHOWN_ROWS:
                shown.append(f"... {len(rows) - SHOWN_ROWS} more rows")
            answers.append((name, tuple(shown)))
        lake.close()
    return LakeDemoSummary(
        records=len(sequences),
        objects=objects,
        bytes=size,
        invocations=invocations,
        faults=tuple(f"{f.kind} {'after' if f.after else 'before'} a put" for f in plan.fired),
        answers=tuple(answers),
        problems=tuple(problems),
    )


SHOWN_ROWS = 8
"""How many rows of each analyst answer the demo prints (all of them are checked)."""


def _shown(row: tuple[object, ...]) -> str:
    cells = []
    for cell in row:
        text = cell.isoformat() if isinstance(cell, date | datetime) else str(cell)
        cells.append(text if len(text) <= 40 else text[:37] + "...")
    return "  ".join(cells)
