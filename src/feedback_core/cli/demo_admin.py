"""The demo's administrators' step: list every feedback page by page, check health, erase one.

On a :class:`~feedback_core.cli.local.LocalPlatform` with the feedback API deployed and holding
the demo's feedback, :func:`run_admin_demo`:

1. sends a few feedback for one customer through ``POST /feedback`` (the generated traffic
   carries no customer ids);
2. reads ``GET /feedback`` page by page, following ``nextCursor``, and checks the pages against
   the table: every item exactly once, newest first, no e-mail address; a tampered cursor is a
   400;
3. calls ``GET /health`` (200, every table ok);
4. erases the customer with ``DELETE /customers/{customerId}/feedback``, checks the count, that
   none of their items is left, that a repeat erases nothing, and that the listing shrank.
"""

from __future__ import annotations

import itertools
import random
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from feedback_core.cli.demo_summary import Check

if TYPE_CHECKING:
    from feedback_core.cli.local import Handler, LocalPlatform

__all__ = ["AdminDemoSummary", "run_admin_demo"]

PAGE_SIZE = 25
"""Entries per ``GET /feedback`` page in the demo."""

CUSTOMER_FEEDBACK = 3
"""Feedback the demo's customer sends before being erased."""

HEALTH_TABLES = 4
"""The tables the stack's health check probes (feedback, votes, survey responses, counters)."""


@attrs.frozen(kw_only=True)
class AdminDemoSummary:
    """What the administrators' step found.

    Attributes:
        checks: Each answer checked against the table.
        notes: What was done, as printable lines.
        server_errors: 5xx answers of the admin routes and the health check.
    """

    checks: tuple[Check, ...]
    notes: tuple[str, ...] = ()
    server_errors: int = 0

    @property
    def ok(self) -> bool:
        """No 5xx, and every check holds."""
        return self.server_errors == 0 and all(check.holds for check in self.checks)

    def lines(self) -> list[str]:
        """The step's part of the summary."""
        out = ["", "ADMIN: GET /feedback page by page, GET /health, erasure of one customer"]
        out += list(self.notes)
        if self.server_errors:
            out.append(f"  {'server errors (5xx)':<30} {self.server_errors:6d}")
        return out + [check.line() for check in self.checks]


def _event(method: str, resource: str, *, path: dict[str, str] | None = None, **more: Any) -> Any:
    """A REST API (v1) proxy event, as an IAM-signed administrator's request arrives."""
    return {
        "resource": resource,
        "path": resource.format(**(path or {})),
        "httpMethod": method,
        "headers": {"Content-Type": "application/json"} if "body" in more else {},
        "pathParameters": path,
        "requestContext": {"requestId": "demo-admin", "httpMethod": method},
        "body": None,
        "isBase64Encoded": False,
        **more,
    }


@attrs.define
class _Client:
    """Calls handlers and keeps their answers' statuses."""

    statuses: list[int] = attrs.field(factory=list)

    def call(self, handler: Handler, event: dict[str, Any]) -> tuple[int, Any]:
        response = handler(event)
        status = int(response["statusCode"])
        self.statuses.append(status)
        return status, orjson.loads(response["body"]) if response.get("body") else None


def _list_all(client: _Client, handler: Handler) -> tuple[list[dict[str, Any]], int, str | None]:
    """Every entry, page by page; also the number of pages and the first page's cursor."""
    entries: list[dict[str, Any]] = []
    query = {"limit": str(PAGE_SIZE)}
    pages, first_cursor = 0, None
    while True:
        status, body = client.call(handler, _event("GET", "/feedback", queryStringParameters=query))
        if status != 200:
            return entries, pages, first_cursor
        pages += 1
        entries += body["items"]
        if body["nextCursor"] is None:
            return entries, pages, first_cursor
        first_cursor = first_cursor or body["nextCursor"]
        query = {"limit": str(PAGE_SIZE), "cursor": body["nextCursor"]}


def _table_ids(table: str) -> list[tuple[str, str | None]]:
    """(feedbackId, customerId) of every item: the demo's ground truth, read with a Scan."""
    import boto3  # from the [local] extra, inside the emulator

    pages = boto3.client("dynamodb").get_paginator("scan").paginate(TableName=table)
    return [
        (item["feedbackId"]["S"], item.get("customerId", {}).get("S"))
        for page in pages
        for item in page["Items"]
    ]


def run_admin_demo(platform: LocalPlatform, *, seed: int) -> AdminDemoSummary:
    """Run the administrators' step (see the module docstring) and check every answer.

    Args:
        platform: An entered platform with the feedback API stack deployed.
        seed: Seeds the demo customer's feedback.
    """
    rng = random.Random(seed)  # noqa: S311  # a seeded demo, not cryptography
    suffix, table = platform.suffix, platform.outputs["FeedbackTableName"]
    client = _Client()
    customer = f"demo-customer-{seed}"
    post = platform.handler(f"feedback-submit-{suffix}")
    for n in range(CUSTOMER_FEEDBACK):
        body: dict[str, object] = {"name": "Demo Customer", "email": f"c{n}@example.com"}
        body |= {"message": "Hi", "rating": rng.randint(1, 5), "customerId": customer}
        client.call(post, _event("POST", "/feedback", body=orjson.dumps(body).decode()))

    listing = platform.handler(f"feedback-list-{suffix}")
    stored = _table_ids(table)
    entries, pages, cursor = _list_all(client, listing)
    listed = [entry["feedbackId"] for entry in entries]
    times = [entry["createdAt"] for entry in entries]
    tampered = (cursor or "x.y")[:-1] + ("A" if (cursor or "")[-1:] != "A" else "B")
    query = {"cursor": tampered}
    tampered_status, _ = client.call(
        listing, _event("GET", "/feedback", queryStringParameters=query)
    )

    health_status, health = client.call(
        platform.handler(f"feedback-health-{suffix}"), _event("GET", "/health")
    )
    checks_ok = sum(state == "ok" for state in (health or {}).get("checks", {}).values())

    erase = platform.handler(f"feedback-erase-{suffix}")
    resource = "/customers/{customerId}/feedback"
    erase_event = _event("DELETE", resource, path={"customerId": customer})
    _, first = client.call(erase, erase_event)
    _, repeat = client.call(erase, erase_event)
    left = [i for i, owner in _table_ids(table) if owner == customer]
    after, _, _ = _list_all(client, listing)

    checks = (
        Check(
            what="feedback listed",
            found=len(listed),
            expected=len(stored),
            because="items in the table",
        ),
        Check(
            what="listed twice",
            found=len(listed) - len(set(listed)),
            expected=0,
            because="each once",
        ),
        Check(
            what="not in the table",
            found=len(set(listed) - {i for i, _ in stored}),
            expected=0,
            because="none",
        ),
        Check(
            what="newer after older",
            found=sum(a < b for a, b in itertools.pairwise(times)),
            expected=0,
            because="newest first",
        ),
        Check(
            what="e-mail addresses shown",
            found=sum("email" in e for e in entries),
            expected=0,
            because="LIST_INCLUDE_EMAIL false",
        ),
        Check(what="tampered cursor status", found=tampered_status, expected=400, because="a 400"),
        Check(what="health status", found=health_status, expected=200, because="200"),
        Check(
            what="dependencies ok",
            found=checks_ok,
            expected=HEALTH_TABLES,
            because="the stack's tables",
        ),
        Check(
            what="records erased",
            found=int((first or {}).get("erased", -1)),
            expected=CUSTOMER_FEEDBACK,
            because="the customer's feedback",
        ),
        Check(what="customer's records left", found=len(left), expected=0, because="none"),
        Check(
            what="erased again",
            found=int((repeat or {}).get("erased", -1)),
            expected=0,
            because="idempotent",
        ),
        Check(
            what="listed after erasure",
            found=len(after),
            expected=len(stored) - CUSTOMER_FEEDBACK,
            because="listed before, less erased",
        ),
    )
    notes = (
        f"  {'pages of ' + str(PAGE_SIZE):<30} {pages:6d}",
        f"  {'customer erased':<30} {customer}",
    )
    server_errors = sum(status >= 500 for status in client.statuses)
    return AdminDemoSummary(checks=checks, notes=notes, server_errors=server_errors)
