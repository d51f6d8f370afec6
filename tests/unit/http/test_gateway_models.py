"""API Gateway's request models (templates/feedback-api.yaml) and the functions' validation.

The models are the draft-4 part of the body schemas (:func:`request_body_schema`); the template
holds them verbatim, and on any body the gateway refuses, the function refuses too: the gateway
only ever turns away what the function would (a body the function accepts always passes it).
The function checks more (lengths, patterns, choices after normalization), so the converse is
not claimed. Draft-4 validation is jsonschema's ``Draft4Validator``, as the JSON Schema draft 4
that API Gateway documents for models.
"""

from __future__ import annotations

import functools
import json
import string
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from feedback_core.errors import ValidationError
from feedback_core.http import ALL_ROUTES, CAST_VOTE, SUBMIT_FEEDBACK, SUBMIT_SURVEY_RESPONSE
from feedback_core.http.openapi import AUTHORIZATION, record_schema, request_body_schema
from feedback_core.ingest.fields import field
from feedback_core.ingest.schema import Record

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "feedback-api.yaml"
MODELS = {
    SUBMIT_FEEDBACK: "FeedbackBodyModel",
    CAST_VOTE: "VoteBodyModel",
    SUBMIT_SURVEY_RESPONSE: "SurveyResponseBodyModel",
}
# What the functions add to a body before decoding it (a path parameter; the verified caller).
SERVER_FIELDS: dict[Any, dict[str, object]] = {
    SUBMIT_FEEDBACK: {},
    CAST_VOTE: {"pollId": "p-1", "userId": "u-1"},
    SUBMIT_SURVEY_RESPONSE: {"surveyId": "s-1", "respondentId": "u-1"},
}
VALID: dict[Any, dict[str, object]] = {
    SUBMIT_FEEDBACK: {"name": "Ana", "email": "ana@example.com", "rating": 4, "message": "Hi"},
    CAST_VOTE: {"choice": "tabs"},
    SUBMIT_SURVEY_RESPONSE: {"answers": {"q1": 9, "q2": "fine", "q3": ["a", "b"], "q4": True}},
}


@functools.cache
def template() -> Any:
    """The template as CloudFormation reads it."""
    from cfnlint.decode import cfn_yaml

    return cfn_yaml.loads(TEMPLATE.read_text())


@pytest.mark.parametrize("route", list(MODELS), ids=lambda r: f"{r.method} {r.path}")
def test_the_template_holds_the_generated_model(route: Any) -> None:
    """Each body method validates with a model equal to the generated one."""
    resources = template()["Resources"]
    model = resources[MODELS[route]]["Properties"]
    methods = [
        m["Properties"]
        for m in resources.values()
        if m["Type"] == "AWS::ApiGateway::Method"
        and m["Properties"].get("RequestModels", {}).get("application/json")
        == {"Ref": MODELS[route]}
    ]
    assert (request_body_schema(route, draft4=True), "application/json") == (
        dict(model["Schema"]),
        model["ContentType"],
    )
    assert [{"Ref": "RequestBodyValidator"}] == [m["RequestValidatorId"] for m in methods]


def test_the_documented_security_is_the_templates() -> None:
    """The document's cognito and iam routes are the template's, under Authentication=cognito."""
    resources = template()["Resources"]
    paths = {}
    for name, resource in resources.items():
        if resource["Type"] == "AWS::ApiGateway::Resource":
            paths[name] = resource["Properties"]

    def path_of(reference: Any) -> str:
        if not isinstance(reference, dict) or "Ref" not in reference:
            return ""
        part = paths[reference["Ref"]]
        return path_of(part["ParentId"]) + "/" + part["PathPart"]

    schemes = {"COGNITO_USER_POOLS": "cognito", "AWS_IAM": "iam"}
    found = {}
    for resource in resources.values():
        if resource["Type"] != "AWS::ApiGateway::Method":
            continue
        method = resource["Properties"]
        kind = method["AuthorizationType"]
        kind = kind["Fn::If"][1] if isinstance(kind, dict) else kind  # the cognito branch
        if kind in schemes:
            found[(method["HttpMethod"], path_of(method["ResourceId"]))] = schemes[kind]
    assert AUTHORIZATION == found
    assert set(AUTHORIZATION) <= {(r.method, r.path) for r in ALL_ROUTES}


@attrs.frozen(kw_only=True)
class _Text(Record):
    """One single-line and one multi-line string, to compare control characters."""

    line: str = field(max_length=10)
    text: str = field(max_length=10, multiline=True)


def test_control_characters_are_refused_alike() -> None:
    """For each character up to U+2FFF (controls, spaces, separators, marks), both agree."""
    gateway = Draft4Validator(record_schema(_Text, draft4=True))
    differing = []
    for code in [*range(0x3000), 0xFEFF, 0xFFFD, 0xFFFF]:
        character = chr(code)
        for name in ("line", "text"):
            body = {"line": "a", "text": "a", name: f"a{character}b"}
            if gateway.is_valid(body) != _accepts(_Text, body, {}):
                differing.append((name, hex(code)))
    assert [] == differing


def _accepts(schema: type[Record], body: object, server: dict[str, object]) -> bool:
    try:
        schema.decode(json.dumps(body).encode(), server_fields=server)
    except ValidationError:
        return False
    return True


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(string.printable + "é\u0085\u212a\x00", max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=8,
)


@st.composite
def bodies(draw: st.DrawFn, route: Any) -> object:
    """A valid body, mutated: members dropped, replaced, added, padded, or any JSON at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_JSON)
    body: dict[str, object] = dict(VALID[route])
    names = [*body, *SERVER_FIELDS[route], "extra", "rating", "q1"]
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(names))
        action = draw(st.sampled_from(["drop", "replace", "pad", "answer"]))
        if action == "drop":
            body.pop(name, None)
        elif action == "replace":
            body[name] = draw(_JSON)
        elif action == "pad" and isinstance(body.get(name), str):
            body[name] = f"  {body[name]}\t"
        elif action == "answer" and isinstance(body.get("answers"), dict):
            answers = dict(body["answers"])  # type: ignore[call-overload]
            answers[draw(st.sampled_from(["q1", "q 2", "Kq", "q3"]))] = draw(_JSON)
            body["answers"] = answers
    return body


@pytest.mark.parametrize("route", list(MODELS), ids=lambda r: f"{r.method} {r.path}")
def test_a_body_the_gateway_refuses_the_function_refuses_too(route: Any) -> None:
    """On generated bodies: gateway refuses -> function refuses; both verdicts occur."""
    gateway = Draft4Validator(request_body_schema(route, draft4=True))
    verdicts: Counter[tuple[bool, bool]] = Counter()

    @given(body=bodies(route))
    @settings(max_examples=300, derandomize=True, suppress_health_check=list(HealthCheck))
    def check(body: object) -> None:
        passes, accepted = (
            gateway.is_valid(body),
            _accepts(route.body_schema, body, SERVER_FIELDS[route]),
        )
        verdicts[(passes, accepted)] += 1
        assert passes or not accepted, f"the gateway refuses what the function accepts: {body!r}"

    check()
    assert verdicts[(True, True)] > 0, verdicts
    assert verdicts[(False, False)] > 0, verdicts
