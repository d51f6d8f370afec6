"""What every API handler shares: any feedback_core error becomes its problem response, logged.

Handlers raise; this answers. A client's mistake is logged at INFO with its status and error
class (never the body), a server-side failure at ERROR with the traceback.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from feedback_core.errors import FeedbackCoreError
from feedback_core.ingest import ProxyResponse, problem_response, problem_status

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from aws_lambda_powertools import Logger
    from aws_lambda_powertools.utilities.typing import LambdaContext

    Handler = Callable[[dict[str, Any], LambdaContext], ProxyResponse]


def answers_problems(
    logger: Logger,
    *,
    extensions: Callable[[FeedbackCoreError], Mapping[str, object] | None] | None = None,
) -> Callable[[Handler], Handler]:
    """Wrap an API handler so that a raised FeedbackCoreError becomes a problem response.

    Args:
        logger: The handler's Powertools logger.
        extensions: Extra problem members for an error (e.g. the existing vote for a 409).
    """

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def answer(event: dict[str, Any], context: LambdaContext) -> ProxyResponse:
            try:
                return handler(event, context)
            except FeedbackCoreError as error:
                status = problem_status(error)[0]
                log = logger.exception if status >= 500 else logger.info
                log("request refused", extra={"status": status, "problem": type(error).__name__})
                request_id = (event.get("requestContext") or {}).get("requestId")
                extra = extensions(error) if extensions is not None else None
                return problem_response(error, instance=request_id, extensions=extra)

        return answer

    return wrap
