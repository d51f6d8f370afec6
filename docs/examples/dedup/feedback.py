"""POST /feedback, idempotent under the Idempotency-Key header."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from feedback_core import dedup
from feedback_core.http import STATUS_OF
from feedback_core.ingest import Feedback, json_response

from .responses import idempotency_key_reused

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.ingest import ProxyResponse, Request


def post_feedback(
    request: Request,
    *,
    tenant: str,
    policy: dedup.Replay,
    clock: Callable[[], str] = dedup.utc_timestamp,
) -> ProxyResponse:
    """Store feedback once per Idempotency-Key; a retry gets the same id and body.

    A bad header raises InvalidIdempotencyKeyError, an IngestError: the handler's
    ``except IngestError`` renders it as a 400 problem, like any bad body.
    """
    key = dedup.idempotency_key_from_headers(request.headers)
    feedback = Feedback.decode(request.body)
    payload = feedback.to_json()
    feedback_id = (
        # Scope: the route and the tenant, so two clients' keys can never meet.
        dedup.derive_id("POST /feedback", tenant, key.value)
        if key is not None
        else str(uuid.uuid4())  # no key, no retry safety: a fresh id
    )
    item = dedup.Item.of(
        payload,
        feedbackId=feedback_id,
        createdAt=clock(),
        payloadHash=dedup.fingerprint(payload),
    )
    try:
        submission = policy.submit(dedup.Key.of(feedbackId=feedback_id), item)
    except dedup.IdempotencyConflictError:
        return idempotency_key_reused()
    body = submission.item.without("payloadHash", "writeId").to_dict()
    headers = {"Location": f"/feedback/{feedback_id}"}
    if submission.replayed:
        headers["Idempotent-Replayed"] = "true"
    return json_response(STATUS_OF[submission.status], body, headers=headers)
