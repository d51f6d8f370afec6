"""Decoding JSON bodies into records with the built-in schemas and a custom one."""

from __future__ import annotations

from decimal import Decimal

import attrs
import orjson
import pytest

from feedback_core.errors import ValidationError
from feedback_core.ingest import Feedback, Record, SurveyResponse, Vote, field

VALID = {"name": "Ana", "email": "ana@example.com", "rating": 4, "message": "Quick and kind."}


def errors_of(body: object) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        Feedback.decode(orjson.dumps(body))
    return [(e.pointer, e.code) for e in caught.value.errors]


def test_valid_feedback_decodes() -> None:
    """A valid body becomes a frozen Feedback with snake_case attributes."""
    record = Feedback.decode(orjson.dumps({**VALID, "customerId": "c-42"}))
    assert (
        Feedback(
            name="Ana",
            email="ana@example.com",
            rating=4,
            message="Quick and kind.",
            customer_id="c-42",
        )
        == record
    )


def test_every_error_is_reported_at_once() -> None:
    """Four broken fields give four errors, in schema order."""
    body = {"name": "", "email": "nope", "rating": 9, "message": 3}
    assert [
        ("/name", "empty"),
        ("/email", "pattern"),
        ("/rating", "maximum"),
        ("/message", "type"),
    ] == errors_of(body)


def test_missing_fields_are_required() -> None:
    """An empty object names every required field."""
    assert [
        ("/name", "required"),
        ("/email", "required"),
        ("/rating", "required"),
        ("/message", "required"),
    ] == errors_of({})


def test_boolean_is_not_an_integer() -> None:
    """true is not the rating 1."""
    assert [("/rating", "type")] == errors_of({**VALID, "rating": True})


def test_float_is_refused_where_an_integer_is_due() -> None:
    """4.0 is not an integer rating."""
    assert [("/rating", "type")] == errors_of({**VALID, "rating": 4.0})


def test_huge_integer_is_out_of_range_not_a_type_error() -> None:
    """An integer too large for a double is still read as an integer and then refused by range."""
    with pytest.raises(ValidationError) as caught:
        Feedback.decode(
            b'{"name":"a","email":"a@b.co","rating":123456789012345678901234567890,"message":"m"}'
        )
    assert ["maximum"] == [e.code for e in caught.value.errors]


def test_unknown_field_is_rejected_by_default() -> None:
    """A misspelt field is reported rather than silently dropped."""
    assert [("/ratting", "unknown_field")] == errors_of({**VALID, "ratting": 5})


def test_unknown_field_can_be_ignored() -> None:
    """A schema with unknown_fields = "ignore" drops extra fields."""

    @attrs.frozen(kw_only=True)
    class Lenient(Record):
        unknown_fields = "ignore"
        title: str = field(max_length=10)

    assert Lenient(title="x") == Lenient.decode(b'{"title": "x", "extra": [1, 2]}')


def test_strings_are_trimmed_and_nfc_normalized() -> None:
    """A decomposed "é" with spaces around becomes the composed "é"."""
    record = Feedback.decode(orjson.dumps({**VALID, "name": "  Jose\u0301 "}))
    assert "Jos\u00e9" == record.name


def test_control_characters_are_refused() -> None:
    """A NUL in a name is an error, not stored."""
    assert [("/name", "control_character")] == errors_of({**VALID, "name": "a\u0000b"})


def test_line_breaks_allowed_only_in_multiline_fields() -> None:
    """The message may hold line breaks; the name may not."""
    assert [("/name", "control_character")] == errors_of(
        {**VALID, "name": "a\nb", "message": "line 1\nline 2"}
    )


def test_lone_surrogate_is_refused() -> None:
    """A lone surrogate escape cannot be written as UTF-8, so the body is refused as bad JSON."""
    with pytest.raises(ValidationError) as caught:
        Feedback.decode(b'{"name":"a","email":"a@b.co","rating":1,"message":"\\ud800"}')
    assert [("", "invalid_json")] == [(e.pointer, e.code) for e in caught.value.errors]


def test_lone_surrogate_in_parsed_value_is_refused() -> None:
    """A value parsed elsewhere that holds a lone surrogate is refused at its field."""
    with pytest.raises(ValidationError) as caught:
        Feedback.from_json_value({**VALID, "message": "bad \ud800"})
    assert [("/message", "control_character")] == [(e.pointer, e.code) for e in caught.value.errors]


def test_length_counts_characters_not_bytes() -> None:
    """120 emoji are a valid 120-character name."""
    assert 120 == len(Feedback.decode(orjson.dumps({**VALID, "name": "\U0001f600" * 120})).name)


def test_null_for_optional_field_means_absent() -> None:
    """customerId: null is the same as leaving it out."""
    assert Feedback.decode(orjson.dumps({**VALID, "customerId": None})).customer_id is None


def test_null_for_required_field_is_required_error() -> None:
    """name: null is reported as a missing required field."""
    assert [("/name", "required")] == errors_of({**VALID, "name": None})


@pytest.mark.parametrize("body", [b"[1]", b'"text"', b"3", b"null"])
def test_body_must_be_an_object(body: bytes) -> None:
    """Any JSON that is not an object is one error at the root."""
    with pytest.raises(ValidationError) as caught:
        Feedback.decode(body)
    assert [("", "type")] == [(e.pointer, e.code) for e in caught.value.errors]


@pytest.mark.parametrize("body", [b"{", b"", b"\xff\xfe", b'{"rating": NaN}', b'{"a": Infinity}'])
def test_invalid_json_is_one_error(body: bytes) -> None:
    """Malformed JSON, bad UTF-8 and NaN are all invalid_json at the root."""
    with pytest.raises(ValidationError) as caught:
        Feedback.decode(body)
    assert [("", "invalid_json")] == [(e.pointer, e.code) for e in caught.value.errors]


def test_survey_answers_keep_exact_decimals() -> None:
    """0.1 stays Decimal("0.1") (no binary float), and 5.0 becomes the integer 5."""
    record = SurveyResponse.decode(
        b'{"surveyId": "s1", "answers": '
        b'{"q1": 0.1, "q2": 5.0, "q3": "ok", "q4": true, "q5": ["a", "b"]}}'
    )
    assert {
        "q1": Decimal("0.1"),
        "q2": 5,
        "q3": "ok",
        "q4": True,
        "q5": ("a", "b"),
    } == record.answers


def test_survey_answer_errors_point_into_the_map() -> None:
    """A bad answer's pointer names the question, JSON-pointer escaped."""
    with pytest.raises(ValidationError) as caught:
        SurveyResponse.decode(b'{"surveyId": "s1", "answers": {"q1": {"nested": 1}, "q2": [1]}}')
    assert [("/answers/q1", "type"), ("/answers/q2/0", "type")] == [
        (e.pointer, e.code) for e in caught.value.errors
    ]


def test_survey_limits_answer_count() -> None:
    """More than 50 answers is refused."""
    answers = {f"q{i}": i for i in range(51)}
    with pytest.raises(ValidationError) as caught:
        SurveyResponse.decode(orjson.dumps({"surveyId": "s1", "answers": answers}))
    assert [("/answers", "max_items")] == [(e.pointer, e.code) for e in caught.value.errors]


def test_decimal_beyond_38_digits_is_refused() -> None:
    """DynamoDB keeps 38 significant digits; more is a client error, not a 500 later."""
    with pytest.raises(ValidationError) as caught:
        SurveyResponse.decode(b'{"surveyId": "s1", "answers": {"q1": 0.' + b"1" * 39 + b"}}")
    assert ["precision"] == [e.code for e in caught.value.errors]


def test_server_fields_fill_path_parameters() -> None:
    """The poll id from the path completes the vote."""
    assert Vote(poll_id="p1", user_id="u1", choice="yes") == Vote.decode(
        b'{"userId": "u1", "choice": "yes"}', server_fields={"pollId": "p1"}
    )


def test_server_fields_conflict_with_body() -> None:
    """A body naming another poll than the path is a conflict."""
    with pytest.raises(ValidationError) as caught:
        Vote.decode(
            b'{"pollId": "p2", "userId": "u1", "choice": "yes"}', server_fields={"pollId": "p1"}
        )
    assert [("/pollId", "conflict")] == [(e.pointer, e.code) for e in caught.value.errors]


def test_record_round_trips_through_dynamodb_item() -> None:
    """to_item then from_item gives the same record back."""
    record = SurveyResponse.decode(
        b'{"surveyId": "s1", "answers": {"q1": 4.25, "q2": ["x"], "q3": false}, '
        b'"respondentId": "r1"}'
    )
    assert record == SurveyResponse.from_item(record.to_item())


def test_to_json_writes_decimals_as_exact_numbers() -> None:
    """A Decimal answer is a JSON number with its exact digits."""
    record = SurveyResponse.decode(
        b'{"surveyId": "s1", "answers": {"q1": 0.1000000000000000055511151231257827}}'
    )
    assert (
        b'{"surveyId":"s1","answers":{"q1":0.1000000000000000055511151231257827}}'
        == record.to_json_bytes()
    )


def test_schema_class_must_be_attrs() -> None:
    """Forgetting @attrs.frozen is a clear TypeError at first use."""

    class Plain(Record):
        pass

    with pytest.raises(TypeError, match="attrs class"):
        Plain.decode(b"{}")
