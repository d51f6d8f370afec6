"""POST /surveys/{surveyId}/responses end to end: API Gateway events through the handler to moto."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import boto3
import orjson
import pytest

from feedback_core.reports.dynamodb import create_responses_table
from tests.events import load
from tests.integration.handlers import invoke, load_handler

TABLE = "survey-responses-test"
SUB = "5f2b8c1e-0d4a-4b7e-9f3c-6a1d2e3f4b5c"


class Ticking:
    """A clock that moves one second per reading: every attempt is a new request."""

    def __init__(self) -> None:
        self.seconds = 0

    def __call__(self) -> str:
        self.seconds += 1
        return f"2026-11-22T10:{self.seconds // 60:02d}:{self.seconds % 60:02d}Z"


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    # The template's table: the key, and the per-survey, per-day index.
    create_responses_table(TABLE, client=client)
    return client


def handler(
    monkeypatch: pytest.MonkeyPatch, *, one_each: str = "onboarding", from_body: str = "true"
) -> ModuleType:
    monkeypatch.setenv("SURVEY_RESPONSES_TABLE", TABLE)
    monkeypatch.setenv("ONE_RESPONSE_PER_RESPONDENT_SURVEYS", one_each)
    monkeypatch.setenv("IDENTITY_FROM_BODY", from_body)
    module = load_handler("survey_responses")
    module.surveys.clock = Ticking()
    return module


@pytest.fixture
def surveys(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    return handler(monkeypatch)


def response(
    answers: dict[str, object] | None = None,
    *,
    survey: str = "nps-2026",
    key: str | None = "default",
    respondent: str | None = None,
) -> dict[str, Any]:
    """The sample response, changed: other answers, survey, key (None: none) or respondent."""
    event = load("apigw_v1_post_survey_response")
    body: dict[str, object] = orjson.loads(event["body"])
    if answers is not None:
        body["answers"] = answers
    if respondent is not None:
        body["respondentId"] = respondent
    event["body"] = orjson.dumps(body).decode()
    event["pathParameters"] = {"surveyId": survey}
    if key is None:
        del event["headers"]["Idempotency-Key"]
        del event["multiValueHeaders"]["Idempotency-Key"]
    elif key != "default":
        event["headers"]["Idempotency-Key"] = key
        event["multiValueHeaders"]["Idempotency-Key"] = [key]
    return event


def stored(dynamodb: Any) -> list[dict[str, Any]]:
    return dynamodb.scan(TableName=TABLE)["Items"]  # type: ignore[no-any-return]  # moto's answer


def test_response_is_201_and_stored_with_its_day(surveys: ModuleType, dynamodb: Any) -> None:
    """The sample is stored once, with the timestamp and day the daily report reads."""
    status, _, body = invoke(surveys, load("apigw_v1_post_survey_response"))
    (item,) = stored(dynamodb)
    assert (201, ["responseId", "submittedAt", "surveyId"]) == (status, sorted(body))
    assert body["responseId"] == item["responseId"]["S"]
    assert ({"S": "2026-11-22T10:00:01Z"}, {"S": "2026-11-22"}) == (
        item["submittedAt"],
        item["submittedDay"],
    )
    assert {"N": "9"} == item["answers"]["M"]["recommend"]
    assert {"L": [{"S": "web"}, {"S": "app"}]} == item["answers"]["M"]["channels"]


def test_retry_with_the_same_key_replays(surveys: ModuleType, dynamodb: Any) -> None:
    """A retried POST (same key and body, a second later) gets the same id and body."""
    first = invoke(surveys, response())
    retry = invoke(surveys, response())
    assert (201, first[2], "true") == (retry[0], retry[2], retry[1]["Idempotent-Replayed"])
    assert 1 == len(stored(dynamodb))


def test_same_key_with_other_answers_is_422(surveys: ModuleType, dynamodb: Any) -> None:
    """Reusing an Idempotency-Key for other answers is refused; the first response stays."""
    invoke(surveys, response())
    status, _, body = invoke(surveys, response({"recommend": 3}))
    assert (422, "urn:feedback-core:problem:idempotency-key-reused") == (status, body["type"])
    assert "new key" in body["detail"]
    assert [{"N": "9"}] == [item["answers"]["M"]["recommend"] for item in stored(dynamodb)]


def test_a_new_key_is_a_new_response(surveys: ModuleType, dynamodb: Any) -> None:
    """Two keys are two responses, even with the same answers."""
    invoke(surveys, response())
    invoke(surveys, response(key="9d8c7b6a-second"))
    assert 2 == len(stored(dynamodb))


def test_missing_key_is_400_for_a_survey_that_needs_one(surveys: ModuleType, dynamodb: Any) -> None:
    """Without the header a retry could store the response twice, so it is required."""
    status, _, body = invoke(surveys, response(key=None))
    assert (400, "urn:feedback-core:problem:invalid-idempotency-key") == (status, body["type"])
    assert "Idempotency-Key" in body["detail"]
    assert [] == stored(dynamodb)


def test_one_per_respondent_needs_no_key_and_replays_the_same_answers(
    surveys: ModuleType, dynamodb: Any
) -> None:
    """For a one-each survey the respondent is the key: the same answers again replay."""
    first = invoke(surveys, response(survey="onboarding", key=None, respondent="r-7"))
    again = invoke(surveys, response(survey="onboarding", key=None, respondent="r-7"))
    assert (201, 201, first[2]) == (first[0], again[0], again[2])
    assert "true" == again[1]["Idempotent-Replayed"]
    assert 1 == len(stored(dynamodb))


def test_one_per_respondent_second_response_is_409_without_answers(
    surveys: ModuleType, dynamodb: Any
) -> None:
    """Other answers from the same respondent are refused with the stored response's id only."""
    first = invoke(surveys, response(survey="onboarding", respondent="r-7"))[2]
    status, _, body = invoke(
        surveys, response({"recommend": 1}, survey="onboarding", key="k-other-1", respondent="r-7")
    )
    assert (409, "urn:feedback-core:problem:duplicate") == (status, body["type"])
    assert {"responseId": first["responseId"], "submittedAt": first["submittedAt"]} == body[
        "existing"
    ]
    assert "Fast delivery" not in orjson.dumps(body).decode()  # no answers in a 409
    assert 1 == len(stored(dynamodb))


def test_one_per_respondent_without_a_respondent_is_400(surveys: ModuleType, dynamodb: Any) -> None:
    """A one-each survey must know who answers: 400 at /respondentId, with the other errors."""
    status, _, body = invoke(surveys, response({}, survey="onboarding"))
    assert (400, ["/answers", "/respondentId"]) == (
        status,
        sorted(e["pointer"] for e in body["errors"]),
    )
    assert [] == stored(dynamodb)


def test_star_makes_every_survey_one_per_respondent(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ONE_RESPONSE_PER_RESPONDENT_SURVEYS=* applies to any survey id."""
    module = handler(monkeypatch, one_each="*")
    invoke(module, response(key=None, respondent="r-7"))
    assert 409 == invoke(module, response({"recommend": 2}, key=None, respondent="r-7"))[0]


def test_signed_in_respondent_is_the_authorizers_user(surveys: ModuleType, dynamodb: Any) -> None:
    """With an authorizer identity the respondent is the caller, and one each holds per caller."""
    event = response(survey="onboarding", key=None)
    event["requestContext"]["authorizer"] = {"claims": {"sub": SUB}}
    assert 201 == invoke(surveys, event)[0]
    (item,) = stored(dynamodb)
    assert {"S": SUB} == item["respondentId"]


def test_anonymous_api_refuses_a_body_that_names_a_respondent(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without sign-in and without IDENTITY_FROM_BODY, responses are anonymous."""
    module = handler(monkeypatch, from_body="false")
    status, _, body = invoke(module, response(respondent="r-7"))
    assert (400, "/respondentId") == (status, body["errors"][0]["pointer"])
    assert "sign-in" in body["errors"][0]["detail"]
    assert 201 == invoke(module, response())[0]
    (item,) = stored(dynamodb)
    assert "respondentId" not in item


def test_a_days_responses_are_found_through_the_index(surveys: ModuleType, dynamodb: Any) -> None:
    """The bySurveyDay index answers "this survey's responses on this day", in time order."""
    ids = [invoke(surveys, response(key=f"key-{n:04d}-abcd"))[2]["responseId"] for n in range(3)]
    invoke(surveys, response(survey="other-survey", key="key-other-abcd"))
    page = dynamodb.query(
        TableName=TABLE,
        IndexName="bySurveyDay",
        KeyConditionExpression="#survey = :survey AND begins_with(#at, :day)",
        ExpressionAttributeNames={"#survey": "surveyId", "#at": "submittedAt"},
        ExpressionAttributeValues={":survey": {"S": "nps-2026"}, ":day": {"S": "2026-11-22"}},
    )
    assert ids == [item["responseId"]["S"] for item in page["Items"]]


def test_bad_path_survey_id_is_400(surveys: ModuleType, dynamodb: Any) -> None:
    """A survey id that breaks the id format is refused before anything is stored."""
    status, _, body = invoke(surveys, response(survey="no spaces"))
    assert (400, "/surveyId") == (status, body["errors"][0]["pointer"])
    assert [] == stored(dynamodb)
