"""The bundler: turns batches of notifications into bundles, each source version in exactly one.

The claim protocol (its argument is in docs/bundle.md), on a ``DedupStore``:

1. **Intent.** Sources not yet claimed are grouped (:func:`~.core.plan`); each group's id is a
   digest of its members, and an intent item ``bundle#<id>`` records the members before any of
   them is claimed.
2. **Claims.** Each member is claimed ``source#<identity>`` -> bundle id with one conditional
   write. The first claim wins for ever; a member another bundle holds is left out.
3. **Roll forward.** Any worker that meets a claim on an unfinished bundle completes *that*
   bundle: it claims the intent's remaining members, aborts the crashed writer's upload, and
   writes exactly the members the bundle holds. Members and key are fixed, so every writer
   writes the same object; then it marks ``done#<id>``.
4. **Acknowledge** a message only when every source it announces is in a done bundle.

Nothing here imports AWS: the ports carry the reads, writes and claims.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import attrs

from feedback_core.bundle.core import (
    BundleFormat,
    Codec,
    Manifest,
    bundle_id,
    bundle_key,
    codec_named,
    encode,
    manifest_key,
    plan,
    utc,
)
from feedback_core.bundle.events import Malformed, Notification, Parsed
from feedback_core.bundle.ports import SourceRef, SourceUnavailableError
from feedback_core.dedup import Accepted, Item, Key
from feedback_core.errors import BundleError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from feedback_core.bundle.ports import BundleSink, ObjectSource
    from feedback_core.dedup import DedupStore

__all__ = ["BatchReport", "Bundler", "Completed"]


@attrs.frozen(kw_only=True)
class Completed:
    """A bundle that is done: written (or empty), with its manifest when written now."""

    bundle_id: str
    key: str
    count: int
    bytes_in: int
    bytes_out: int
    manifest: Manifest | None = None
    unavailable: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class BatchReport:
    """What :meth:`Bundler.process` did with one batch.

    Attributes:
        failures: Message ids to report failed (SQS redelivers them).
        written: Bundles written by this call (a roll-forward of another's bundle included).
        acknowledged: Messages done with (bundled, or nothing to bundle).
        unavailable: Identities of sources left out, deleted or replaced before they were read.
    """

    failures: tuple[str, ...]
    written: tuple[Completed, ...]
    acknowledged: int
    unavailable: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Totals to publish as metrics: bundles, sources, bytes in and out, failed messages."""
        return {
            "Bundles": len(self.written),
            "Sources": sum(b.count for b in self.written),
            "BytesIn": sum(b.bytes_in for b in self.written),
            "BytesOut": sum(b.bytes_out for b in self.written),
            "FailedMessages": len(self.failures),
        }

    def response(self) -> dict[str, list[dict[str, str]]]:
        """The ``batchItemFailures`` answer Lambda reads (ReportBatchItemFailures)."""
        return {"batchItemFailures": [{"itemIdentifier": m} for m in self.failures]}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _member(ref: SourceRef) -> dict[str, object]:
    return {
        "b": ref.bucket,
        "k": ref.key,
        "v": ref.version_id or "",
        "e": ref.etag,
        "s": ref.size,
        "t": ref.event_time.isoformat(),
    }


def _ref(member: object) -> SourceRef:
    if not isinstance(member, dict):
        raise BundleError("a bundle intent holds a malformed member")
    return SourceRef(
        bucket=str(member["b"]),
        key=str(member["k"]),
        version_id=str(member["v"]) or None,
        etag=str(member["e"]),
        size=int(member["s"]),
        event_time=utc(str(member["t"])),
    )


class Bundler:
    """Bundles the sources that notifications announce, each version exactly once.

    Args:
        source: Reads source versions.
        sink: Writes bundles and manifests.
        claims: The claims store (a table keyed by ``key_attribute``).
        fmt: ``jsonl`` or ``tar``.
        codec: The gzip codec (isal when installed, else zlib).
        prefix: Prefix of bundle keys, e.g. ``bundles/``.
        max_bytes: Input bytes per bundle before rolling over (one larger source goes alone).
        max_sources: Sources per bundle before rolling over (intents must fit a 400 KB item).
        key_attribute: The claims table's partition key attribute.
    """

    def __init__(
        self,
        *,
        source: ObjectSource,
        sink: BundleSink,
        claims: DedupStore,
        fmt: BundleFormat = "jsonl",
        codec: Codec | None = None,
        prefix: str = "",
        max_bytes: int = 100 * 1024 * 1024,
        max_sources: int = 100,
        key_attribute: str = "pk",
    ) -> None:
        """Configure the bundler; nothing is read or written here."""
        self.source = source
        self.sink = sink
        self.claims = claims
        self.fmt = fmt
        self.codec = codec or codec_named()
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.max_sources = max_sources
        self._attribute = key_attribute

    def _key(self, kind: str, value: str) -> Key:
        return Key(partition=(self._attribute, f"{kind}#{value}"))

    def _source_key(self, ref: SourceRef) -> Key:
        return self._key("source", _digest(ref.identity))

    def process(self, messages: Sequence[Parsed]) -> BatchReport:
        """Bundle one batch; return which messages failed and what was written.

        A failure touches only the messages whose sources it concerns. An exception that is not
        an ``Exception`` (a simulated crash, a timeout) propagates: nothing is acknowledged.
        """
        failed = {m.message_id for m in messages if isinstance(m, Malformed)}
        notes = [m for m in messages if isinstance(m, Notification)]
        refs = {r.identity: r for n in notes for r in n.refs}
        holders: dict[str, str] = {}
        broken: set[str] = set()  # source identities or bundle ids that failed in this call
        for identity, ref in refs.items():
            try:
                held = self.claims.get(self._source_key(ref))
            except Exception:  # noqa: BLE001  # a failure is that message's, reported below
                broken.add(identity)
                continue
            if held is not None:
                holders[identity] = held.text("bundle")
        free = [r for i, r in refs.items() if i not in holders and i not in broken]
        for group in plan(free, max_bytes=self.max_bytes, max_sources=self.max_sources):
            try:
                holders.update(self._intend(group))
            except Exception:  # noqa: BLE001  # those sources' messages fail, others go on
                broken.update(r.identity for r in group)
        written: list[Completed] = []
        unavailable: list[str] = []
        for ident in sorted(set(holders.values())):
            try:
                done = self.resolve(ident)
            except Exception:  # noqa: BLE001  # that bundle's messages fail, others go on
                broken.add(ident)
                continue
            if done.manifest is not None:
                written.append(done)
            unavailable += done.unavailable
        for note in notes:
            for ref in note.refs:
                holder = holders.get(ref.identity)
                if ref.identity in broken or holder is None or holder in broken:
                    failed.add(note.message_id)
        order = [m.message_id for m in messages]
        return BatchReport(
            failures=tuple(m for m in order if m in failed),
            written=tuple(written),
            acknowledged=len(order) - len(failed),
            unavailable=tuple(unavailable),
        )

    def _intend(self, group: Sequence[SourceRef]) -> dict[str, str]:
        """Record a bundle's intended members, then claim each; return each member's holder."""
        ident = bundle_id(group)
        intent = Item.of(
            members=[_member(r) for r in group],
            eventTime=min(r.event_time for r in group).isoformat(),
            format=self.fmt,
        )
        self.claims.claim(self._key("bundle", ident), intent)  # a duplicate is the same intent
        return {r.identity: self._claim(r, ident) for r in group}

    def _claim(self, ref: SourceRef, ident: str) -> str:
        outcome = self.claims.claim(self._source_key(ref), Item.of(bundle=ident))
        if isinstance(outcome, Accepted):
            return ident
        return outcome.existing.text("bundle")

    def resolve(self, ident: str) -> Completed:
        """Finish bundle ``ident`` if it is not done yet (roll forward), and return it.

        Raises:
            BundleError: the bundle has no intent (the claims table was tampered with).
            ServiceError: a read, write or claim failed; the bundle stays unfinished and the
                next delivery of any of its members finishes it.
        """
        done = self.claims.get(self._key("done", ident))
        if done is not None:
            return Completed(
                bundle_id=ident,
                key=done.text("bundleKey"),
                count=int(done.number("count")),
                bytes_in=int(done.number("bytesIn")),
                bytes_out=int(done.number("bytesOut")),
            )
        intent = self.claims.get(self._key("bundle", ident))
        if intent is None:
            raise BundleError(f"bundle {ident} is claimed but has no intent")
        raw_members = intent["members"]
        members = [_ref(m) for m in raw_members] if isinstance(raw_members, list) else []
        held = [r for r in members if self._claim(r, ident) == ident]
        fmt: BundleFormat = "tar" if intent.get("format") == "tar" else "jsonl"
        key = bundle_key(self.prefix, fmt, utc(intent.text("eventTime")), ident)
        manifest, unavailable = self._write(key, held, fmt)
        completed = Completed(
            bundle_id=ident,
            key=key if manifest else "",
            count=manifest.count if manifest else 0,
            bytes_in=manifest.bytes_in if manifest else 0,
            bytes_out=manifest.bytes_out if manifest else 0,
            manifest=manifest,
            unavailable=unavailable,
        )
        self.claims.claim(
            self._key("done", ident),
            Item.of(
                bundleKey=completed.key,
                count=completed.count,
                bytesIn=completed.bytes_in,
                bytesOut=completed.bytes_out,
            ),
        )
        return completed

    def _write(
        self, key: str, members: Sequence[SourceRef], fmt: BundleFormat
    ) -> tuple[Manifest | None, tuple[str, ...]]:
        """Write the bundle and its manifest; leave out sources that are gone, and say so."""
        for stale in (key, manifest_key(key)):  # a crashed writer's uploads of this bundle
            self.sink.abort_incomplete(stale)
        unavailable: list[SourceRef] = []
        while True:
            present = [r for r in members if r not in unavailable]
            if not present:  # nothing left to write: no bundle, the outcome is reported
                return None, tuple(r.identity for r in unavailable)
            encoding = encode(present, self.source.read, fmt=fmt, codec=self.codec)
            try:
                stored = self.sink.write(
                    key,
                    encoding,
                    size_hint=sum(r.size for r in present) + 1024 * (len(present) + 1),
                    content_type="application/gzip",
                    metadata=_metadata(present, key, fmt),
                )
            except SourceUnavailableError as exc:
                unavailable.append(exc.ref)  # permanent: start again without it
                continue
            break
        manifest = Manifest(
            bundle_key=key,
            format=fmt,
            codec=self.codec.name,
            sources=tuple(encoding.entries),
            unavailable=tuple(r.identity for r in unavailable),
            bytes_out=stored.size,
        )
        body = manifest.to_json()
        self.sink.write(
            manifest_key(key),
            [body],
            size_hint=len(body),
            content_type="application/json",
            metadata={},
        )
        return manifest, manifest.unavailable


def _metadata(members: Iterable[SourceRef], key: str, fmt: BundleFormat) -> dict[str, str]:
    members = list(members)
    return {
        "format": fmt,
        "source-count": str(len(members)),
        "bytes-in": str(sum(r.size for r in members)),
        "manifest": manifest_key(key).rsplit("/", 1)[-1],
    }
