"""Validation throughput of the built-in Feedback schema against pydantic v2.

Both sides get the same constraints (lengths after trimming, the e-mail pattern, a strict
integer rating 1-5, NFC normalization, no control characters, unknown fields refused) and the
same mix of valid and invalid JSON bodies. Prints bodies per second for each and the ratio
ours/pydantic (above 1.0: we are faster).

Run: python benchmarks/bench_ingest_validation.py [--bodies N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import re
import time
import unicodedata
from typing import Annotated

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from feedback_core.errors import ValidationError
from feedback_core.ingest import EMAIL_PATTERN, ID_PATTERN, Feedback

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _clean(pattern: re.Pattern[str]) -> AfterValidator:
    # The same fast paths our decoder takes, so the peer is not handicapped.
    def check(value: str) -> str:
        if not value.isascii() and not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if not value.isprintable() and pattern.search(value):
            raise ValueError("control characters")
        return value

    return AfterValidator(check)


class PydanticFeedback(BaseModel):
    """The same constraints as feedback_core.ingest.Feedback, written for pydantic v2."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, strict=True, populate_by_name=True
    )
    name: Annotated[str, Field(min_length=1, max_length=120), _clean(_CONTROL)]
    email: Annotated[
        str, Field(max_length=254, pattern="^" + EMAIL_PATTERN + "$"), _clean(_CONTROL)
    ]
    rating: Annotated[int, Field(ge=1, le=5)]
    message: Annotated[str, Field(min_length=1, max_length=5000), _clean(_CONTROL_MULTILINE)]
    customer_id: Annotated[
        str | None, Field(default=None, alias="customerId", pattern="^" + ID_PATTERN + "$")
    ]


def make_bodies(n: int, seed: int = 7) -> list[bytes]:
    """A seeded mix: about 70 % valid bodies and 30 % with one to three errors."""
    rng = random.Random(seed)
    words = ["great", "slow", "helpful", "rude", "fast", "broken", "lovely", "refund", "app"]
    words += ["staff", "café", "naïve", "😀"]
    bodies = []
    for i in range(n):
        body: dict[str, object] = {
            "name": rng.choice(["Ana", "Bo Li", "José Núñez", "  Kim  ", "Zoë"]),
            "email": f"user{i}@example.com",
            "rating": rng.randint(1, 5),
            "message": " ".join(rng.choice(words) for _ in range(rng.randint(3, 40))),
        }
        if rng.random() < 0.3:
            body["customerId"] = f"c-{i}"
        if rng.random() < 0.3:
            broken = rng.sample(["name", "email", "rating", "message", "extra"], rng.randint(1, 3))
            for key in broken:
                body[key] = {"name": "", "email": "nope", "rating": 9, "message": 42, "extra": 1}[
                    key
                ]
        bodies.append(orjson.dumps(body))
    return bodies


def run_ours(bodies: list[bytes]) -> int:
    accepted = 0
    for body in bodies:
        try:
            Feedback.decode(body)
            accepted += 1
        except ValidationError:
            pass
    return accepted


def run_pydantic(bodies: list[bytes]) -> int:
    accepted = 0
    for body in bodies:
        try:
            PydanticFeedback.model_validate_json(body)
            accepted += 1
        except PydanticValidationError:
            pass
    return accepted


def measure(bodies: list[bytes], repeat: int, chunk: int = 500) -> tuple[float, float]:
    """CPU time of each side: the sum over chunks of the best of ``repeat`` interleaved runs.

    On a shared machine a run is often descheduled part-way. The clock is this thread's CPU
    time, which stops while other processes run; timing chunks of a few milliseconds,
    alternating the two sides, and keeping each chunk's best time also drops cache upsets, for
    both sides alike.
    """
    chunks = [bodies[i : i + chunk] for i in range(0, len(bodies), chunk)]
    ours = [float("inf")] * len(chunks)
    theirs = [float("inf")] * len(chunks)
    clock = time.thread_time
    for _ in range(repeat):
        for n, part in enumerate(chunks):
            start = clock()
            run_ours(part)
            middle = clock()
            run_pydantic(part)
            end = clock()
            ours[n] = min(ours[n], middle - start)
            theirs[n] = min(theirs[n], end - middle)
    return sum(ours), sum(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    bodies = make_bodies(args.bodies)
    ours_ok, theirs_ok = run_ours(bodies), run_pydantic(bodies)
    if ours_ok != theirs_ok:
        raise SystemExit(f"the validators disagree: ours accepted {ours_ok}, pydantic {theirs_ok}")
    valid = [b for b in bodies if run_ours([b])]
    invalid = [b for b in bodies if not run_ours([b])]
    print(f"bodies: {len(bodies)} ({len(valid)} valid, {len(invalid)} invalid)")
    for label, subset in (("mix", bodies), ("valid only", valid), ("invalid only", invalid)):
        ours, theirs = measure(subset, args.repeat)
        print(
            f"{label:>12}: feedback_core {len(subset) / ours:10,.0f}/s, "
            f"pydantic v2 model_validate_json {len(subset) / theirs:10,.0f}/s, "
            f"ratio ours/pydantic {theirs / ours:.2f}"
        )


if __name__ == "__main__":
    main()
