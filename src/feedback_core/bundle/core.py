"""The pure core of bundling: grouping sources, naming bundles, framing and gzip, manifests.

Nothing here touches AWS: :func:`encode` turns source chunks into compressed bundle chunks as
they come (JSON lines or tar, then gzip), and :class:`Manifest` describes what was written.
Memory is one source chunk plus the compressor's window, whatever the sources' sizes.
"""

from __future__ import annotations

import hashlib
import tarfile
import zlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypeAlias

import attrs
import orjson

from feedback_core.bundle.ports import SourceRef, SourceUnavailableError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = [
    "CODECS",
    "BundleFormat",
    "Codec",
    "Encoding",
    "Manifest",
    "SourceEntry",
    "bundle_id",
    "bundle_key",
    "codec_named",
    "compress",
    "encode",
    "manifest_key",
    "plan",
]

BundleFormat: TypeAlias = Literal["jsonl", "tar"]
"""``jsonl``: sources concatenated, each ending in a newline. ``tar``: one member per source."""

_SUFFIX: Final = {"jsonl": "jsonl.gz", "tar": "tar.gz"}
_TAR_BLOCK: Final = 512
_GZIP_WBITS: Final = 31  # zlib's window bits for a gzip header and trailer


class Compressor(Protocol):
    """What ``zlib.compressobj`` returns (and isal's twin)."""

    def compress(self, data: bytes, /) -> bytes:
        """Compress some data; may return nothing yet."""
        ...

    def flush(self) -> bytes:
        """Finish the stream."""
        ...


@attrs.frozen(kw_only=True)
class Codec:
    """A gzip compressor factory.

    Attributes:
        name: ``zlib`` (the standard library) or ``isal`` (python-isal, the ``[fast]`` extra).
        level: Its compression level.
        start: Returns a fresh compressor that writes the gzip format.
    """

    name: str
    level: int
    start: Callable[[], Compressor] = attrs.field(eq=False, repr=False)


def _zlib(level: int) -> Codec:
    return Codec(
        name="zlib",
        level=level,
        start=lambda: zlib.compressobj(level, zlib.DEFLATED, _GZIP_WBITS),
    )


def _isal(level: int) -> Codec | None:
    try:
        from isal import isal_zlib  # the optional [fast] extra
    except ImportError:
        return None
    return Codec(
        name="isal",
        level=level,
        start=lambda: isal_zlib.compressobj(level, isal_zlib.DEFLATED, _GZIP_WBITS),
    )


CODECS: Final = ("auto", "zlib", "isal")
"""Codec names :func:`codec_named` accepts."""


def codec_named(name: Literal["auto", "zlib", "isal"] = "auto") -> Codec:
    """Return a gzip codec: ``zlib`` at level 6 (as ``gzip -6``), or ``isal`` at its level 2.

    ``auto`` takes isal when it is installed (``pip install feedback-core[fast]``), else zlib.

    Raises:
        ImportError: ``isal`` asked for but not installed.

    Examples:
        >>> codec_named("zlib").level
        6
    """
    if name == "zlib":
        return _zlib(6)
    fast = _isal(2)
    if fast is not None:
        return fast
    if name == "isal":
        raise ImportError("the isal codec needs python-isal: pip install feedback-core[fast]")
    return _zlib(6)


def plan(refs: Iterable[SourceRef], *, max_bytes: int, max_sources: int) -> list[list[SourceRef]]:
    """Split sources into bundles in a stable order, rolling over at either limit.

    A source larger than ``max_bytes`` goes alone. The order is (event time, identity), so the
    same sources always make the same groups.

    Examples:
        >>> from datetime import datetime, UTC
        >>> at = datetime(2026, 1, 1, tzinfo=UTC)
        >>> refs = [SourceRef(bucket="b", key=k, etag="e", size=s, event_time=at)
        ...         for k, s in [("a", 60), ("b", 60), ("c", 500), ("d", 10)]]
        >>> [[r.key for r in g] for g in plan(refs, max_bytes=100, max_sources=10)]
        [['a'], ['b'], ['c'], ['d']]
    """
    groups: list[list[SourceRef]] = []
    current: list[SourceRef] = []
    total = 0
    for ref in sorted(refs, key=lambda r: (r.event_time, r.identity)):
        if current and (total + ref.size > max_bytes or len(current) >= max_sources):
            groups.append(current)
            current, total = [], 0
        current.append(ref)
        total += ref.size
    if current:
        groups.append(current)
    return groups


def bundle_id(refs: Iterable[SourceRef]) -> str:
    """A bundle's id: a digest of its sources' identities, so the same sources give the same id.

    Examples:
        >>> from datetime import datetime, UTC
        >>> at = datetime(2026, 1, 1, tzinfo=UTC)
        >>> a = SourceRef(bucket="b", key="a", etag="1", event_time=at)
        >>> c = SourceRef(bucket="b", key="c", etag="2", event_time=at)
        >>> bundle_id([a, c]) == bundle_id([c, a]) != bundle_id([a])
        True
    """
    digest = hashlib.sha256()
    for identity in sorted({r.identity for r in refs}):
        digest.update(identity.encode("utf-8") + b"\0")
    return digest.hexdigest()[:32]


def bundle_key(prefix: str, fmt: BundleFormat, event_time: datetime, ident: str) -> str:
    """The bundle's object key: ``<prefix>YYYY/MM/DD/HH/bundle-<id>.<jsonl|tar>.gz``.

    The hour is the event time's (UTC), never the wall clock's, so a rerun writes the same key.

    Examples:
        >>> bundle_key("b/", "jsonl", datetime(2026, 3, 4, 5, 6, tzinfo=UTC), "ab12")
        'b/2026/03/04/05/bundle-ab12.jsonl.gz'
    """
    return f"{prefix}{event_time.astimezone(UTC):%Y/%m/%d/%H}/bundle-{ident}.{_SUFFIX[fmt]}"


def manifest_key(key: str) -> str:
    """The manifest's key, beside the bundle: ``...bundle-<id>.manifest.json``."""
    stem = key.rsplit(".", 2)[0]
    return f"{stem}.manifest.json"


@attrs.frozen(kw_only=True)
class SourceEntry:
    """One source as written into a bundle: where it came from and what its bytes were."""

    bucket: str
    key: str
    version_id: str | None
    etag: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, object]:
        """The manifest's entry for this source."""
        return {
            "bucket": self.bucket,
            "key": self.key,
            "versionId": self.version_id,
            "etag": self.etag,
            "size": self.size,
            "sha256": self.sha256,
        }


@attrs.frozen(kw_only=True)
class Manifest:
    """What one bundle holds, stored beside it as JSON.

    Attributes:
        bundle_key: The bundle's key.
        format: ``jsonl`` or ``tar``.
        codec: The compressor that wrote it (any gzip reader reads either).
        sources: The sources, in bundle order.
        unavailable: Sources that were deleted or replaced before they could be read.
        bytes_out: The bundle's compressed size.
    """

    bundle_key: str
    format: BundleFormat
    codec: str
    sources: tuple[SourceEntry, ...]
    unavailable: tuple[str, ...] = ()
    bytes_out: int

    @property
    def count(self) -> int:
        """How many sources the bundle holds."""
        return len(self.sources)

    @property
    def bytes_in(self) -> int:
        """The sources' total size."""
        return sum(s.size for s in self.sources)

    def to_json(self) -> bytes:
        """The manifest document."""
        return orjson.dumps(
            {
                "bundleKey": self.bundle_key,
                "format": self.format,
                "codec": self.codec,
                "count": self.count,
                "bytesIn": self.bytes_in,
                "bytesOut": self.bytes_out,
                "sources": [s.to_json() for s in self.sources],
                "unavailable": list(self.unavailable),
            },
            option=orjson.OPT_INDENT_2,
        )


class Encoding:
    """Encodes sources into one compressed bundle stream, and records what went in.

    Iterate it once (a sink consumes it); afterwards :attr:`entries` lists each source with its
    size and SHA-256, in order.

    Args:
        members: The sources, in bundle order.
        read: Yields one source's chunks (an :class:`ObjectSource`'s ``read``).
        fmt: ``jsonl`` or ``tar``.
        codec: The gzip codec.
    """

    def __init__(
        self,
        members: Sequence[SourceRef],
        read: Callable[[SourceRef], Iterable[bytes]],
        *,
        fmt: BundleFormat,
        codec: Codec,
    ) -> None:
        """Remember what to encode; nothing is read until iteration."""
        self.members = members
        self._read = read
        self.fmt = fmt
        self.codec = codec
        self.entries: list[SourceEntry] = []

    def __iter__(self) -> Iterator[bytes]:
        """Yield compressed chunks as the sources are read."""
        return compress(self._pieces(), self.codec)

    def _pieces(self) -> Iterator[bytes]:
        for ref in self.members:
            yield from self._framed(ref)
        if self.fmt == "tar":
            yield b"\0" * (2 * _TAR_BLOCK)  # the end-of-archive marker

    def _framed(self, ref: SourceRef) -> Iterator[bytes]:
        digest = hashlib.sha256()
        size = 0
        last = b"\n"
        if self.fmt == "tar":
            yield _tar_header(ref)
        for chunk in self._read(ref):
            if not chunk:
                continue
            digest.update(chunk)
            size += len(chunk)
            last = chunk[-1:]
            yield chunk
        if self.fmt == "tar":
            if size != ref.size:
                # A tar header carries the size before the data; a mismatch cannot be framed.
                raise SourceUnavailableError(ref, "replaced")
            yield b"\0" * (-size % _TAR_BLOCK)
        elif last != b"\n":
            yield b"\n"  # every JSON line ends in a newline, the last one of a source too
        self.entries.append(
            SourceEntry(
                bucket=ref.bucket,
                key=ref.key,
                version_id=ref.version_id,
                etag=ref.etag,
                size=size,
                sha256=digest.hexdigest(),
            )
        )


def compress(pieces: Iterable[bytes], codec: Codec) -> Iterator[bytes]:
    """Gzip a stream of pieces as they come: one compressor, no piece held after it is fed.

    Examples:
        >>> import gzip
        >>> gzip.decompress(b"".join(compress([b"a", b"b"], codec_named("zlib"))))
        b'ab'
    """
    compressor = codec.start()
    for piece in pieces:
        out = compressor.compress(piece)
        if out:
            yield out
    yield compressor.flush()


def encode(
    members: Sequence[SourceRef],
    read: Callable[[SourceRef], Iterable[bytes]],
    *,
    fmt: BundleFormat = "jsonl",
    codec: Codec | None = None,
) -> Encoding:
    r"""Return an :class:`Encoding` of ``members`` (iterate it for the compressed chunks).

    Examples:
        >>> import gzip
        >>> from datetime import datetime, UTC
        >>> at = datetime(2026, 1, 1, tzinfo=UTC)
        >>> refs = [SourceRef(bucket="b", key=k, etag="e", event_time=at) for k in "ab"]
        >>> bodies = {"a": [b'{"n": 1}'], "b": [b'{"n": 2}\n']}
        >>> encoding = encode(refs, lambda r: bodies[r.key], codec=codec_named("zlib"))
        >>> gzip.decompress(b"".join(encoding))
        b'{"n": 1}\n{"n": 2}\n'
        >>> [e.size for e in encoding.entries]
        [8, 9]
    """
    return Encoding(members, read, fmt=fmt, codec=codec or codec_named())


def _tar_header(ref: SourceRef) -> bytes:
    info = tarfile.TarInfo(name=ref.key)
    info.size = ref.size
    info.mtime = int(ref.event_time.timestamp())
    info.mode = 0o644
    # PAX keeps names longer than 100 bytes and non-ASCII names intact.
    return info.tobuf(format=tarfile.PAX_FORMAT, encoding="utf-8", errors="strict")


def utc(text: str) -> datetime:
    """Parse an ISO 8601 time (``Z`` allowed) as timezone-aware UTC.

    Examples:
        >>> utc("2026-01-02T03:04:05.678Z").hour
        3
    """
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
