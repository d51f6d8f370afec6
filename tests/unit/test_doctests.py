"""The examples in docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import feedback_core


def _modules() -> list[str]:
    found = pkgutil.walk_packages(feedback_core.__path__, prefix="feedback_core.")
    return sorted([feedback_core.__name__, *(i.name for i in found if ".cli" not in i.name)])


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name: str) -> None:
    """Every ``>>>`` example in the module's docstrings gives the output shown."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
