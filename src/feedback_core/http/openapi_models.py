"""The OpenAPI document's components: response bodies, problems, headers, security schemes.

The read models' JSON shapes (their ``to_json``) written as JSON Schema, the RFC 9457 problem
every refusal carries, and which success each route answers (:data:`SUCCESS`). Request bodies
and parameters are not here: :mod:`feedback_core.http.openapi` derives them from the schemas.
The Schemathesis test against ``feedback-core serve`` checks every real response against these.
"""

from __future__ import annotations

from typing import Final

__all__ = ["COMPONENTS", "SUCCESS"]

Json = dict[str, object]

_STRING: Final[Json] = {"type": "string"}
_INT: Final[Json] = {"type": "integer"}
_NUMBER: Final[Json] = {"type": "number"}
_STAMP: Final[Json] = {"type": ["string", "null"], "description": "ISO-8601 UTC, or null."}
_OPTIONAL_NUMBER: Final[Json] = {"type": ["number", "null"]}


def _object(required: dict[str, Json], optional: dict[str, Json] | None = None) -> Json:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
    }


def _share(key: str, value: Json) -> Json:
    """A list entry with a count and its percentage of the whole."""
    return _object({key: value, "count": _INT, "percentage": _NUMBER})


_SCHEMAS: Final[dict[str, Json]] = {
    "FeedbackReceipt": _object(
        {"feedbackId": _STRING, "createdAt": _STRING}, {"sentiment": _STRING}
    ),
    "StoredVote": _object(
        {"pollId": _STRING, "userId": _STRING, "choice": _STRING, "votedAt": _STRING},
        {"revision": _INT, "previousChoice": _STRING, "changedAt": _STRING},
    ),
    "ResponseReceipt": _object(
        {"surveyId": _STRING, "responseId": _STRING, "submittedAt": _STRING}
    ),
    "PollResults": _object(
        {
            "pollId": _STRING,
            "totalVotes": _INT,
            "choices": {
                "type": "array",
                "items": _object({"choice": _STRING, "votes": _INT, "percentage": _NUMBER}),
            },
            "updatedAt": _STAMP,
        }
    ),
    "FeedbackAnalytics": _object(
        {
            "count": _INT,
            "rated": _INT,
            "averageRating": _OPTIONAL_NUMBER,
            "ratingHistogram": {"type": "array", "items": _share("rating", _INT)},
            "csat": _OPTIONAL_NUMBER,
            "sentiment": {"type": "array", "items": _share("label", _STRING)},
            "unanalyzed": _INT,
            "daily": {
                "type": "array",
                "items": _object(
                    {"day": _STRING, "count": _INT, "averageRating": _OPTIONAL_NUMBER}
                ),
            },
            "updatedAt": _STAMP,
        }
    ),
    "SurveySummary": _object(
        {
            "surveyId": _STRING,
            "responses": _INT,
            "questions": {
                "type": "array",
                "items": _object(
                    {
                        "questionId": _STRING,
                        "answered": _INT,
                        "answers": {
                            "type": "array",
                            "items": _share("answer", {"type": ["string", "number", "boolean"]}),
                        },
                        "other": _INT,
                        "mean": _OPTIONAL_NUMBER,
                        "nps": {
                            "anyOf": [
                                _object(
                                    {
                                        "score": _NUMBER,
                                        "promoters": _INT,
                                        "passives": _INT,
                                        "detractors": _INT,
                                        "responses": _INT,
                                    }
                                ),
                                {"type": "null"},
                            ]
                        },
                        "csat": _OPTIONAL_NUMBER,
                    }
                ),
            },
            "updatedAt": _STAMP,
        }
    ),
    "FeedbackPage": _object(
        {
            "items": {
                "type": "array",
                "items": _object(
                    {
                        "feedbackId": _STRING,
                        "createdAt": _STRING,
                        "name": _STRING,
                        "rating": _INT,
                        "message": _STRING,
                    },
                    {"email": _STRING, "customerId": _STRING, "sentiment": _STRING},
                ),
            },
            "nextCursor": {
                "type": ["string", "null"],
                "description": "Pass as ?cursor= for the next page; null on the last page.",
            },
        }
    ),
    "Erasure": _object({"customerId": _STRING, "erased": _INT}),
    "Health": _object(
        {
            "status": {"enum": ["ok", "unavailable"]},
            "checks": {
                "type": "object",
                "additionalProperties": {"enum": ["ok", "unavailable"]},
            },
        }
    ),
    "Problem": {
        "description": (
            "An RFC 9457 problem. Validation problems list every field error at once; a 409 "
            "carries the stored record, a health 503 each dependency's state."
        ),
        **_object(
            {"type": _STRING, "title": _STRING, "status": _INT, "detail": _STRING},
            {
                "instance": _STRING,
                "errors": {
                    "type": "array",
                    "items": _object(
                        {
                            "pointer": {**_STRING, "description": "JSON pointer to the field."},
                            "code": _STRING,
                            "detail": _STRING,
                        }
                    ),
                },
            },
        ),
    },
    "GatewayMessage": {
        "description": "API Gateway's own refusal (the authorizer's 401, IAM's 403).",
        **_object({"message": _STRING}),
    },
}

_PROBLEMS: Final = {
    "400": "The request is not valid: every field error at once.",
    "404": "Not found.",
    "409": "Already submitted (a vote under VotePolicy=reject, a one-per-respondent survey).",
    "413": "The body is larger than the function's limit (MaxBodyBytes).",
    "415": "The body is not JSON (Content-Type).",
    "422": "The Idempotency-Key was already used for a different request.",
    "500": "The service is misconfigured.",
    "503": "A dependency is busy or down; retry after Retry-After seconds.",
}


def _problem(code: str, description: str) -> Json:
    response: Json = {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    if code == "503":
        response["headers"] = {"Retry-After": {"$ref": "#/components/headers/Retry-After"}}
    return response


COMPONENTS: Final[Json] = {
    "schemas": _SCHEMAS,
    "responses": {
        **{f"Problem{code}": _problem(code, text) for code, text in _PROBLEMS.items()},
        **{
            f"Problem{code}": {
                "description": text,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/GatewayMessage"}}
                },
            }
            for code, text in (
                ("401", "No valid sign-in token (API Gateway's Cognito authorizer)."),
                ("403", "Not signed with IAM credentials allowed to call the route."),
            )
        },
    },
    "headers": {
        "Location": {"description": "Where the created vote reads back.", "schema": _STRING},
        "Idempotent-Replayed": {
            "description": "true: this answers a retry, nothing new was stored.",
            "schema": {"enum": ["true"]},
        },
        "Retry-After": {"description": "Seconds to wait.", "schema": _STRING},
    },
    "parameters": {
        "IdempotencyKey": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": (
                "8-255 visible ASCII characters (a UUID is fine): a retry with the same key "
                "answers as the first request did. Survey responses need one (unless the survey "
                "takes one response per respondent)."
            ),
            "schema": {"type": "string", "pattern": "^[!#-+\\--:<-\\[\\]-~]{8,255}$"},
        }
    },
    "securitySchemes": {
        "cognito": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A Cognito user pool ID token (Authentication=cognito, the template's default); "
                "the caller is the token's sub claim."
            ),
            "x-amazon-apigateway-authtype": "cognito_user_pools",
        },
        "iam": {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "AWS Signature Version 4 by a principal with AdminApiInvokePolicyArn.",
            "x-amazon-apigateway-authtype": "awsSigv4",
        },
    },
}

SUCCESS: Final[dict[tuple[str, str], tuple[int, str, tuple[str, ...]]]] = {
    ("POST", "/feedback"): (201, "FeedbackReceipt", ("Idempotent-Replayed",)),
    ("POST", "/polls/{pollId}/votes"): (201, "StoredVote", ("Location", "Idempotent-Replayed")),
    ("GET", "/polls/{pollId}/votes/{userId}"): (200, "StoredVote", ()),
    ("POST", "/surveys/{surveyId}/responses"): (201, "ResponseReceipt", ("Idempotent-Replayed",)),
    ("GET", "/polls/{pollId}/results"): (200, "PollResults", ()),
    ("GET", "/analytics"): (200, "FeedbackAnalytics", ()),
    ("GET", "/surveys/{surveyId}/summary"): (200, "SurveySummary", ()),
    ("GET", "/feedback"): (200, "FeedbackPage", ()),
    ("DELETE", "/customers/{customerId}/feedback"): (200, "Erasure", ()),
    ("GET", "/health"): (200, "Health", ()),
}
"""Each route's success: status, body schema and headers."""
