"""``feedback-core erase --customer-id ... --table ...`` on moto."""

from __future__ import annotations

from typing import Any

import boto3
import orjson
import pytest

from feedback_core.attributes import to_item
from feedback_core.cli.main import main
from tests.feedback_tables import create_feedback_table


@pytest.fixture
def table(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_feedback_table(client, "fb")
    for n, customer in enumerate(["c-1", "c-2", "c-1"]):
        item = {"feedbackId": f"f{n}", "createdAt": f"2026-11-22T10:0{n}:00Z", "feed": "all"}
        client.put_item(TableName="fb", Item=to_item({**item, "customerId": customer}))
    return client


def test_erase_deletes_the_customers_feedback_and_prints_the_count(
    table: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0 and {"customerId": "c-1", "erased": 2}; c-2's record stays."""
    status = main(["erase", "--customer-id", "c-1", "--table", "fb"])
    printed = orjson.loads(capsys.readouterr().out)
    remaining = [i["feedbackId"]["S"] for i in table.scan(TableName="fb")["Items"]]
    assert (0, {"customerId": "c-1", "erased": 2}, ["f1"]) == (status, printed, remaining)


def test_erase_again_erases_nothing(table: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """The command is idempotent: the second run reports 0."""
    main(["erase", "--customer-id", "c-1", "--table", "fb"])
    capsys.readouterr()
    main(["erase", "--customer-id", "c-1", "--table", "fb"])
    assert {"customerId": "c-1", "erased": 0} == orjson.loads(capsys.readouterr().out)


def test_erase_refuses_a_malformed_customer_id(
    table: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """An id outside the id rule exits 2 and deletes nothing."""
    status = main(["erase", "--customer-id", "c 1", "--table", "fb"])
    assert (2, 3) == (status, len(table.scan(TableName="fb")["Items"]))
    assert "customerId" in capsys.readouterr().out


def test_erase_on_a_missing_table_exits_1(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    """An AWS failure is reported, exit 1, no traceback."""
    assert 1 == main(["erase", "--customer-id", "c-1", "--table", "missing"])
    assert "Query failed" in capsys.readouterr().out
