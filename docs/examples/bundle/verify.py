"""Check a JSON-lines bundle against its manifest: every source's bytes and SHA-256."""

from __future__ import annotations

import gzip
import hashlib
from typing import IO

import orjson


def verify(bundle: IO[bytes], manifest: bytes) -> list[str]:
    """Return the problems found (none: the bundle holds exactly what its manifest says).

    Reads the bundle as a stream, source by source, using each source's size from the
    manifest; a source that did not end in a newline had one added by the bundler.
    """
    problems: list[str] = []
    document = orjson.loads(manifest)
    with gzip.open(bundle) as data:
        for source in document["sources"]:
            body = data.read(source["size"])
            if hashlib.sha256(body).hexdigest() != source["sha256"]:
                problems.append(f"{source['key']}: SHA-256 differs")
            if body and not body.endswith(b"\n"):
                data.read(1)  # the newline the bundler added
        if data.read(1):
            problems.append("bytes after the last source")
    return problems
