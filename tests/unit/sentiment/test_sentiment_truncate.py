"""truncate_utf8: Comprehend's 5,000-byte limit, cut on a character boundary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from feedback_core.sentiment import MAX_DOCUMENT_BYTES, truncate_utf8

GRIN = "\N{GRINNING FACE}"  # 4 bytes in UTF-8


def test_text_under_the_limit_is_unchanged() -> None:
    """A text that fits is returned as it is."""
    assert "héllo \N{GRINNING FACE}" == truncate_utf8("héllo \N{GRINNING FACE}")


def test_emoji_straddling_the_limit_is_dropped() -> None:
    """An emoji whose 4 bytes would end past byte 5,000 is left out whole."""
    assert "a" * 4_998 == truncate_utf8("a" * 4_998 + GRIN + "b")


def test_emoji_ending_on_the_limit_is_kept() -> None:
    """An emoji whose last byte is byte 5,000 is kept."""
    text = "a" * 4_996 + GRIN
    assert text == truncate_utf8(text + "b")


def test_two_byte_characters_are_counted_as_two() -> None:
    """3,000 'é' (6,000 bytes) keep 2,500 characters."""
    assert "é" * 2_500 == truncate_utf8("é" * 3_000)


def test_lone_surrogates_become_question_marks() -> None:
    """A lone surrogate, which UTF-8 cannot encode, is replaced so the request stays valid."""
    assert "a?b" == truncate_utf8("a\ud800b")


@given(st.text(min_size=0, max_size=2_000), st.integers(min_value=1, max_value=600))
def test_result_is_the_longest_fitting_prefix(text: str, limit: int) -> None:
    """The result is a prefix, fits the limit, and one more character would not fit."""
    clean = text.encode("utf-8", "replace").decode("utf-8")
    cut = truncate_utf8(text, limit)
    encoded = cut.encode("utf-8")
    assert clean.startswith(cut)
    assert len(encoded) <= limit
    if cut != clean:
        assert len(encoded) + len(clean[len(cut)].encode("utf-8")) > limit


def test_default_limit_is_comprehends() -> None:
    """The default budget is Comprehend's 5,000 bytes."""
    assert MAX_DOCUMENT_BYTES == len(truncate_utf8("x" * 9_000).encode("utf-8"))
