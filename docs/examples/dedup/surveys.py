"""POST /surveys/{surveyId}/responses: one per respondent, or idempotent by Idempotency-Key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedback_core import dedup
from feedback_core.http import STATUS_OF
from feedback_core.ingest import SurveyResponse, json_response

from .responses import idempotency_key_reused, problem

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.ingest import ProxyResponse, Request


def post_response(
    request: Request,
    *,
    tenant: str,
    respondent_id: str | None,
    one_per_respondent: bool,
    policy: dedup.Replay,
    clock: Callable[[], str] = dedup.utc_timestamp,
) -> ProxyResponse:
    """Store a survey response once.

    One per respondent (the survey says so): the id derives from (survey, respondent); a retry
    replays, a different second response is a 409. Otherwise the Idempotency-Key is required
    and the id derives from it; a key reused with other answers is a 422.
    """
    survey_id = request.path_parameters["surveyId"]
    fields: dict[str, object] = {"surveyId": survey_id}
    if one_per_respondent:
        if respondent_id is None:
            return problem(401, "respondent-required", "Sign in to answer.", "One per person.")
        fields["respondentId"] = respondent_id
        response_id = dedup.derive_id("survey-response", tenant, survey_id, respondent_id)
    else:
        key = dedup.idempotency_key_from_headers(request.headers, required=True)
        response_id = dedup.derive_id("POST /surveys/responses", tenant, survey_id, key.value)
    response = SurveyResponse.decode(request.body, server_fields=fields)
    payload = response.to_json()
    now = clock()
    item = dedup.Item.of(
        payload,
        responseId=response_id,
        submittedAt=now,
        submittedDay=now[:10],
        payloadHash=dedup.fingerprint(payload),
    )
    try:
        submission = policy.submit(dedup.Key.of(surveyId=survey_id, responseId=response_id), item)
    except dedup.IdempotencyConflictError:
        if one_per_respondent:
            return problem(409, "already-responded", "You have already answered.", "One each.")
        return idempotency_key_reused()
    return json_response(
        STATUS_OF[submission.status], submission.item.without("payloadHash", "writeId").to_dict()
    )
