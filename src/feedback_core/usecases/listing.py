"""Listing stored feedback for administrators (``GET /feedback``): newest first, paged.

Pages are read from the feedback log's listing index (never a scan) and handed out with an
opaque cursor signed by :class:`~feedback_core.feedback.CursorCodec`, so a client can only go
on from where a page of ours ended. E-mail addresses are left out unless the deployer opts in.
Configure it with :meth:`ListingConfig.from_env`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final, Self

import attrs

from feedback_core import config as env
from feedback_core.feedback.cursor import CursorCodec

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.feedback.ports import FeedbackEntry, FeedbackLog

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "FeedbackListPage", "FeedbackListing", "ListFeedback"]

DEFAULT_LIMIT: Final = 20
"""Entries per page when the request does not say."""

MAX_LIMIT: Final = 100
"""The most entries one page may hold."""


@attrs.frozen(kw_only=True)
class ListingConfig:
    """The listing's settings.

    ======================  ===================================================================
    Variable                Meaning
    ======================  ===================================================================
    ``FEEDBACK_TABLE``      The feedback table (with the ``byCreatedAt`` index). Required.
    ``CURSOR_SECRET_ID``    The Secrets Manager secret whose value signs cursors. Required.
    ``LIST_INCLUDE_EMAIL``  ``true`` lists each entry's e-mail address (default ``false``).
    ======================  ===================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("FEEDBACK_TABLE", "CURSOR_SECRET_ID")
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ("LIST_INCLUDE_EMAIL",)

    table: str
    cursor_secret_id: str
    include_email: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing variable, or a flag that is neither true nor false.
        """
        return cls(
            table=env.required(environ, "FEEDBACK_TABLE"),
            cursor_secret_id=env.required(environ, "CURSOR_SECRET_ID"),
            include_email=env.flag(environ, "LIST_INCLUDE_EMAIL"),
        )


@attrs.frozen(kw_only=True)
class ListFeedback:
    """A query: ``limit`` entries (:data:`DEFAULT_LIMIT` when ``None``) after ``cursor``."""

    limit: int | None = None
    cursor: str | None = None


@attrs.frozen(kw_only=True)
class FeedbackListPage:
    """One page as an administrator sees it.

    Attributes:
        entries: The page's feedback, newest first.
        next_cursor: Pass it as ``cursor`` for the next page; ``None`` on the last page.
        include_email: Whether the entries show their e-mail addresses.
    """

    entries: tuple[FeedbackEntry, ...]
    next_cursor: str | None
    include_email: bool = False

    def to_json(self) -> dict[str, object]:
        """Return the response body: ``items`` and ``nextCursor``."""
        return {
            "items": [self._entry(entry) for entry in self.entries],
            "nextCursor": self.next_cursor,
        }

    def _entry(self, entry: FeedbackEntry) -> dict[str, object]:
        body: dict[str, object] = {
            "feedbackId": entry.feedback_id,
            "createdAt": entry.created_at,
            "name": entry.name,
            "rating": entry.rating,
            "message": entry.message,
        }
        if self.include_email:
            body["email"] = entry.email
        optional = {"customerId": entry.customer_id, "sentiment": entry.sentiment}
        body.update({name: value for name, value in optional.items() if value is not None})
        return body


@attrs.frozen(kw_only=True)
class FeedbackListing:
    """Pages of stored feedback, newest first, with signed cursors.

    Args:
        log: Where feedback is read from.
        cursors: Signs and checks cursors.
        include_email: Whether entries show their e-mail addresses.

    Examples:
        >>> from feedback_core.feedback import LISTED, InMemoryFeedbackLog
        >>> log = InMemoryFeedbackLog()
        >>> for n in range(3):
        ...     log.add({"feedbackId": f"f{n}", "createdAt": f"2026-11-22T10:0{n}:00Z",
        ...              "name": "Ana", "email": "ana@example.com", "rating": 5,
        ...              "message": "Lovely", **LISTED})
        >>> listing = FeedbackListing(log=log, cursors=CursorCodec(key=b"k" * 32))
        >>> first = listing.list(ListFeedback(limit=2))
        >>> [e.feedback_id for e in first.entries], "email" in first.to_json()["items"][0]
        (['f2', 'f1'], False)
        >>> [e.feedback_id for e in listing.list(ListFeedback(cursor=first.next_cursor)).entries]
        ['f0']
    """

    log: FeedbackLog
    cursors: CursorCodec
    include_email: bool = False

    @classmethod
    def from_config(
        cls, config: ListingConfig, *, log: FeedbackLog | None = None, key: bytes | None = None
    ) -> FeedbackListing:
        """Build the service a handler uses: DynamoDB, and the key from Secrets Manager.

        The secret is read when the first cursor is signed or checked, and kept for the life of
        the process; until then nothing calls AWS or imports boto3 (a cold start's init phase).
        If that read fails, the request gets its error (a ``ServiceError``: 503, the next
        request reads again; a secret too short to sign with: ``ConfigurationError``, 500).
        """
        if log is None:
            from feedback_core.feedback.dynamodb import DynamoDBFeedbackLog

            log = DynamoDBFeedbackLog(table_name=config.table)
        if key is not None:
            cursors = CursorCodec(key=key)
        else:
            secret_id = config.cursor_secret_id

            def read_key() -> bytes:
                from feedback_core.feedback.secretsmanager import signing_key

                return signing_key(secret_id)

            cursors = CursorCodec.reading(read_key)
        return cls(log=log, cursors=cursors, include_email=config.include_email)

    def list(self, query: ListFeedback) -> FeedbackListPage:
        """Return one page.

        Raises:
            ValidationError: a cursor this service did not issue, or a limit outside 1-100.
            ServiceError: the store failed.
        """
        from feedback_core.errors import FieldError, ValidationError

        limit = DEFAULT_LIMIT if query.limit is None else query.limit
        if not 1 <= limit <= MAX_LIMIT:
            message = f"Must be between 1 and {MAX_LIMIT}."
            raise ValidationError((FieldError(pointer="/limit", code="range", message=message),))
        after = self.cursors.decode(query.cursor) if query.cursor is not None else None
        page = self.log.page(limit=limit, after=after)
        cursor = self.cursors.encode(page.next) if page.next is not None else None
        return FeedbackListPage(
            entries=page.entries, next_cursor=cursor, include_email=self.include_email
        )
