"""A probe whose answer a test sets: for health checks without AWS."""

from __future__ import annotations

from feedback_core.health.ports import ProbeResult

__all__ = ["StaticProbe"]


class StaticProbe:
    """A :class:`~feedback_core.health.ports.Probe` that answers what it is told.

    Examples:
        >>> probe = StaticProbe(name="feedback")
        >>> probe.probe().ok
        True
        >>> probe.ok = False
        >>> probe.probe()
        ProbeResult(name='feedback', ok=False, reason='down')
    """

    def __init__(self, *, name: str, ok: bool = True) -> None:
        """Answer ``ok`` until told otherwise."""
        self._name = name
        self.ok = ok
        self.calls = 0

    @property
    def name(self) -> str:
        """The dependency's label."""
        return self._name

    def probe(self) -> ProbeResult:
        """Return the set answer (and count the call)."""
        self.calls += 1
        return ProbeResult(name=self._name, ok=self.ok, reason="" if self.ok else "down")
