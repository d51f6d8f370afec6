"""The demo's generated traffic: API Gateway events for each route, valid, broken and retried.

Each generator is seeded, so a demo run is reproducible; ``kind`` says what the generator meant
(``valid``, ``retry``, ``bad-json``...), so the demo can check each answer against its intent.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import random

__all__ = [
    "ONE_EACH_SURVEY",
    "POLLS",
    "VOTE_RESOURCE",
    "Request",
    "feedback_requests",
    "rest_event",
    "survey_requests",
    "vote_requests",
]

Request = tuple[str, dict[str, Any]]
"""A generated request: its kind (what the generator meant) and the API Gateway event."""

_NAMES = ["Ana Silva", "Bo Li", "José Núñez", "Kim Park", "Zoë Adams", "Omar Haddad"]
_MESSAGES = [
    "Checkout was quick and the staff were lovely.",
    "The app crashed twice 😞 but support was fantastic and fixed it fast.",
    "Delivery was late and the box was damaged.",
    "Great value, will order again!",
    "It was fine. Nothing special.",
    "Refund took three weeks. Not happy.",
    "Ordered on Monday, delivered on Thursday.",
    "I used the self-checkout this time.",
]
POLLS = {
    "lunch-friday": ["pizza", "salad", "curry", "soup"],
    "tabs-or-spaces": ["tabs", "spaces"],
    "release-name": ["aurora", "borealis", "comet"],
}
_KEYED_SURVEYS = ["nps-2026", "checkout-2026"]  # one response per Idempotency-Key
ONE_EACH_SURVEY = "onboarding"
"""The demo's survey that takes one response per respondent (OneResponsePerRespondentSurveys)."""
_REASONS = ["Fast delivery.", "Friendly staff.", "Too expensive.", "Hard to find the button."]
_CHANNELS = ["web", "app", "store", "phone"]


def _event(
    body: str, *, headers: dict[str, str] | None = None, base64_body: bool = False
) -> dict[str, Any]:
    if base64_body:
        return {
            "version": "2.0",
            "routeKey": "POST /feedback",
            "rawPath": "/feedback",
            "headers": {"content-type": "application/json", **(headers or {})},
            "requestContext": {
                "http": {"method": "POST", "path": "/feedback"},
                "requestId": "demo",
            },
            "body": base64.b64encode(body.encode()).decode(),
            "isBase64Encoded": True,
        }
    return {
        "resource": "/feedback",
        "path": "/feedback",
        "httpMethod": "POST",
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "requestContext": {"requestId": "demo", "identity": {"sourceIp": "127.0.0.1"}},
        "body": body,
        "isBase64Encoded": False,
    }


def rest_event(
    method: str,
    resource: str,
    parameters: dict[str, str],
    body: object = None,
    *,
    key: str | None = None,
    caller: str | None = None,
) -> dict[str, Any]:
    """A REST API (v1) proxy event for a route with path parameters."""
    path = resource.format(**parameters)
    headers = {} if body is None else {"Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    context: dict[str, Any] = {
        "requestId": "demo",
        "resourcePath": resource,
        "httpMethod": method,
        "identity": {"sourceIp": "127.0.0.1"},
    }
    if caller is not None:  # as a Cognito user pool authorizer would pass it
        context["authorizer"] = {"claims": {"sub": caller}}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "pathParameters": parameters,
        "requestContext": context,
        "body": None if body is None else orjson.dumps(body).decode(),
        "isBase64Encoded": False,
    }


def feedback_requests(count: int, rng: random.Random) -> list[Request]:
    """Generate ``count`` labelled feedback requests: mostly valid, some broken, some retried."""
    requests: list[Request] = []
    while len(requests) < count:
        body: dict[str, object] = {
            "name": rng.choice(_NAMES),
            "email": f"user{len(requests)}@example.com",
            "rating": rng.randint(1, 5),
            "message": rng.choice(_MESSAGES),
        }
        kind = rng.choices(
            [
                "valid",
                "retried",
                "bad-fields",
                "float-rating",
                "not-json",
                "wrong-type",
                "too-large",
            ],
            weights=[60, 10, 12, 5, 5, 4, 4],
        )[0]
        if kind == "bad-fields":
            body["email"] = "not-an-address"
            body["rating"] = rng.choice([0, 6, True])
        if kind == "float-rating":
            body["rating"] = 4.5
        text = orjson.dumps(body).decode()
        if kind == "not-json":
            text = text[:-3]
        if kind == "too-large":
            body["message"] = "x" * 70_000
            text = orjson.dumps(body).decode()
        headers = {"Content-Type": "text/plain"} if kind == "wrong-type" else {}
        if kind == "retried":
            headers["Idempotency-Key"] = f"demo-retry-{len(requests):06d}"
            event = _event(text, headers=headers, base64_body=rng.random() < 0.5)
            requests += [("retried", event), ("retry", _event(text, headers=headers))]
            continue
        requests.append((kind, _event(text, headers=headers, base64_body=rng.random() < 0.3)))
    return requests[:count]


_VOTES = "/polls/{pollId}/votes"
VOTE_RESOURCE = "/polls/{pollId}/votes/{userId}"


def vote_requests(count: int, rng: random.Random) -> list[Request]:
    """Generate ``count`` labelled votes over a few polls.

    Kinds: ``new`` (a user's first vote in a poll), ``again`` (the same user votes again, for
    another choice), ``same-again`` (the same user votes again, for the same choice),
    ``retried`` + ``retry`` (one request sent twice), ``signed-in`` (the user comes from an
    authorizer's claims, not the body) and ``invalid``. Like a well-behaved client, each vote
    carries a new Idempotency-Key, and a retry the key of the request it repeats.
    """
    users = [f"u-{n:04d}" for n in range(max(20, count))]
    fresh = [(poll, user) for poll in POLLS for user in users]
    rng.shuffle(fresh)
    held: dict[tuple[str, str], str] = {}  # each vote's choice, as the client last sent it
    requests: list[Request] = []
    while len(requests) < count:
        kind = rng.choices(
            ["new", "again", "same-again", "retried", "signed-in", "invalid"],
            weights=[50, 14, 8, 12, 8, 8],
        )[0]
        if kind in ("again", "same-again") and not held:
            kind = "new"
        poll, user = rng.choice(list(held)) if kind in ("again", "same-again") else fresh.pop()
        choices = POLLS[poll]
        if kind == "again":
            choice = rng.choice([c for c in choices if c != held[poll, user]])
        elif kind == "same-again":
            choice = held[poll, user]
        else:
            choice = rng.choice(choices)
        parameters = {"pollId": poll}
        key = f"demo-vote-{len(requests):06d}"
        body: dict[str, str] = {"userId": user, "choice": choice}
        if kind == "invalid":
            body = rng.choice([{**body, "choice": ""}, {**body, "userId": "no spaces"}])
            requests.append((kind, rest_event("POST", _VOTES, parameters, body, key=key)))
            continue
        held.setdefault((poll, user), choice)  # under reject the first choice stays
        if kind == "signed-in":
            event = rest_event("POST", _VOTES, parameters, {"choice": choice}, key=key, caller=user)
            requests.append((kind, event))
        elif kind == "retried":
            requests += [
                (kind, rest_event("POST", _VOTES, parameters, body, key=key)),
                ("retry", rest_event("POST", _VOTES, parameters, body, key=key)),
            ]
        else:
            requests.append((kind, rest_event("POST", _VOTES, parameters, body, key=key)))
    return requests[:count]


_RESPONSES = "/surveys/{surveyId}/responses"


def _answers(rng: random.Random, survey: str) -> dict[str, object]:
    if survey == ONE_EACH_SURVEY:
        return {"easy": rng.random() < 0.7, "minutes": rng.randint(1, 30)}
    return {
        "recommend": rng.randint(0, 10),  # 0-10: NPS (the stack's NpsQuestions)
        "satisfaction": rng.randint(1, 5),  # 1-5: CSAT (CsatQuestions)
        "reason": rng.choice(_REASONS),
        "channels": rng.sample(_CHANNELS, rng.randint(1, 3)),
    }


def survey_requests(count: int, rng: random.Random) -> list[Request]:
    """Generate ``count`` labelled survey responses.

    Kinds: ``new`` (a response with a new Idempotency-Key), ``retried`` + ``retry`` (sent twice
    with one key), ``reused-key`` (a key used again for other answers), ``no-key``, and for the
    one-per-respondent survey ``one-each`` (a respondent's first response) and ``one-each-again``
    (the same respondent again, with the same answers or others).
    """
    requests: list[Request] = []
    answered: list[tuple[str, dict[str, object]]] = []  # one-each respondents and their answers
    while len(requests) < count:
        kind = rng.choices(
            ["new", "retried", "reused-key", "no-key", "one-each", "one-each-again"],
            weights=[40, 15, 8, 7, 18, 12],
        )[0]
        survey = rng.choice(_KEYED_SURVEYS)
        key = f"demo-response-{len(requests):06d}"
        body: dict[str, object] = {"answers": _answers(rng, survey)}
        parameters = {"surveyId": survey}
        if kind == "one-each-again" and not answered:
            kind = "one-each"
        if kind in ("one-each", "one-each-again"):
            parameters = {"surveyId": ONE_EACH_SURVEY}
            if kind == "one-each":
                respondent = f"r-{len(requests):04d}"
                body = {"answers": _answers(rng, ONE_EACH_SURVEY), "respondentId": respondent}
                answered.append((respondent, body))
            else:
                respondent, first = rng.choice(answered)
                same = rng.random() < 0.5  # a retry, or a change of mind
                body = first if same else {**first, "answers": _answers(rng, ONE_EACH_SURVEY)}
            requests.append((kind, rest_event("POST", _RESPONSES, parameters, body)))
        elif kind == "retried":
            requests += [
                (kind, rest_event("POST", _RESPONSES, parameters, body, key=key)),
                ("retry", rest_event("POST", _RESPONSES, parameters, body, key=key)),
            ]
        elif kind == "reused-key":
            other = {"answers": _answers(rng, survey)}
            requests += [
                ("new", rest_event("POST", _RESPONSES, parameters, body, key=key)),
                (kind, rest_event("POST", _RESPONSES, parameters, other, key=key)),
            ]
        else:
            event = rest_event(
                "POST", _RESPONSES, parameters, body, key=None if kind == "no-key" else key
            )
            requests.append((kind, event))
    return requests[:count]
