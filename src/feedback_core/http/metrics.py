"""Business figures as CloudWatch embedded metric format (EMF) lines: submissions, votes, sentiment.

A handler built with ``api_handler(..., metrics=...)`` writes one JSON line to standard output
for each submission it accepts; Lambda passes its output to CloudWatch Logs, which turns the
line into metrics (no ``PutMetricData`` call, no extra dependency, no time spent). A replay
(the same ``Idempotency-Key`` again) is not counted twice. The line names no person and holds no
text: a kind, a sentiment label and counts.

=================================  ==============================  ============================
Metric (namespace ``FeedbackCore``)  Dimensions                      Counted
=================================  ==============================  ============================
``Submissions``                    ``Service``, ``Kind``            each new feedback (``Kind``
                                                                    ``feedback``) and survey
                                                                    response (``survey-response``)
``Votes``                          ``Service``                      each new vote
``VoteChanges``                    ``Service``                      each changed vote (replace)
``FeedbackBySentiment``            ``Service``, ``Sentiment``       each new feedback, by label
=================================  ==============================  ============================

Examples:
    >>> from feedback_core.dedup.policies import Status
    >>> from feedback_core.usecases import FeedbackReceipt, Submitted
    >>> receipt = FeedbackReceipt(feedback_id="f-1", created_at="2026-11-22T10:00:00Z",
    ...                           sentiment="positive")
    >>> lines = []
    >>> metrics = BusinessMetrics(service="feedback-api-dev", write=lines.append, clock=lambda: 0)
    >>> metrics.record(Submitted(status=Status.CREATED, replayed=False, record=receipt))
    >>> import json; document = json.loads(lines[0])
    >>> document["Kind"], document["Sentiment"], document["Submissions"]
    ('feedback', 'positive', 1)
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, ClassVar, Final, Self

import attrs
import orjson

from feedback_core import config as env
from feedback_core.dedup.policies import Status
from feedback_core.usecases.outcomes import FeedbackReceipt, ResponseReceipt, StoredVote, Submitted

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["NAMESPACE", "BusinessMetrics", "MetricsConfig", "figures"]

NAMESPACE: Final = "FeedbackCore"
"""The CloudWatch namespace of the business figures."""


def _stdout(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def figures(outcome: object) -> dict[str, tuple[int, dict[str, str]]]:
    """The counts an outcome adds, by metric name, each with its own dimensions (not Service).

    Examples:
        >>> from feedback_core.usecases import ResponseReceipt
        >>> receipt = ResponseReceipt(survey_id="s", response_id="r", submitted_at="2026-11-22")
        >>> figures(Submitted(status=Status.CREATED, replayed=True, record=receipt))
        {}
    """
    if not isinstance(outcome, Submitted) or outcome.replayed:
        return {}
    record = outcome.record
    if isinstance(record, StoredVote):
        name = {Status.CREATED: "Votes", Status.CHANGED: "VoteChanges"}.get(outcome.status)
        return {name: (1, {})} if name else {}
    if outcome.status is not Status.CREATED:
        return {}
    if isinstance(record, FeedbackReceipt):
        found = {"Submissions": (1, {"Kind": "feedback"})}
        if record.sentiment is not None:
            found["FeedbackBySentiment"] = (1, {"Sentiment": record.sentiment})
        return found
    if isinstance(record, ResponseReceipt):
        return {"Submissions": (1, {"Kind": "survey-response"})}
    return {}


@attrs.frozen(kw_only=True)
class BusinessMetrics:
    """Writes the business figures of each outcome as one EMF line.

    Args:
        service: The ``Service`` dimension: the stack's API (e.g. ``feedback-api-prod``).
        namespace: The CloudWatch namespace; :data:`NAMESPACE` by default.
        write: Where lines go; standard output (what Lambda sends to CloudWatch Logs).
        clock: Seconds since the epoch, for the line's timestamp.
    """

    service: str
    namespace: str = NAMESPACE
    write: Callable[[str], None] = attrs.field(default=_stdout, eq=False, repr=False)
    clock: Callable[[], float] = attrs.field(default=time.time, eq=False, repr=False)

    def line(self, outcome: object) -> str | None:
        """The EMF line for ``outcome``, or ``None`` when it adds nothing (a replay, a read)."""
        found = figures(outcome)
        if not found:
            return None
        document: dict[str, object] = {"Service": self.service}
        directives = []
        for name, (count, dimensions) in found.items():
            document.update(dimensions)
            document[name] = count
            directives.append(
                {
                    "Namespace": self.namespace,
                    "Dimensions": [["Service", *dimensions]],
                    "Metrics": [{"Name": name, "Unit": "Count"}],
                }
            )
        timestamp = int(self.clock() * 1000)
        document["_aws"] = {"Timestamp": timestamp, "CloudWatchMetrics": directives}
        return orjson.dumps(document).decode()

    def record(self, outcome: object) -> None:
        """Write the line for ``outcome``, if it adds anything."""
        line = self.line(outcome)
        if line is not None:
            self.write(line)


@attrs.frozen(kw_only=True)
class MetricsConfig:
    """Whether a handler writes business figures.

    ===================  ==================================================================
    Variable             Meaning
    ===================  ==================================================================
    ``METRICS_SERVICE``  The ``Service`` dimension of the figures (the templates set
                         ``feedback-api-<suffix>``). Unset: no figures are written.
    ===================  ==================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ()
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ("METRICS_SERVICE",)

    service: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read ``METRICS_SERVICE`` (optional)."""
        return cls(service=env.optional(environ, "METRICS_SERVICE"))

    def metrics(self) -> BusinessMetrics | None:
        """The writer a handler passes to ``api_handler``; ``None`` when no service is set."""
        return BusinessMetrics(service=self.service) if self.service else None
