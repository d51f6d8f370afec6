"""``feedback-core demo``: the platform on an embedded AWS, driven by generated traffic.

It deploys the sample templates into moto, sends a few hundred API Gateway requests (valid,
invalid and retried) through the reference handlers, and prints what happened: accepted,
rejected by reason, replayed, and what the tables hold. No AWS account, no network.
"""

from __future__ import annotations

import base64
import random
from collections import Counter
from typing import Any

import attrs
import orjson

from feedback_core.cli.local import LocalPlatform

__all__ = ["DemoSummary", "run_demo"]

_NAMES = ["Ana Silva", "Bo Li", "José Núñez", "Kim Park", "Zoë Adams", "Omar Haddad"]
_MESSAGES = [
    "Checkout was quick and the staff were lovely.",
    "The app crashed twice 😞 but support helped.",
    "Delivery was late and the box was damaged.",
    "Great value, will order again!",
    "It was fine. Nothing special.",
    "Refund took three weeks. Not happy.",
]


def _event(
    body: str, *, headers: dict[str, str] | None = None, base64_body: bool = False
) -> dict[str, Any]:
    if base64_body:
        return {
            "version": "2.0",
            "routeKey": "POST /feedback",
            "rawPath": "/feedback",
            "headers": {"content-type": "application/json", **(headers or {})},
            "requestContext": {
                "http": {"method": "POST", "path": "/feedback"},
                "requestId": "demo",
            },
            "body": base64.b64encode(body.encode()).decode(),
            "isBase64Encoded": True,
        }
    return {
        "resource": "/feedback",
        "path": "/feedback",
        "httpMethod": "POST",
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "requestContext": {"requestId": "demo", "identity": {"sourceIp": "127.0.0.1"}},
        "body": body,
        "isBase64Encoded": False,
    }


def feedback_requests(count: int, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """Generate ``count`` labelled feedback requests: mostly valid, some broken, some retried."""
    requests: list[tuple[str, dict[str, Any]]] = []
    while len(requests) < count:
        body: dict[str, object] = {
            "name": rng.choice(_NAMES),
            "email": f"user{len(requests)}@example.com",
            "rating": rng.randint(1, 5),
            "message": rng.choice(_MESSAGES),
        }
        kind = rng.choices(
            [
                "valid",
                "retried",
                "bad-fields",
                "float-rating",
                "not-json",
                "wrong-type",
                "too-large",
            ],
            weights=[60, 10, 12, 5, 5, 4, 4],
        )[0]
        if kind == "bad-fields":
            body["email"] = "not-an-address"
            body["rating"] = rng.choice([0, 6, True])
        if kind == "float-rating":
            body["rating"] = 4.5
        text = orjson.dumps(body).decode()
        if kind == "not-json":
            text = text[:-3]
        if kind == "too-large":
            body["message"] = "x" * 70_000
            text = orjson.dumps(body).decode()
        headers = {"Content-Type": "text/plain"} if kind == "wrong-type" else {}
        if kind == "retried":
            headers["Idempotency-Key"] = f"demo-retry-{len(requests):06d}"
            event = _event(text, headers=headers, base64_body=rng.random() < 0.5)
            requests += [("retried", event), ("retry", _event(text, headers=headers))]
            continue
        requests.append((kind, _event(text, headers=headers, base64_body=rng.random() < 0.3)))
    return requests[:count]


@attrs.frozen(kw_only=True)
class DemoSummary:
    """What the demo did and found."""

    sent: int
    accepted: int
    replayed: int
    rejected: dict[str, int]
    server_errors: int
    items_stored: int
    sentiment: dict[str, int]

    def lines(self) -> list[str]:
        """The summary as printable lines."""
        out = [
            "feedback-core demo: POST /feedback on an embedded AWS (moto), no network",
            f"  requests sent                  {self.sent:6d}",
            f"  accepted (201)                 {self.accepted:6d}",
            f"  replayed retries (201)         {self.replayed:6d}",
            f"  rejected                       {sum(self.rejected.values()):6d}",
        ]
        out += [f"    {reason:<28} {n:6d}" for reason, n in sorted(self.rejected.items())]
        out += [
            f"  server errors (5xx)            {self.server_errors:6d}",
            f"  items in the feedback table    {self.items_stored:6d}"
            + ("  (= accepted)" if self.items_stored == self.accepted else "  (MISMATCH)"),
            "  sentiment of stored feedback (offline analyzer)",
        ]
        total = sum(self.sentiment.values()) or 1
        out += [
            f"    {label:<28} {n:6d}  {100 * n / total:5.1f} %"
            for label, n in sorted(self.sentiment.items(), key=lambda kv: -kv[1])
        ]
        return out


def _reason(status: int, body: dict[str, Any]) -> str:
    if status == 400 and body.get("errors"):
        codes = sorted({str(e["code"]) for e in body["errors"]})
        return f"400 {'+'.join(codes)}"
    return f"{status} {str(body.get('type', '')).rsplit(':', 1)[-1]}"


def run_demo(*, requests: int = 300, seed: int = 7, log_level: str | None = None) -> DemoSummary:
    """Deploy, drive and summarize; see the module docstring."""
    rng = random.Random(seed)  # noqa: S311  # a seeded workload, not cryptography
    with LocalPlatform(log_level=log_level) as platform:
        submit = platform.handler("feedback-submit-local")
        outcomes: Counter[str] = Counter()
        rejected: Counter[str] = Counter()
        seen_ids: set[str] = set()
        for _, event in feedback_requests(requests, rng):
            response = submit(event)
            status = int(response["statusCode"])
            body = orjson.loads(response["body"])
            if status == 201:
                # A retry answered with an id already seen is a replay, as the client sees it.
                replayed = body["feedbackId"] in seen_ids
                seen_ids.add(body["feedbackId"])
                outcomes["replayed" if replayed else "accepted"] += 1
            elif status >= 500:
                outcomes["server_errors"] += 1
            else:
                rejected[_reason(status, body)] += 1
        import boto3  # noqa: PLC0415  # from the [local] extra, inside the emulator

        table = platform.outputs["FeedbackTableName"]
        labels: Counter[str] = Counter()
        items = 0
        for page in boto3.client("dynamodb").get_paginator("scan").paginate(TableName=table):
            items += page["Count"]
            labels.update(item["sentiment"]["S"] for item in page["Items"] if "sentiment" in item)
    return DemoSummary(
        sent=requests,
        accepted=outcomes["accepted"],
        replayed=outcomes["replayed"],
        rejected=dict(rejected),
        server_errors=outcomes["server_errors"],
        items_stored=items,
        sentiment=dict(labels),
    )
