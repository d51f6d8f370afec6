"""The health probe port: one cheap question to one dependency, "do you answer?"."""

from __future__ import annotations

from typing import Protocol

import attrs

__all__ = ["Probe", "ProbeResult"]


@attrs.frozen(kw_only=True)
class ProbeResult:
    """What one probe found.

    Attributes:
        name: The dependency, as the health report names it (a label, not a resource name).
        ok: Whether it answered, and is usable.
        reason: Why not (an AWS error code or a state), for logs; never shown to clients.
    """

    name: str
    ok: bool
    reason: str = ""


class Probe(Protocol):
    """Asks one dependency whether it answers; never raises for the dependency's failure."""

    @property
    def name(self) -> str:
        """The dependency's label in the report."""
        ...

    def probe(self) -> ProbeResult:
        """Ask once, within the probe's own short timeout."""
        ...
