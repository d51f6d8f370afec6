"""Cursors are opaque and tamper-evident: only a cursor this codec made decodes."""

from __future__ import annotations

import base64
import re

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback_core.errors import ConfigurationError, ServiceError, ValidationError
from feedback_core.feedback import CursorCodec, Position

KEY = b"k" * 32
POSITION = Position(created_at="2026-11-22T10:00:00Z", feedback_id="f-1")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def refused(codec: CursorCodec, cursor: str) -> bool:
    try:
        codec.decode(cursor)
    except ValidationError as error:
        return [("/cursor", "invalid-cursor")] == [(e.pointer, e.code) for e in error.errors]
    return False


def test_a_cursor_decodes_to_its_position() -> None:
    """What encode signed, decode gives back."""
    codec = CursorCodec(key=KEY)
    assert POSITION == codec.decode(codec.encode(POSITION))


def test_a_cursor_is_url_safe_text() -> None:
    """The cursor is base64url, a dot, base64url: safe in a query string as it is."""
    cursor = CursorCodec(key=KEY).encode(POSITION)
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}", cursor)


def test_a_payload_with_another_position_but_the_old_mac_is_refused() -> None:
    """Moving the position (to another key range) without the key breaks the signature."""
    codec = CursorCodec(key=KEY)
    _, mac = codec.encode(POSITION).split(".")
    forged = b64(orjson.dumps([1, "9999-12-31T00:00:00Z", "zzz"]))
    assert refused(codec, f"{forged}.{mac}")


def test_a_cursor_signed_with_another_key_is_refused() -> None:
    """A cursor from another deployment (or before a key rotation) is a 400."""
    other = CursorCodec(key=b"o" * 32).encode(POSITION)
    assert refused(CursorCodec(key=KEY), other)


def test_a_cursor_made_for_another_purpose_is_refused() -> None:
    """The purpose is signed too: a cursor of another listing does not open this one."""
    other = CursorCodec(key=KEY, purpose="survey-list").encode(POSITION)
    assert refused(CursorCodec(key=KEY), other)


@pytest.mark.parametrize("cursor", ["", ".", "abc", "abc.def", "é.é", "a.b.c", "==.=="])
def test_malformed_cursors_are_refused(cursor: str) -> None:
    """Nonsense is the same 400 as a forgery, never an exception of another kind."""
    assert refused(CursorCodec(key=KEY), cursor)


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_no_text_decodes_without_the_key(text: str) -> None:
    """Arbitrary text never decodes and never raises anything but the 400."""
    assert refused(CursorCodec(key=KEY), text)


@settings(max_examples=200)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_flipping_any_byte_of_a_cursor_is_refused(where: int, value: int) -> None:
    """Any single changed character of a real cursor is detected."""
    codec = CursorCodec(key=KEY)
    cursor = codec.encode(POSITION)
    index = where % len(cursor)
    replacement = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."[value % 65]
    changed = cursor[:index] + replacement + cursor[index + 1 :]
    if changed != cursor and changed.replace("=", "") != cursor:
        assert refused(codec, changed)


def test_a_short_key_is_refused() -> None:
    """A signing key under 32 bytes is a configuration mistake caught at construction."""
    with pytest.raises(ValueError, match="at least 32 bytes"):
        CursorCodec(key=b"short")


class KeyReads:
    """A key reader that counts its calls and fails while ``failing`` is set."""

    def __init__(self, key: bytes = KEY) -> None:
        self.key, self.calls, self.failing = key, 0, False

    def __call__(self) -> bytes:
        self.calls += 1
        if self.failing:
            raise ServiceError("GetSecretValue", "ServiceUnavailable")
        return self.key


def test_a_reading_codec_reads_its_key_once_on_first_use() -> None:
    """Built, it has read nothing; signing and checking cursors read the key once in all."""
    reads = KeyReads()
    codec = CursorCodec.reading(reads)
    assert 0 == reads.calls
    cursor = codec.encode(POSITION)
    assert (POSITION, 1) == (codec.decode(cursor), reads.calls)
    assert POSITION == CursorCodec(key=KEY).decode(cursor)  # signed with the key it read


def test_a_failed_key_read_reaches_the_caller_and_is_tried_again() -> None:
    """An unreadable key is the read's error (not an invalid cursor), and the next use reads."""
    reads = KeyReads()
    reads.failing = True
    codec = CursorCodec.reading(reads)
    cursor = CursorCodec(key=KEY).encode(POSITION)
    with pytest.raises(ServiceError):
        codec.decode(cursor)
    reads.failing = False
    assert (POSITION, 2) == (codec.decode(cursor), reads.calls)


def test_a_short_key_read_on_first_use_is_a_configuration_error() -> None:
    """A secret too short to sign with is the deployer's mistake: ConfigurationError."""
    codec = CursorCodec.reading(KeyReads(b"short"))
    with pytest.raises(ConfigurationError, match="at least 32 bytes"):
        codec.encode(POSITION)
