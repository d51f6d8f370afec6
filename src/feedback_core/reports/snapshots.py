"""Poll result snapshots: where each is stored and which one is nearest a time (pure).

One object per poll and time: ``snapshots/polls/<pollId>/YYYY/MM/DD/HHMMSSZ.json``, the
poll's read model (:class:`~feedback_core.aggregate.PollResults`) as JSON with the time it was
taken. The day in the key lets :func:`nearest_snapshot_key` list only the days around a time.

Examples:
    >>> snapshot_key("p1", datetime(2026, 11, 22, 10, 15, tzinfo=UTC))
    'snapshots/polls/p1/2026/11/22/101500Z.json'
    >>> snapshot_time('snapshots/polls/p1/2026/11/22/101500Z.json')
    datetime.datetime(2026, 11, 22, 10, 15, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "SNAPSHOT_PREFIX",
    "nearest",
    "snapshot_day_prefixes",
    "snapshot_key",
    "snapshot_time",
]

SNAPSHOT_PREFIX: Final = "snapshots/polls/"


def snapshot_key(poll_id: str, taken_at: datetime) -> str:
    """The object key of ``poll_id``'s snapshot taken at ``taken_at`` (to the second, UTC)."""
    return f"{SNAPSHOT_PREFIX}{poll_id}/{taken_at.astimezone(UTC):%Y/%m/%d/%H%M%SZ}.json"


def snapshot_time(key: str) -> datetime | None:
    """The time in a snapshot key, or ``None`` for a key of another shape."""
    try:
        stamp = "/".join(key.removesuffix(".json").split("/")[-4:])
        return datetime.strptime(stamp, "%Y/%m/%d/%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def snapshot_day_prefixes(poll_id: str, at: datetime) -> tuple[str, ...]:
    """The key prefixes of the day of ``at`` and the days either side (where a nearest is)."""
    days = (at.astimezone(UTC) + timedelta(days=offset) for offset in (-1, 0, 1))
    return tuple(f"{SNAPSHOT_PREFIX}{poll_id}/{day:%Y/%m/%d}/" for day in days)


def nearest(keys: Iterable[str], at: datetime) -> str | None:
    """The key whose time is nearest ``at`` (the earlier one on a tie), or ``None``."""
    best: tuple[timedelta, datetime, str] | None = None
    for key in keys:
        taken = snapshot_time(key)
        if taken is None:
            continue
        candidate = (abs(taken - at), taken, key)
        if best is None or candidate < best:
            best = candidate
    return None if best is None else best[2]
