"""Opaque, tamper-evident page cursors: a position, signed with HMAC-SHA256.

A cursor is ``base64url(payload) "." base64url(mac)``, where the payload is the listing's
position (the last entry's time and id) and the MAC covers a purpose string and the payload. A
client can read nothing useful from it and change nothing in it: a cursor that was not made
with the server's key, or was made for another purpose, is a 400 (``ValidationError`` at
``/cursor``), never a query from a position the client chose.

The key is the deployer's secret (the template generates one in Secrets Manager); rotating it
makes every cursor in flight a 400, and a client starts again from the first page. A codec built
with :meth:`CursorCodec.reading` reads the key when it first signs or checks a cursor, so a cold
start that answers no listing request never calls Secrets Manager (nor imports boto3).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import TYPE_CHECKING, Final

import orjson

from feedback_core.errors import ConfigurationError, FieldError, ValidationError
from feedback_core.feedback.ports import Position

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MIN_KEY_BYTES", "CursorCodec"]

MIN_KEY_BYTES: Final = 32
"""The shortest signing key accepted (HMAC-SHA256's block of entropy)."""

_VERSION: Final = 1
_MAC_BYTES: Final = 16  # 128 bits: forging one is out of reach, and cursors stay short


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # One spelling per value: spare low bits or stray characters would let one cursor be
    # written several ways (harmless, as the MAC holds, but a cursor should be exact).
    if _b64(data) != text:
        raise ValueError("not canonical base64url")
    return data


class CursorCodec:
    """Sign positions into cursors and read them back.

    Args:
        key: The secret signing key, at least :data:`MIN_KEY_BYTES` bytes.
        purpose: Binds cursors to one listing, so one made for another cannot be replayed here.

    Raises:
        ValueError: a key shorter than :data:`MIN_KEY_BYTES`.

    Examples:
        >>> codec = CursorCodec(key=b"k" * 32)
        >>> cursor = codec.encode(Position(created_at="2026-11-22T10:00:00Z", feedback_id="f1"))
        >>> codec.decode(cursor).feedback_id
        'f1'
        >>> try:
        ...     codec.decode(cursor[:-2] + "AA")
        ... except ValidationError as error:
        ...     print(error.errors[0].pointer, error.errors[0].code)
        /cursor invalid-cursor
    """

    def __init__(self, *, key: bytes, purpose: str = "feedback-list") -> None:
        """Keep the key; nothing else is computed here."""
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the cursor signing key must be at least {MIN_KEY_BYTES} bytes")
        self._key: bytes | None = key
        self._read_key: Callable[[], bytes] | None = None
        self._purpose = purpose.encode()

    @classmethod
    def reading(
        cls, read_key: Callable[[], bytes], *, purpose: str = "feedback-list"
    ) -> CursorCodec:
        """A codec that calls ``read_key`` when it first needs the key, and keeps what it read.

        A failed read is tried again by the next cursor (nothing is kept); the error of the
        read (e.g. a ``ServiceError``: a 503 for the request) reaches the caller unchanged.

        Raises:
            ConfigurationError: (on first use) the key read is shorter than
                :data:`MIN_KEY_BYTES` bytes.

        Examples:
            >>> reads = []
            >>> codec = CursorCodec.reading(lambda: reads.append(1) or b"k" * 32)
            >>> cursor = codec.encode(Position(created_at="2026-11-22T10:00:00Z", feedback_id="f"))
            >>> codec.decode(cursor).feedback_id, len(reads)
            ('f', 1)
        """
        codec = cls.__new__(cls)  # (no key yet, so not through __init__'s check)
        codec._key, codec._read_key, codec._purpose = None, read_key, purpose.encode()
        return codec

    def _signing_key(self) -> bytes:
        key = self._key
        if key is None:
            assert self._read_key is not None  # only reading() leaves the key unset
            key = self._read_key()
            if len(key) < MIN_KEY_BYTES:
                raise ConfigurationError(
                    f"the cursor signing key must be at least {MIN_KEY_BYTES} bytes"
                )
            self._key = key
        return key

    def _mac(self, key: bytes, payload: bytes) -> bytes:
        message = self._purpose + b"\x00" + payload
        return hmac.new(key, message, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, position: Position) -> str:
        """Return the cursor for ``position``."""
        payload = orjson.dumps([_VERSION, position.created_at, position.feedback_id])
        return f"{_b64(payload)}.{_b64(self._mac(self._signing_key(), payload))}"

    def decode(self, cursor: str) -> Position:
        """Return the position a cursor of ours holds.

        Raises:
            ValidationError: the cursor is malformed, forged, altered or for another purpose.
        """
        key = self._signing_key()  # (outside the try: a failed read is not a bad cursor)
        try:
            encoded, _, mac = cursor.partition(".")
            payload = _unb64(encoded)
            if hmac.compare_digest(self._mac(key, payload), _unb64(mac)):
                version, created_at, feedback_id = orjson.loads(payload)
                if version == _VERSION and isinstance(created_at, str):
                    return Position(created_at=created_at, feedback_id=str(feedback_id))
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
            pass  # every malformed cursor gets the one answer below
        raise ValidationError(
            (FieldError(pointer="/cursor", code="invalid-cursor", message=_INVALID),),
            detail="The cursor is not one this API issued; start again without it.",
        )


_INVALID: Final = "Not a cursor this API issued (altered, expired by a key change, or made up)."
