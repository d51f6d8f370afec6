"""Claim keys, derived ids, payload fingerprints and Idempotency-Key header validation."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from feedback_core.dedup import (
    IdempotencyKey,
    Key,
    derive_id,
    fingerprint,
    idempotency_key_from_headers,
)
from feedback_core.errors import DedupError, IngestError, InvalidIdempotencyKeyError
from feedback_core.ingest import problem_response

# Key


def test_key_of_one_part_is_a_partition_key() -> None:
    """One keyword makes a partition-only key."""
    assert Key(partition=("feedbackId", "f-1")) == Key.of(feedbackId="f-1")


def test_key_of_two_parts_is_partition_then_sort() -> None:
    """Two keywords make a partition and a sort key, in the order given."""
    key = Key.of(pollId="p1", userId="u1")
    assert (("pollId", "p1"), ("userId", "u1")) == (key.partition, key.sort)


def test_key_as_dict_and_names_follow_the_key_order() -> None:
    """A key gives its attributes as a dict and its names partition first."""
    key = Key.of(surveyId="s1", responseId="r1")
    assert ({"surveyId": "s1", "responseId": "r1"}, ("surveyId", "responseId")) == (
        key.as_dict(),
        key.names,
    )


@pytest.mark.parametrize("parts", [{}, {"a": "1", "b": "2", "c": "3"}])
def test_key_of_needs_one_or_two_parts(parts: dict[str, str]) -> None:
    """A DynamoDB key has one or two attributes, no more, no fewer."""
    with pytest.raises(ValueError, match="at most one sort"):
        Key.of(**parts)


def test_key_refuses_an_empty_value() -> None:
    """DynamoDB refuses empty strings in key attributes, so a key does too."""
    with pytest.raises(ValueError, match="must not be empty"):
        Key.of(pollId="p1", userId="")


def test_key_refuses_the_same_attribute_twice() -> None:
    """The sort attribute must differ from the partition attribute."""
    with pytest.raises(ValueError, match="different attribute"):
        Key(partition=("id", "a"), sort=("id", "b"))


def test_key_refuses_a_partition_value_over_2048_bytes() -> None:
    """The limit counts UTF-8 bytes, so 683 three-byte characters are too many."""
    with pytest.raises(ValueError, match="2048"):
        Key.of(id="€" * 683)


def test_key_accepts_a_partition_value_of_2048_bytes() -> None:
    """Exactly 2048 UTF-8 bytes is allowed."""
    assert 2048 == len(Key.of(id="a" * 2048).partition[1])


def test_key_refuses_a_sort_value_over_1024_bytes() -> None:
    """Sort key values are limited to 1024 UTF-8 bytes."""
    with pytest.raises(ValueError, match="1024"):
        Key.of(id="a", sort="b" * 1025)


# derive_id


def test_derive_id_is_a_version_8_uuid() -> None:
    """Derived ids are RFC 9562 UUIDs, version 8, in the canonical text form."""
    value = uuid.UUID(derive_id("POST /feedback", "tenant-a", "k-123456"))
    assert (8, uuid.RFC_4122) == (value.version, value.variant)


def test_derive_id_is_pinned() -> None:
    """A known answer pins the algorithm: changing it would orphan every stored record."""
    # SHA-256 of b'feedback_core.dedup/v1\n["scope","key"]' starts 87d02ef7454c0c3e9595...;
    # the version nibble becomes 8 and the variant bits 0b10.
    assert "87d02ef7-454c-8c3e-9595-33a43ea0662f" == derive_id("scope", "key")


def test_derive_id_separates_the_parts() -> None:
    """Moving text between parts changes the id: the encoding is unambiguous."""
    assert derive_id("a", "bc") != derive_id("ab", "c")


def test_derive_id_differs_per_scope() -> None:
    """The same idempotency key in two scopes gives two ids."""
    assert derive_id("tenant-a", "k-123456") != derive_id("tenant-b", "k-123456")


@pytest.mark.parametrize("parts", [(), ("scope", "")])
def test_derive_id_refuses_no_parts_or_an_empty_part(parts: tuple[str, ...]) -> None:
    """An empty part would let two different scopes collapse into one."""
    with pytest.raises(ValueError, match="derive_id"):
        derive_id(*parts)


@given(st.lists(st.text(min_size=1), min_size=1, max_size=4))
def test_derive_id_is_deterministic(parts: list[str]) -> None:
    """Any parts give the same id every time."""
    assert derive_id(*parts) == derive_id(*list(parts))


@given(
    st.lists(st.text(min_size=1), min_size=1, max_size=4),
    st.lists(st.text(min_size=1), min_size=1, max_size=4),
)
def test_derive_id_is_distinct_per_key(first: list[str], second: list[str]) -> None:
    """Different parts give different ids."""
    assume(first != second)
    assert derive_id(*first) != derive_id(*second)


# fingerprint


def test_fingerprint_has_an_algorithm_prefix() -> None:
    """A fingerprint names its hash so it can change later without ambiguity."""
    value = fingerprint({"rating": 5})
    assert ("sha256:", 71) == (value[:7], len(value))


def test_fingerprint_ignores_key_order() -> None:
    """Re-serializing a body with its keys in another order is the same payload."""
    assert fingerprint({"a": 1, "b": {"x": 1, "y": 2}}) == fingerprint(
        {"b": {"y": 2, "x": 1}, "a": 1}
    )


def test_fingerprint_ignores_number_spelling() -> None:
    """5, 5.0 and 5.00 are one number."""
    assert fingerprint({"rating": 5}) == fingerprint({"rating": Decimal("5.00")})
    assert fingerprint({"score": Decimal("0.5")}) == fingerprint({"score": Decimal("0.50")})


def test_fingerprint_tells_a_string_from_a_number() -> None:
    """The text "5" and the number 5 are different payloads."""
    assert fingerprint({"rating": 5}) != fingerprint({"rating": "5"})


def test_fingerprint_ignores_set_order_but_not_list_order() -> None:
    """Sets have no order; lists do."""
    assert fingerprint({"tags": frozenset({"a", "b"})}) == fingerprint({"tags": {"b", "a"}})
    assert fingerprint({"picks": ["a", "b"]}) != fingerprint({"picks": ["b", "a"]})


def test_fingerprint_sees_nested_changes() -> None:
    """A change deep inside an answers map changes the fingerprint."""
    assert fingerprint({"answers": {"q1": ["a"]}}) != fingerprint({"answers": {"q1": ["b"]}})


def test_fingerprint_refuses_floats() -> None:
    """A float has no exact decimal text, so it cannot be fingerprinted reliably."""
    with pytest.raises(TypeError, match="float"):
        fingerprint({"rating": 4.5})


@given(st.dictionaries(st.text(), st.integers() | st.text() | st.booleans(), max_size=8))
def test_fingerprint_is_independent_of_insertion_order(payload: dict[str, object]) -> None:
    """Reversing the insertion order never changes the fingerprint."""
    assert fingerprint(payload) == fingerprint(dict(reversed(list(payload.items()))))


# Idempotency-Key header


@pytest.mark.parametrize(
    "raw",
    [
        "8e03978e-40d5-43e8-bc93-6894a57f9324",
        "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        "V1StGXR8_Z5jdHi6B-myT",
        "b64+/abc=",
        "order:2026-11-22#1",
    ],
)
def test_common_key_formats_are_accepted(raw: str) -> None:
    """UUIDs, ULIDs, nanoids, base64 and readable keys all pass as they are."""
    assert IdempotencyKey(raw) == IdempotencyKey.parse(raw)


def test_a_quoted_key_is_unquoted() -> None:
    """The draft's structured-field string form "..." is accepted and unquoted."""
    assert IdempotencyKey("8e03978e-40d5") == IdempotencyKey.parse('"8e03978e-40d5"')


def test_surrounding_whitespace_is_ignored() -> None:
    """Optional whitespace around a header value is not part of it."""
    assert IdempotencyKey("abcdefgh") == IdempotencyKey.parse("  abcdefgh\t")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ('""', "empty"),
        ('"abcdefgh', "bad-quoting"),
        ('abcdefgh"', "bad-quoting"),
        ("abcdefgh,ijklmnop", "multiple-values"),
        ("abcd efgh", "bad-character"),
        ("abcdéfgh", "bad-character"),
        ("abcd\x00efgh", "bad-character"),
        ("abcd;efgh", "bad-character"),
        ('ab"cdefgh', "bad-character"),
        ("abcd\\efgh", "bad-character"),
        ("abc", "too-short"),
        ("a" * 256, "too-long"),
    ],
)
def test_bad_keys_are_refused_with_a_reason(raw: str, reason: str) -> None:
    """Each kind of bad header value gets its own machine-readable reason."""
    with pytest.raises(InvalidIdempotencyKeyError) as caught:
        IdempotencyKey.parse(raw)
    assert reason == caught.value.reason


def test_length_limits_are_configurable() -> None:
    """A route can ask for longer keys, or allow shorter ones."""
    assert IdempotencyKey("abc") == IdempotencyKey.parse("abc", min_length=1)
    with pytest.raises(InvalidIdempotencyKeyError, match="at least 36"):
        IdempotencyKey.parse("abcdefgh", min_length=36)


def test_a_bad_key_is_a_400_problem_and_a_dedup_error() -> None:
    """The error is an IngestError (status 400, rendered by ingest) and a DedupError."""
    with pytest.raises(InvalidIdempotencyKeyError) as caught:
        IdempotencyKey.parse("abc")
    error = caught.value
    assert isinstance(error, IngestError)
    assert isinstance(error, DedupError)
    response = problem_response(error)
    assert (400, "application/problem+json") == (
        response["statusCode"],
        response["headers"]["Content-Type"],
    )
    assert "invalid-idempotency-key" in response["body"]
    assert "at least 8 characters" in response["body"]


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8))
def test_visible_ascii_keys_parse_or_fail_cleanly(raw: str) -> None:
    """Any visible-ASCII text either parses to itself (unquoted) or is a 400, never a crash."""
    try:
        key = IdempotencyKey.parse(raw)
    except InvalidIdempotencyKeyError:
        return
    assert key.value in {raw, raw[1:-1]}


@given(st.text())
def test_arbitrary_text_gives_a_safe_key_or_a_400(raw: str) -> None:
    """Whatever a client sends, the result is a key within the rules or a 400, never a crash."""
    try:
        key = IdempotencyKey.parse(raw)
    except InvalidIdempotencyKeyError:
        return
    assert 8 <= len(key.value) <= 255
    assert all(0x21 <= ord(c) <= 0x7E and c not in '"\\,;' for c in key.value)


def test_the_header_is_found_whatever_its_case() -> None:
    """HTTP APIs lower-case header names; REST APIs keep the client's spelling."""
    for name in ("Idempotency-Key", "idempotency-key", "IDEMPOTENCY-KEY"):
        assert IdempotencyKey("abcdefgh") == idempotency_key_from_headers({name: "abcdefgh"})


@pytest.mark.parametrize("headers", [None, {}, {"content-type": "application/json"}])
def test_a_missing_optional_header_is_none(headers: dict[str, str] | None) -> None:
    """Without the header, and unless it is required, there is no key."""
    assert idempotency_key_from_headers(headers) is None


def test_a_missing_required_header_is_a_400() -> None:
    """The draft asks for a 400 when an operation that needs the header lacks it."""
    with pytest.raises(InvalidIdempotencyKeyError) as caught:
        idempotency_key_from_headers({}, required=True)
    assert ("missing", 400) == (caught.value.reason, caught.value.status)


def test_two_spellings_with_different_values_are_refused() -> None:
    """Two differently spelled headers with different keys are ambiguous."""
    with pytest.raises(InvalidIdempotencyKeyError) as caught:
        idempotency_key_from_headers({"Idempotency-Key": "abcdefgh", "idempotency-key": "zyxwvuts"})
    assert "multiple-values" == caught.value.reason


def test_two_spellings_with_the_same_value_are_one_key() -> None:
    """The same value under two spellings is still one key."""
    headers = {"Idempotency-Key": "abcdefgh", "idempotency-key": "abcdefgh"}
    assert IdempotencyKey("abcdefgh") == idempotency_key_from_headers(headers, required=True)
