"""In-memory reports adapters with the AWS adapters' semantics, for tests and local runs.

Examples:
    >>> store = InMemoryObjectStore()
    >>> store.put("reports/a.json", b"{}", content_type="application/json")
    >>> list(store.keys("reports/")), store.get("reports/b.json")
    (['reports/a.json'], None)
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from feedback_core.reports.model import Response

__all__ = ["InMemoryNotifier", "InMemoryObjectStore", "InMemoryResponseSource", "Notification"]


class InMemoryResponseSource:
    """Responses held in a list, read as the ``bySurveyDay`` index would serve them.

    Args:
        responses: The stored responses.
    """

    def __init__(self, responses: Iterable[Response] = ()) -> None:
        """Hold ``responses``."""
        self._responses = list(responses)
        self.items_read = 0

    def add(self, response: Response) -> None:
        """Store one more response."""
        self._responses.append(response)

    def responses(self, survey_id: str, *, start: str, end: str) -> Iterator[Response]:
        """Yield the survey's responses with ``start <= submittedAt < end``, oldest first."""
        chosen = sorted(
            (r for r in self._responses if r.survey_id == survey_id),
            key=lambda r: r.submitted_at,
        )
        for response in chosen:
            # The same string comparison as the index's BETWEEN on the sort key.
            if start <= response.submitted_at <= end:
                self.items_read += 1
                yield response


class InMemoryObjectStore:
    """Objects in a dict; ``link`` returns a ``memory://`` URL."""

    def __init__(self) -> None:
        """Start empty."""
        self._lock = threading.Lock()
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, body: bytes, *, content_type: str) -> None:
        """Store ``body`` at ``key``."""
        with self._lock:
            self.objects[key] = (body, content_type)

    def get(self, key: str) -> bytes | None:
        """Return the object at ``key``, or ``None``."""
        with self._lock:
            found = self.objects.get(key)
        return None if found is None else found[0]

    def keys(self, prefix: str) -> Iterator[str]:
        """Yield the keys under ``prefix`` in key order."""
        with self._lock:
            chosen = sorted(k for k in self.objects if k.startswith(prefix))
        yield from chosen

    def link(self, key: str, *, expires_in: int) -> str:
        """Return ``memory://<key>?expires_in=<seconds>``."""
        return f"memory://{key}?expires_in={expires_in}"


@attrs.frozen(kw_only=True)
class Notification:
    """One notification sent."""

    subject: str
    message: str


class InMemoryNotifier:
    """Keeps the notifications it is asked to send, in order."""

    def __init__(self) -> None:
        """Start with none sent."""
        self.sent: list[Notification] = []

    def publish(self, *, subject: str, message: str) -> None:
        """Record one notification."""
        self.sent.append(Notification(subject=subject, message=message))
