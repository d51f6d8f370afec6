"""The OpenAPI document: valid OpenAPI 3.1, every route, the read models' real shapes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from feedback_core.aggregate.read import (
    AnswerCount,
    ChoiceTally,
    DailyCount,
    FeedbackAnalytics,
    NetPromoterScore,
    PollResults,
    QuestionSummary,
    RatingCount,
    SentimentCount,
    SurveySummary,
)
from feedback_core.errors import (
    DuplicateError,
    FeedbackCoreError,
    FieldError,
    ThrottledError,
    ValidationError,
)
from feedback_core.http import ALL_ROUTES, problem_for
from feedback_core.http.openapi import AUTHORIZATION, openapi_document
from feedback_core.http.presenters import vote_problem
from feedback_core.usecases.erasure import Erasure
from feedback_core.usecases.outcomes import FeedbackReceipt, ResponseReceipt, StoredVote

DOCS_COPY = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def component(name: str) -> Draft202012Validator:
    """A validator for one of the document's component schemas."""
    schema = openapi_document()["components"]["schemas"][name]
    return Draft202012Validator(schema)


def test_the_document_is_valid_openapi_3_1() -> None:
    """openapi-spec-validator accepts the document (and so do API tools)."""
    from openapi_spec_validator import validate

    document = openapi_document()
    validate(document)
    assert "3.1.0" == document["openapi"]


def test_every_route_is_documented_once() -> None:
    """The document's operations are exactly the route table's."""
    paths: dict[str, dict[str, Any]] = openapi_document()["paths"]
    documented = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert {(r.method, r.path) for r in ALL_ROUTES} == documented


def test_the_docs_copy_is_current() -> None:
    """docs/openapi.json is the generated document (regenerate: feedback-core openapi)."""
    expected = json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
    assert expected == DOCS_COPY.read_text(encoding="utf-8")


def test_secured_routes_name_their_scheme_and_its_refusal() -> None:
    """A Cognito route documents 401 and the cognito scheme; an admin route 403 and iam."""
    paths: dict[str, dict[str, Any]] = openapi_document()["paths"]
    found = {}
    for method, path in AUTHORIZATION:
        operation = paths[path][method.lower()]
        found[(method, path)] = (operation["security"], "401" in operation["responses"])
    assert {
        key: ([{scheme: []}], scheme == "cognito") for key, scheme in AUTHORIZATION.items()
    } == found


def test_without_sign_in_no_operation_asks_for_credentials() -> None:
    """``authorization={}`` (serve's sample mode) leaves every operation open."""
    paths: dict[str, dict[str, Any]] = openapi_document(authorization={})["paths"]
    assert set() == {
        (method, path)
        for path, item in paths.items()
        for method, op in item.items()
        if op["security"]
    }


_TALLY = ChoiceTally(choice="tabs", votes=2, percentage=Decimal("66.67"))
READ_MODELS = [
    ("FeedbackReceipt", FeedbackReceipt(feedback_id="f", created_at="t", sentiment="positive")),
    ("FeedbackReceipt", FeedbackReceipt(feedback_id="f", created_at="t")),
    ("StoredVote", StoredVote(poll_id="p", user_id="u", choice="c", voted_at="t")),
    (
        "StoredVote",
        StoredVote(
            poll_id="p",
            user_id="u",
            choice="c",
            voted_at="t",
            revision=2,
            previous_choice="b",
            changed_at="t2",
        ),
    ),
    ("ResponseReceipt", ResponseReceipt(survey_id="s", response_id="r", submitted_at="t")),
    ("PollResults", PollResults(poll_id="p", total_votes=3, choices=(_TALLY,), updated_at=None)),
    (
        "FeedbackAnalytics",
        FeedbackAnalytics(
            count=1,
            rated=1,
            average_rating=Decimal("4.5"),
            rating_histogram=(RatingCount(rating=4, count=1, percentage=Decimal(100)),),
            csat=None,
            sentiment=(SentimentCount(label="mixed", count=1, percentage=Decimal(100)),),
            unanalyzed=0,
            daily=(DailyCount(day="2026-11-29", count=1, average_rating=None),),
            updated_at="t",
        ),
    ),
    (
        "SurveySummary",
        SurveySummary(
            survey_id="s",
            responses=2,
            questions=(
                QuestionSummary(
                    question_id="q",
                    answered=2,
                    answers=(
                        AnswerCount(answer=9, count=1, percentage=Decimal(50)),
                        AnswerCount(answer=True, count=1, percentage=Decimal(50)),
                        AnswerCount(answer="ok", count=1, percentage=Decimal(50)),
                    ),
                    other=0,
                    mean=Decimal(9),
                    nps=NetPromoterScore(
                        score=Decimal(100), promoters=1, passives=0, detractors=0, responses=1
                    ),
                    csat=Decimal("50.5"),
                ),
            ),
            updated_at=None,
        ),
    ),
    ("Erasure", Erasure(customer_id="c", erased=3)),
]


@pytest.mark.parametrize(("name", "model"), READ_MODELS)
def test_read_models_have_the_documented_shape(name: str, model: Any) -> None:
    """Each read model's JSON validates against its component schema."""
    assert [] == [e.message for e in component(name).iter_errors(model.to_json())]


def test_the_problem_schema_refuses_a_read_model() -> None:
    """The schemas constrain: a vote is not a problem (a check that can fail)."""
    vote = StoredVote(poll_id="p", user_id="u", choice="c", voted_at="t").to_json()
    assert not component("Problem").is_valid(vote)


@pytest.mark.parametrize(
    "error",
    [
        ValidationError((FieldError(pointer="/rating", code="maximum", message="Too high."),)),
        DuplicateError("k", {"choice": "tabs", "votedAt": "t"}),
        ThrottledError("PutItem", "ProvisionedThroughputExceededException"),
    ],
)
def test_problems_have_the_documented_shape(error: FeedbackCoreError) -> None:
    """Every problem body the handlers send validates against the Problem schema."""
    response = problem_for(error, request_id="r-1", extensions=vote_problem(error))
    body = json.loads(response.body)
    assert [] == [e.message for e in component("Problem").iter_errors(body)]
