"""Lazy re-exports for packages whose modules are costly to import (PEP 562).

A package lists where each public name lives; the module is imported on the first access to a
name, so ``import feedback_core.<package>`` stays cheap on a Lambda cold start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, MutableMapping


def lazy_exports(
    package: str, homes: Mapping[str, tuple[str, ...]], namespace: MutableMapping[str, object]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` for names defined in its modules.

    Args:
        package: The package's ``__name__``.
        homes: Module name (relative to the package) to the public names it defines.
        namespace: The package's ``globals()``; a loaded name is stored there, so later
            accesses skip ``__getattr__``.
    """
    module_of = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> object:  # noqa: N807  # the module-level hook's own name
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807  # likewise
        return sorted(module_of)

    return __getattr__, __dir__
