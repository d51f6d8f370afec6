"""Fault injection for the bundler: an SQS queue that regroups and redelivers, and a checker.

Public like :mod:`~feedback_core.bundle.memory`: the fault-schedule tests, the demo and your own
tests use it. A :class:`FaultPlan` makes chosen calls fail, either with an error (the code's
``except`` blocks run: uploads are aborted) or with a :class:`Crash`, a ``BaseException`` that
no cleanup catches, like a Lambda timeout or an out-of-memory kill. :class:`SimulatedQueue`
hands out random subsets of its visible messages, so batches regroup on every redelivery.
:func:`check_bundles` states the invariant: each source version in exactly one complete bundle,
byte for byte, and nothing else.
"""

from __future__ import annotations

import gzip
from collections import Counter
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs
import orjson

from feedback_core.bundle.core import Codec, Compressor
from feedback_core.bundle.ports import StoredObject

if TYPE_CHECKING:
    import random
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from feedback_core.bundle.ports import ObjectSource, SourceRef
    from feedback_core.dedup import ClaimOutcome, DedupStore, Item, Key, ReviseOutcome

__all__ = [
    "STEPS",
    "CountingSink",
    "Crash",
    "Fault",
    "FaultPlan",
    "FaultyClaims",
    "FaultySource",
    "GeneratedSource",
    "InjectedError",
    "SimulatedQueue",
    "Step",
    "check_bundles",
    "faulty_codec",
    "feedback_lines",
]

Step: TypeAlias = Literal["read", "compress", "part", "complete", "claim", "acknowledge"]
STEPS: tuple[Step, ...] = ("read", "compress", "part", "complete", "claim", "acknowledge")


class Crash(BaseException):  # a simulated process death, not an error
    """The process dies here: no ``except Exception`` and no cleanup runs."""


class InjectedError(Exception):
    """A failure the code sees and handles (its cleanup runs)."""


@attrs.frozen(kw_only=True)
class Fault:
    """Fail the ``at``-th call (1-based) of ``step`` with a ``crash`` or an ``error``.

    ``after``: once the call took effect (its response lost), else before it.
    """

    step: Step
    at: int
    kind: Literal["crash", "error"] = "crash"
    after: bool = False


class FaultPlan:
    """Counts calls per step and fires each scheduled fault once.

    Args:
        faults: The schedule.
    """

    def __init__(self, faults: tuple[Fault, ...] = ()) -> None:
        """Arm the faults."""
        self.faults = faults
        self.calls: Counter[str] = Counter()
        self.fired: list[Fault] = []

    @classmethod
    def random(cls, rng: random.Random, *, count: int = 3, spread: int = 6) -> FaultPlan:
        """A seeded schedule of ``count`` faults at random steps and calls."""
        return cls(
            tuple(
                Fault(
                    step=rng.choice(STEPS),
                    at=rng.randint(1, spread),
                    kind=rng.choice(("crash", "error")),
                    after=rng.random() < 0.5,
                )
                for _ in range(count)
            )
        )

    def _due(self, step: str, after: bool) -> Fault | None:
        for fault in self.faults:
            if (
                fault.step == step
                and fault.at == self.calls[step]
                and fault.after == after
                and fault not in self.fired
            ):
                self.fired.append(fault)
                return fault
        return None

    def before(self, step: str) -> None:
        """Count a call of ``step`` and fire a fault due before it."""
        self.calls[step] += 1
        self._fire(self._due(step, after=False), step)

    def after(self, step: str) -> None:
        """Fire a fault due after the call of ``step`` took effect."""
        self._fire(self._due(step, after=True), step)

    @staticmethod
    def _fire(fault: Fault | None, step: str) -> None:
        if fault is None:
            return
        if fault.kind == "crash":
            raise Crash(f"crash at {step} #{fault.at}")
        raise InjectedError(f"error at {step} #{fault.at}")


class FaultySource:
    """An :class:`~.ports.ObjectSource` whose reads fail as planned (one ``read`` per chunk)."""

    def __init__(self, inner: ObjectSource, plan: FaultPlan) -> None:
        """Wrap ``inner``."""
        self.inner = inner
        self.plan = plan

    def read(self, ref: SourceRef) -> Iterator[bytes]:
        """Yield ``inner``'s chunks, failing where planned."""
        for chunk in self.inner.read(ref):
            self.plan.before("read")
            yield chunk


class _FaultyCompressor:
    def __init__(self, inner: Compressor, plan: FaultPlan) -> None:
        self.inner = inner
        self.plan = plan

    def compress(self, data: bytes, /) -> bytes:
        self.plan.before("compress")
        return self.inner.compress(data)

    def flush(self) -> bytes:
        return self.inner.flush()


def faulty_codec(codec: Codec, plan: FaultPlan) -> Codec:
    """``codec`` with compression calls that fail as planned."""
    return Codec(
        name=codec.name, level=codec.level, start=lambda: _FaultyCompressor(codec.start(), plan)
    )


class FaultyClaims:
    """A :class:`~feedback_core.dedup.DedupStore` whose claims fail as planned."""

    def __init__(self, inner: DedupStore, plan: FaultPlan) -> None:
        """Wrap ``inner``."""
        self.inner = inner
        self.plan = plan

    def claim(self, key: Key, item: Item) -> ClaimOutcome:
        """Claim, failing before or after the write as planned."""
        self.plan.before("claim")
        outcome = self.inner.claim(key, item)
        self.plan.after("claim")
        return outcome

    def get(self, key: Key) -> Item | None:
        """Read through."""
        return self.inner.get(key)

    def revise(
        self,
        key: Key,
        changes: Item,
        *,
        revision_attribute: str,
        expected_revision: int | None,
    ) -> ReviseOutcome:
        """Revise through."""
        return self.inner.revise(
            key,
            changes,
            revision_attribute=revision_attribute,
            expected_revision=expected_revision,
        )


class SimulatedQueue:
    """An SQS queue: at-least-once, unordered, batches regrouped at random on every receive.

    Args:
        rng: The source of every random choice (seed it).
    """

    def __init__(self, rng: random.Random) -> None:
        """Start empty."""
        self.rng = rng
        self.bodies: dict[str, str] = {}
        self.visible: set[str] = set()
        self.receives: Counter[str] = Counter()
        self._next = 0

    def send(self, body: str) -> str:
        """Enqueue a message; return its id."""
        self._next += 1
        message_id = f"m{self._next:05d}"
        self.bodies[message_id] = body
        self.visible.add(message_id)
        return message_id

    def receive(self, most: int) -> list[dict[str, Any]]:
        """Take up to ``most`` random visible messages, as the records of a Lambda SQS event."""
        chosen = self.rng.sample(sorted(self.visible), min(most, len(self.visible)))
        self.visible.difference_update(chosen)
        self.receives.update(chosen)
        return [
            {
                "messageId": m,
                "body": self.bodies[m],
                "eventSource": "aws:sqs",
                "attributes": {"ApproximateReceiveCount": str(self.receives[m])},
            }
            for m in chosen
        ]

    def settle(self, batch: list[dict[str, Any]], failed: set[str] | None) -> None:
        """Delete the batch's messages except ``failed`` (``None``: none deleted, all return)."""
        for record in batch:
            message_id = record["messageId"]
            if failed is None or message_id in failed:
                self.visible.add(message_id)
            else:
                del self.bodies[message_id]

    def drive(
        self,
        handler: Callable[[dict[str, Any]], Mapping[str, Any]],
        plan: FaultPlan,
        *,
        batch_size: int = 10,
        max_rounds: int = 500,
    ) -> int:
        """Deliver until the queue is empty, as Lambda's event source mapping does; return rounds.

        A :class:`Crash` or an error in ``handler`` returns the whole batch; so does a fault at
        ``acknowledge`` (the handler's answer is lost, so SQS deletes nothing).
        """
        for rounds in range(1, max_rounds + 1):
            if not self.visible:
                return rounds - 1
            batch = self.receive(self.rng.randint(1, batch_size))
            try:
                response = handler({"Records": batch})
                plan.before("acknowledge")
            except (Crash, Exception):  # noqa: BLE001  # any failure returns the batch
                self.settle(batch, None)
                continue
            failures = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
            self.settle(batch, failures)
        raise AssertionError(f"the queue did not drain in {max_rounds} rounds")


def check_bundles(objects: Mapping[str, bytes], expected: Mapping[str, bytes]) -> list[str]:
    """Return every way ``objects`` (a bucket's keys to bytes) break the bundle invariant.

    Each identity in ``expected`` (``SourceRef.identity`` -> the version's bytes) must appear in
    exactly one complete bundle (a ``.gz`` with its ``.manifest.json``), byte for byte; every
    bundle must have its manifest and hold nothing unexpected. JSON-lines bundles only.
    """
    problems: list[str] = []
    seen: Counter[str] = Counter()
    for key in sorted(k for k in objects if k.endswith(".manifest.json")):
        bundle = key.removesuffix(".manifest.json") + ".jsonl.gz"
        if bundle not in objects:
            problems.append(f"manifest without bundle: {key}")
            continue
        manifest = orjson.loads(objects[key])
        body = gzip.decompress(objects[bundle])
        rebuilt = b""
        for source in manifest["sources"]:
            version = source["versionId"] or "etag=" + source["etag"]
            identity = f"{source['bucket']}/{source['key']}?{version}"
            seen[identity] += 1
            data = expected.get(identity)
            if data is None:
                problems.append(f"unexpected source {identity} in {bundle}")
                continue
            rebuilt += data if data.endswith(b"\n") or not data else data + b"\n"
        if rebuilt != body:
            problems.append(f"{bundle} does not hold its sources byte for byte")
    bundles = {k for k in objects if k.endswith(".jsonl.gz")}
    problems += [
        f"bundle without manifest: {k}"
        for k in sorted(bundles)
        if k.removesuffix(".jsonl.gz") + ".manifest.json" not in objects
    ]
    for identity in expected:
        if seen[identity] != 1:
            problems.append(f"{identity} is in {seen[identity]} bundles")
    return problems


_WORDS = [
    "great",
    "service",
    "fast",
    "delivery",
    "the",
    "app",
    "crashed",
    "twice",
    "support",
    "was",
    "helpful",
    "prices",
    "are",
    "too",
    "high",
    "love",
    "the",
    "new",
    "design",
    "checkout",
    "is",
    "confusing",
    "would",
    "recommend",
    "to",
    "a",
    "friend",
    "not",
    "worth",
    "it",
    "survey",
    "was",
    "short",
    "easy",
    "to",
    "use",
    "slow",
    "loading",
    "times",
    "friendly",
    "staff",
    "missing",
    "features",
]


def feedback_lines(rng: random.Random, size: int) -> bytes:
    r"""Generate about ``size`` bytes of realistic, compressible JSON-lines feedback records.

    Examples:
        >>> import random
        >>> data = feedback_lines(random.Random(1), 2000)
        >>> len(data) >= 2000 and data.endswith(b"\n")
        True
        >>> sorted(orjson.loads(data.splitlines()[0]))[:3]
        ['channel', 'customerId', 'email']
    """
    lines: list[bytes] = []
    total = 0
    while total < size:
        words = rng.randint(4, 30)
        record = {
            "feedbackId": f"f-{rng.getrandbits(64):016x}",
            "customerId": f"c-{rng.randint(1, 50_000):06d}",
            "email": f"user{rng.randint(1, 50_000)}@example.com",
            "rating": rng.randint(1, 5),
            "channel": rng.choice(("web", "ios", "android", "email", "kiosk")),
            "submittedAt": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
            "message": " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + ".",
        }
        line = orjson.dumps(record) + b"\n"
        lines.append(line)
        total += len(line)
    return b"".join(lines)


class GeneratedSource:
    """An :class:`~.ports.ObjectSource` of any size that holds only a small pool of real data.

    Each source's content is cut from a pool of generated feedback lines (starting at a place
    that depends on its key), chunk by chunk, so gigabytes can be read in a few MiB of memory.

    Args:
        pool: The generated bytes to cut from (JSON lines).
        chunk_size: Bytes per chunk.
    """

    def __init__(self, pool: bytes, *, chunk_size: int = 1 << 20) -> None:
        """Keep the pool."""
        self.pool = pool
        self.chunk_size = chunk_size

    def read(self, ref: SourceRef) -> Iterator[bytes]:
        """Yield ``ref.size`` bytes cut from the pool."""
        start = sum(ref.key.encode()) * 7919 % len(self.pool)
        left = ref.size
        while left:
            piece = self.pool[start : start + min(self.chunk_size, left)]
            start = (start + len(piece)) % len(self.pool)
            left -= len(piece)
            yield piece


class CountingSink:
    """A :class:`~.ports.BundleSink` that cuts parts as S3's does, and only counts them.

    Attributes:
        bytes_written: The compressed bytes received.
        parts: Parts received.
        largest_part: The largest part, in bytes.
    """

    def __init__(self, *, part_size: int = 8 << 20) -> None:
        """Start at zero."""
        self.part_size = part_size
        self.bytes_written = 0
        self.parts = 0
        self.largest_part = 0

    def write(
        self,
        key: str,
        chunks: Iterable[bytes],
        *,
        size_hint: int,
        content_type: str,
        metadata: Mapping[str, str],
    ) -> StoredObject:
        """Count the parts the chunks make."""
        from feedback_core.bundle.memory import part_size_for, parts_of

        size = parts = 0
        part_size = part_size_for(size_hint, self.part_size)
        for part in parts_of(chunks, part_size, expected=size_hint):
            parts += 1
            size += len(part)
            self.largest_part = max(self.largest_part, len(part))
        self.bytes_written += size
        self.parts += parts
        return StoredObject(key=key, size=size, parts=parts)

    def abort_incomplete(self, key: str) -> int:
        """Nothing is ever left open here."""
        return 0
