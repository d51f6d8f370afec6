"""The typed outcomes the submission use cases return: what was stored, and how it ended.

A use case never builds a status code or a header: it returns a :class:`Submitted` whose
``status`` and ``replayed`` say how the submission ended, and whose ``record`` is a read model of
what is stored. :mod:`feedback_core.http` turns them into API Gateway responses in one table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import attrs

from feedback_core.dedup.policies import Status

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.dedup.ports import Item

__all__ = [
    "FeedbackReceipt",
    "JsonReadModel",
    "ResponseReceipt",
    "Status",
    "StoredVote",
    "Submitted",
]


class JsonReadModel(Protocol):
    """A read model that renders itself as a JSON object (every outcome's ``record`` does)."""

    def to_json(self) -> Mapping[str, object]:
        """Return the JSON object a client sees."""
        ...


R_co = TypeVar("R_co", bound=JsonReadModel, covariant=True)


@attrs.frozen(kw_only=True)
class Submitted(Generic[R_co]):
    """How a submission ended, and what now holds its key.

    Attributes:
        status: ``CREATED``, ``CHANGED`` or ``UNCHANGED``; for a replay, how the first request
            ended.
        replayed: Whether this repeats an earlier request (same fingerprint): nothing was
            written now, and ``record`` is what the first request stored.
        record: The stored record as the client sees it.
    """

    status: Status
    replayed: bool
    record: R_co


@attrs.frozen(kw_only=True)
class FeedbackReceipt:
    """What ``POST /feedback`` answers: the id, the time and the sentiment label."""

    feedback_id: str
    created_at: str
    sentiment: str | None = None

    @classmethod
    def from_item(cls, item: Item) -> FeedbackReceipt:
        """Read the receipt from a stored feedback item."""
        sentiment = item.get("sentiment")
        return cls(
            feedback_id=item.text("feedbackId"),
            created_at=item.text("createdAt"),
            sentiment=sentiment if isinstance(sentiment, str) else None,
        )

    def to_json(self) -> dict[str, object]:
        """Return the response body."""
        body: dict[str, object] = {"feedbackId": self.feedback_id, "createdAt": self.created_at}
        if self.sentiment is not None:
            body["sentiment"] = self.sentiment
        return body


@attrs.frozen(kw_only=True)
class StoredVote:
    """One user's vote in one poll, with its history if it changed."""

    poll_id: str
    user_id: str
    choice: str
    voted_at: str
    revision: int | None = None
    previous_choice: str | None = None
    changed_at: str | None = None

    @classmethod
    def from_item(cls, item: Item) -> StoredVote:
        """Read the vote from a stored item (bookkeeping attributes are left out)."""

        def text(name: str) -> str | None:
            value = item.get(name)
            return value if isinstance(value, str) else None

        revision = item.get("revision")
        return cls(
            poll_id=item.text("pollId"),
            user_id=item.text("userId"),
            choice=item.text("choice"),
            voted_at=item.text("votedAt"),
            revision=revision if isinstance(revision, int) else None,
            previous_choice=text("previousChoice"),
            changed_at=text("changedAt"),
        )

    def to_json(self) -> dict[str, object]:
        """Return the response body (absent history is left out)."""
        body: dict[str, object] = {
            "pollId": self.poll_id,
            "userId": self.user_id,
            "choice": self.choice,
            "votedAt": self.voted_at,
        }
        history = {
            "revision": self.revision,
            "previousChoice": self.previous_choice,
            "changedAt": self.changed_at,
        }
        body.update({name: value for name, value in history.items() if value is not None})
        return body


@attrs.frozen(kw_only=True)
class ResponseReceipt:
    """What ``POST /surveys/{surveyId}/responses`` answers."""

    survey_id: str
    response_id: str
    submitted_at: str

    @classmethod
    def from_item(cls, item: Item) -> ResponseReceipt:
        """Read the receipt from a stored response item."""
        return cls(
            survey_id=item.text("surveyId"),
            response_id=item.text("responseId"),
            submitted_at=item.text("submittedAt"),
        )

    def to_json(self) -> dict[str, object]:
        """Return the response body."""
        return {
            "surveyId": self.survey_id,
            "responseId": self.response_id,
            "submittedAt": self.submitted_at,
        }
