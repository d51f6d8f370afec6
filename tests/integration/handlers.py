"""Helpers for calling reference handlers the way Lambda does, against moto."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

import orjson

from feedback_core.testing.lambda_context import FakeLambdaContext


def load_handler(name: str) -> ModuleType:
    """Import ``reference_handlers.<name>`` afresh, as a cold start would (env read at import)."""
    module_name = f"reference_handlers.{name}"
    sys.modules.pop(module_name, None)
    return importlib.import_module(module_name)


def invoke(module: ModuleType, event: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    """Call the module's handler; return status, headers and the parsed JSON body."""
    response = module.handler(event, FakeLambdaContext(function_name=module.__name__))
    body = orjson.loads(response["body"]) if response.get("body") else None
    return response["statusCode"], response["headers"], body


def create_table(client: Any, name: str, keys: list[tuple[str, str]], **extra: Any) -> None:
    """Create an on-demand table with the given (attribute, HASH|RANGE) string keys."""
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a, _ in keys],
        KeySchema=[{"AttributeName": a, "KeyType": t} for a, t in keys],
        **extra,
    )
