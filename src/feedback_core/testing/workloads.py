"""Seeded random INSERT / MODIFY / REMOVE workloads over the built-in item shapes.

For property tests of stream processing: :func:`run_workload` applies random operations on
votes, feedback or survey responses to a :class:`~feedback_core.testing.stream.StreamSimulator`
(casting, changing and withdrawing votes; sentiment landing on feedback; edited answers; Time
to Live expiries; changes that alter nothing a projection counts), optionally delivering to a
handler between operations, so retried batches find new records behind them.

Examples:
    >>> import random
    >>> from feedback_core.testing.stream import StreamSimulator
    >>> sim = StreamSimulator(key=KEYS["votes"], seed=3)
    >>> run_workload(sim, random.Random(3), family="votes", operations=20)
    >>> sim.pending() > 0
    True
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import random

    from feedback_core.attributes import Value
    from feedback_core.testing.stream import StreamHandler, StreamSimulator

__all__ = ["FAMILIES", "KEYS", "Family", "run_workload"]

Family = Literal["votes", "feedback", "surveys"]
FAMILIES: tuple[Family, ...] = ("votes", "feedback", "surveys")
KEYS: dict[Family, tuple[str, ...]] = {
    "votes": ("pollId", "userId"),
    "feedback": ("feedbackId",),
    "surveys": ("surveyId", "responseId"),
}
"""The source table key of each family (see the item shapes in the docs)."""

_CHOICES = ("red", "green", "blue", "yellow")
_LABELS = ("positive", "neutral", "negative", "mixed")
_DAYS = ("2026-11-20", "2026-11-21", "2026-11-22")


def _stamp(sim: StreamSimulator, rng: random.Random) -> str:
    return f"{rng.choice(_DAYS)}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z"


def _vote_op(sim: StreamSimulator, rng: random.Random) -> None:
    key: dict[str, Value] = {
        "pollId": f"poll-{rng.randrange(3)}",
        "userId": f"u{rng.randrange(12)}",
    }
    current = next((i for i in sim.items() if all(i[k] == v for k, v in key.items())), None)
    roll = rng.random()
    if current is None or roll < 0.35:
        sim.put({**key, "choice": rng.choice(_CHOICES), "votedAt": _stamp(sim, rng), "revision": 1})
    elif roll < 0.6:
        revision = current.get("revision")
        sim.update(
            key,
            {
                "choice": rng.choice(_CHOICES),
                "previousChoice": current.get("choice"),
                "revision": (revision if isinstance(revision, int) else 0) + 1,
            },
        )
    elif roll < 0.7:
        sim.update(key, {"changedAt": _stamp(sim, rng)})  # counts nothing new
    elif roll < 0.9:
        sim.delete(key)
    else:
        sim.expire(key)


def _feedback_op(sim: StreamSimulator, rng: random.Random) -> None:
    key: dict[str, Value] = {"feedbackId": f"f{rng.randrange(25)}"}
    exists = any(i["feedbackId"] == key["feedbackId"] for i in sim.items())
    roll = rng.random()
    if not exists or roll < 0.3:
        item: dict[str, Value] = {
            **key,
            "name": "Ada",
            "email": "ada@example.com",
            "rating": rng.randint(1, 5),
            "message": rng.choice(("great", "slow app", "ok I guess")),
            "createdAt": _stamp(sim, rng),
        }
        if rng.random() < 0.4:
            item["sentiment"] = rng.choice(_LABELS)
        sim.put(item)
    elif roll < 0.55:
        sim.update(
            key,
            {
                "sentiment": rng.choice(_LABELS),
                "sentimentScores": {label: Decimal(rng.randrange(100)) / 100 for label in _LABELS},
                "sentimentSource": "lexicon",
            },
        )
    elif roll < 0.7:
        sim.update(key, {"rating": rng.randint(1, 5)})
    elif roll < 0.9:
        sim.delete(key)
    else:
        sim.expire(key)


def _answers(rng: random.Random) -> dict[str, Value]:
    answers: dict[str, Value] = {}
    if rng.random() < 0.9:
        answers["nps"] = rng.randint(0, 10)
    if rng.random() < 0.8:
        answers["plan"] = rng.choice(("free", "pro", "team"))
    if rng.random() < 0.7:
        answers["recommend"] = rng.random() < 0.5
    if rng.random() < 0.6:
        answers["features"] = rng.sample(["export", "api", "sso", "themes"], rng.randint(0, 3))
    if rng.random() < 0.3:
        answers["comment"] = "x" * rng.choice((5, 150))
    if rng.random() < 0.3:
        answers["score"] = Decimal(rng.randint(0, 50)) / 10
    return answers


def _survey_op(sim: StreamSimulator, rng: random.Random) -> None:
    key: dict[str, Value] = {
        "surveyId": f"s{rng.randrange(2)}",
        "responseId": f"r{rng.randrange(15)}",
    }
    exists = any(all(i[k] == v for k, v in key.items()) for i in sim.items())
    roll = rng.random()
    if not exists or roll < 0.35:
        sim.put({**key, "answers": _answers(rng), "submittedAt": _stamp(sim, rng)})
    elif roll < 0.65:
        sim.update(key, {"answers": _answers(rng)})
    elif roll < 0.9:
        sim.delete(key)
    else:
        sim.expire(key)


_OPERATIONS = {"votes": _vote_op, "feedback": _feedback_op, "surveys": _survey_op}


def run_workload(
    sim: StreamSimulator,
    rng: random.Random,
    *,
    family: Family,
    operations: int,
    handler: StreamHandler | None = None,
    deliver_every: float = 0.3,
) -> None:
    """Apply ``operations`` random operations of one family to the simulator's table.

    Args:
        sim: The simulator (its ``key`` must be ``KEYS[family]``).
        rng: The seeded generator that chooses operations.
        family: ``votes``, ``feedback`` or ``surveys``.
        operations: How many operations.
        handler: If given, an invocation is delivered after an operation with probability
            ``deliver_every``, so processing interleaves with new writes.
        deliver_every: See ``handler``.

    Raises:
        ValueError: the simulator's key does not match the family.
    """
    if sim.key != KEYS[family]:
        raise ValueError(f"a {family} workload needs key {KEYS[family]}, not {sim.key}")
    operation = _OPERATIONS[family]
    for _ in range(operations):
        operation(sim, rng)
        sim.advance(rng.randint(0, 20))
        if handler is not None and rng.random() < deliver_every:
            sim.deliver(handler)
