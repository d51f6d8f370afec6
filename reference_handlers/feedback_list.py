"""GET /feedback: stored feedback, newest first, a page at a time (administrators only).

Settings: :class:`feedback_core.usecases.ListingConfig` (FEEDBACK_TABLE, CURSOR_SECRET_ID: the
secret that signs cursors, read once per process when the first cursor is signed or checked;
LIST_INCLUDE_EMAIL). Query: limit
(1-100, default 20), cursor (from the previous page's nextCursor; an altered one is a 400).
"""

from __future__ import annotations

from aws_lambda_powertools import Logger

from feedback_core.http import AccessConfig, ApiCall, NoParameters, api_handler
from feedback_core.http.admin_routes import LIST_FEEDBACK, ListFeedbackQuery
from feedback_core.usecases import FeedbackListing, FeedbackListPage, ListFeedback, ListingConfig

logger = Logger(service="feedback-api")
access = AccessConfig.from_env()
listing = FeedbackListing.from_config(ListingConfig.from_env())


@logger.inject_lambda_context(clear_state=True)
@api_handler(LIST_FEEDBACK, logger=logger, cors_origins=access.cors_allowed_origins)
def handler(call: ApiCall[NoParameters, ListFeedbackQuery]) -> FeedbackListPage:
    """Read one page after the cursor's position (the newest page without one)."""
    return listing.list(ListFeedback(limit=call.query.limit, cursor=call.query.cursor))
