"""The same mapping inside a Powertools event handler resolver, for teams that route with one.

``respond`` turns an outcome into an ``HttpResponse``, ``problem_for`` does the same for an
error; both convert to Powertools' ``Response`` in one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from feedback_core.errors import FeedbackCoreError
from feedback_core.http import HttpResponse, problem_for, respond
from feedback_core.testing import InMemoryDedupStore
from feedback_core.usecases import CastVote, VoteService

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = APIGatewayRestResolver()
votes = VoteService(store=InMemoryDedupStore(), identity_from_body=True)  # a sample: no sign-in


def to_powertools(response: HttpResponse) -> Response[str]:
    """Our response as Powertools' ``Response``."""
    headers = dict(response.headers)
    return Response(
        status_code=response.status,
        content_type=headers.pop("Content-Type", None),
        body=response.body,
        headers=headers,
    )


def problem(error: FeedbackCoreError) -> Response[str]:
    """Every library error becomes the same RFC 9457 problem as in the reference handlers."""
    return to_powertools(problem_for(error))


# Registered by a call: Powertools' decorator is untyped and would hide this function's types.
app.exception_handler(FeedbackCoreError)(problem)


@app.post("/polls/<poll_id>/votes")
def cast(poll_id: str) -> Response[str]:
    """Cast a vote through the use case; the outcome table picks the status."""
    body = app.current_event.body or ""
    vote = votes.decode(body, poll_id=poll_id, caller=None)
    return to_powertools(respond(votes.cast(CastVote(vote=vote))))


def lambda_handler(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    """The Lambda entry point."""
    return app.resolve(event, context)
