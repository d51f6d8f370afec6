"""What ``feedback-core demo`` reports: a check per table or answer, and a summary per route.

Each :class:`Check` compares what the answers imply with what was found; the command exits 0
only when every check of every section and step holds and no request got a 5xx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import attrs
import orjson

from feedback_core.ingest.problems import dumps
from feedback_core.usecases.results import ResultsService

if TYPE_CHECKING:
    from feedback_core.aggregate.ports import Projection
    from feedback_core.cli.local import StreamDelivery
    from feedback_core.usecases.outcomes import JsonReadModel

__all__ = [
    "Check",
    "DemoStep",
    "DemoSummary",
    "ResultsSummary",
    "RouteSummary",
    "as_read",
    "recounted",
    "timeless",
]


@attrs.frozen(kw_only=True)
class Check:
    """What the answers say a table must hold, against what it holds.

    Attributes:
        what: What was counted, e.g. "items in the feedback table".
        found: What the demo found (in the table, or by reading back).
        expected: What the answers imply.
        because: Where ``expected`` comes from, e.g. "accepted".
    """

    what: str
    found: int
    expected: int
    because: str

    @property
    def holds(self) -> bool:
        """Whether the table agrees with the answers."""
        return self.found == self.expected

    def line(self) -> str:
        """The check as a printable line."""
        verdict = (
            f"(= {self.because})" if self.holds else f"(MISMATCH: {self.because} {self.expected})"
        )
        return f"  {self.what:<30} {self.found:6d}  {verdict}"


@attrs.frozen(kw_only=True)
class RouteSummary:
    """What one route answered, and what its table holds.

    Attributes:
        title: The route (and the stack's policy, for votes).
        sent: Requests sent.
        counts: Answers by outcome, in print order, e.g. ``{"accepted (201)": 80}``.
        rejected: Other client errors, by status and reason.
        server_errors: 5xx answers.
        checks: The table checked against the answers.
        notes: Further lines to print (tallies, sentiment).
    """

    title: str
    sent: int
    counts: dict[str, int]
    rejected: dict[str, int]
    server_errors: int
    checks: tuple[Check, ...]
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The route's part of the summary."""
        out = ["", self.title, f"  {'requests sent':<30} {self.sent:6d}"]
        out += [f"  {label:<30} {n:6d}" for label, n in self.counts.items()]
        out.append(f"  {'rejected':<30} {sum(self.rejected.values()):6d}")
        out += [f"    {reason:<28} {n:6d}" for reason, n in sorted(self.rejected.items())]
        out.append(f"  {'server errors (5xx)':<30} {self.server_errors:6d}")
        out += [check.line() for check in self.checks]
        out += list(self.notes)
        return out


@attrs.frozen(kw_only=True)
class ResultsSummary:
    """Live results read through a GET route (or the streams' delivery), and their checks.

    Attributes:
        title: What was read.
        checks: The live results checked against a recount from the tables.
        notes: The results, as printable lines.
        server_errors: 5xx answers of the GET route.
        deliveries: For a stream delivery: what each event source mapping delivered.
    """

    title: str
    checks: tuple[Check, ...] = ()
    notes: tuple[str, ...] = ()
    server_errors: int = 0
    deliveries: tuple[StreamDelivery, ...] = ()

    def lines(self) -> list[str]:
        """The section's part of the summary."""
        out = ["", self.title, *self.notes]
        if self.server_errors:
            out.append(f"  {'server errors (5xx)':<30} {self.server_errors:6d}")
        return out + [check.line() for check in self.checks]


class DemoStep(Protocol):
    """A further part of the demo (administration, bundling, backups) that checks itself."""

    @property
    def ok(self) -> bool:
        """Whether every check of the step held."""
        ...

    def lines(self) -> list[str]:
        """The step's part of the printed summary."""
        ...


@attrs.frozen(kw_only=True)
class DemoSummary:
    """What the demo did and found, route by route, then the live results.

    The command exits 0 only when ``server_errors == 0`` and ``items_stored == accepted``:
    every table check and every live result check holds.
    """

    routes: tuple[RouteSummary, ...]
    sentiment: dict[str, int]
    results: tuple[ResultsSummary, ...] = ()
    steps: tuple[DemoStep, ...] = ()

    def result(self, title_start: str) -> ResultsSummary:
        """The live results section whose title starts with ``title_start``."""
        (found,) = [r for r in self.results if r.title.startswith(title_start)]
        return found

    @property
    def _checked(self) -> list[tuple[str, Check]]:
        return [(route.title, check) for route in self.routes for check in route.checks] + [
            (section.title, check) for section in self.results for check in section.checks
        ]

    def route(self, title_start: str) -> RouteSummary:
        """The route whose title starts with ``title_start``."""
        (found,) = [r for r in self.routes if r.title.startswith(title_start)]
        return found

    @property
    def server_errors(self) -> int:
        """5xx answers on every route, the GET routes of the live results included."""
        return sum(route.server_errors for route in self.routes) + sum(
            section.server_errors for section in self.results
        )

    @property
    def accepted(self) -> dict[str, int]:
        """By section and check: what the answers (or the tables) say must be found."""
        return {f"{title}: {check.what}": check.expected for title, check in self._checked}

    @property
    def items_stored(self) -> dict[str, int]:
        """By section and check: what was found; equals :attr:`accepted` when all hold."""
        return {f"{title}: {check.what}": check.found for title, check in self._checked}

    @property
    def ok(self) -> bool:
        """No 5xx, every table agrees with the answers, and every further step holds."""
        steps_hold = all(step.ok for step in self.steps)
        return self.server_errors == 0 and self.items_stored == self.accepted and steps_hold

    def lines(self) -> list[str]:
        """The summary as printable lines."""
        out = ["feedback-core demo: the feedback API on an embedded AWS (moto), no network"]
        for route in self.routes:
            out += route.lines()
        if self.results:
            out += ["", "LIVE RESULTS: the tables' streams, folded exactly once, read by GET"]
        for section in self.results:
            out += section.lines()
        for step in self.steps:
            out += step.lines()
        return out


_RECOUNT_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/recount/stream/demo"


def recounted(projection: Projection, items: list[dict[str, Any]]) -> ResultsService:
    """The read side over counters recounted by the library from the table's items.

    Every item goes through the library's own stream aggregator as an INSERT into an in-memory
    counter store, then the same read model the GET routes use reads them back: what the live
    counters must equal once every stream record has landed exactly once.
    """
    from feedback_core.aggregate import StreamAggregator
    from feedback_core.testing import InMemoryCounterStore

    store = InMemoryCounterStore()
    aggregator = StreamAggregator(projection=projection, store=store)
    for start in range(0, len(items), 100):
        records = [
            {
                "eventName": "INSERT",
                "eventSourceARN": _RECOUNT_ARN,
                "dynamodb": {
                    "SequenceNumber": f"{start + n + 1:021d}",
                    "ApproximateCreationDateTime": 0,
                    "NewImage": item,
                },
            }
            for n, item in enumerate(items[start : start + 100])
        ]
        aggregator.handle({"Records": records})
    return ResultsService(
        store=store,
        nps_questions=frozenset({"recommend"}),
        csat_questions=frozenset({"satisfaction"}),
    )


def timeless(body: object) -> object:
    """A JSON body without ``updatedAt`` (the recount's records carry no stream time)."""
    if isinstance(body, dict):
        return {k: timeless(v) for k, v in body.items() if k != "updatedAt"}
    if isinstance(body, list):
        return [timeless(v) for v in body]
    return body


def as_read(model: JsonReadModel) -> object:
    """A read model as a client reads it: through JSON."""
    return timeless(orjson.loads(dumps(dict(model.to_json()))))
