"""One vote per user per poll: cast, change (if the policy allows) and read back.

``POST /polls/{pollId}/votes`` and ``GET /polls/{pollId}/votes/{userId}`` call this; it knows
nothing of HTTP. Configure it with :meth:`VotesConfig.from_env`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, Self

import attrs

from feedback_core import config as env
from feedback_core.dedup.keys import Key, fingerprint
from feedback_core.dedup.policies import Reject, Replace, utc_timestamp
from feedback_core.dedup.ports import Item
from feedback_core.errors import NotFoundError
from feedback_core.ingest.schemas import Vote
from feedback_core.usecases.identity import decode_as, identity_fields
from feedback_core.usecases.outcomes import StoredVote, Submitted
from feedback_core.usecases.retention import expiry, retention_days

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from feedback_core.dedup.keys import IdempotencyKey
    from feedback_core.dedup.ports import DedupStore, SubmissionPolicy

__all__ = ["VOTE_POLICIES", "CastVote", "VotePolicy", "VoteService", "VotesConfig"]

VotePolicy = Literal["reject", "replace"]
VOTE_POLICIES: tuple[VotePolicy, ...] = ("reject", "replace")
"""What a second vote by the same user in the same poll does: refused (409) or a change (200)."""


@attrs.frozen(kw_only=True)
class VotesConfig:
    """The votes service's settings.

    ==========================  ===============================================================
    Variable                    Meaning
    ==========================  ===============================================================
    ``VOTES_TABLE``             The votes table (key ``pollId`` + ``userId``). Required.
    ``VOTE_POLICY``             ``reject`` (default: a second vote is 409) or ``replace``.
    ``IDENTITY_FROM_BODY``      ``true`` lets a request without an authorizer identity name its
                                user in the body: samples without sign-in only. Default false.
    ``MAX_BODY_BYTES``          The largest request body, in bytes (default 65536).
    ``RETENTION_DAYS``          Days each vote is kept, from when it was first cast
                                (``expiresAt`` for the table's TTL); 0, the default, keeps it.
    ==========================  ===============================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("VOTES_TABLE",)
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = (
        "VOTE_POLICY",
        "IDENTITY_FROM_BODY",
        "MAX_BODY_BYTES",
        "RETENTION_DAYS",
    )

    table: str
    policy: VotePolicy = "reject"
    identity_from_body: bool = False
    max_body_bytes: int = 65536
    retention_days: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing table, an unknown policy, a bad flag or number.
        """
        return cls(
            table=env.required(environ, "VOTES_TABLE"),
            policy=env.choice(environ, "VOTE_POLICY", VOTE_POLICIES, default="reject"),
            identity_from_body=env.flag(environ, "IDENTITY_FROM_BODY"),
            max_body_bytes=env.integer(environ, "MAX_BODY_BYTES", default=65536, minimum=1),
            retention_days=retention_days(environ),
        )


@attrs.frozen(kw_only=True)
class CastVote:
    """A command: record ``vote``; ``idempotency_key`` lets a retry be told from a second vote."""

    vote: Vote
    idempotency_key: IdempotencyKey | None = None


@attrs.define(kw_only=True)
class VoteService:
    """One vote per user per poll: cast, change (if the policy allows) and read back.

    The key is ``(pollId, userId)``. Under ``policy="reject"`` a second vote is a
    ``DuplicateError`` (409, with the vote that holds the key); under ``"replace"`` it changes
    the choice with one conditional update that keeps ``previousChoice``, ``changedAt`` and
    ``revision``, and the same choice again changes nothing.

    A retried request is recognised when it carries an ``Idempotency-Key``: the vote stores a
    fingerprint of the key and the vote, and a retry is answered as a replay of the request
    that wrote the vote, whatever the time between them. The key never overrides the one-vote
    rule: another choice under a used key is a second vote.

    Args:
        store: The votes table (key ``pollId`` + ``userId``).
        policy: ``reject`` or ``replace``.
        identity_from_body: Whether a request without a caller identity may name its user in
            the body (a sample without sign-in). Off by default.
        clock: The ``votedAt`` and ``changedAt`` timestamps; tests pass a fixed one.
        retention_days: Days a vote is kept from when it was cast (``expiresAt``); 0 keeps it.

    Examples:
        >>> from feedback_core.testing import InMemoryDedupStore
        >>> clock = iter(["2026-11-22T10:00:00Z", "2026-11-22T10:00:05Z"]).__next__
        >>> votes = VoteService(store=InMemoryDedupStore(), clock=clock)
        >>> vote = votes.decode(b'{"choice": "tabs"}', poll_id="p1", caller="u-42")
        >>> outcome = votes.cast(CastVote(vote=vote))
        >>> outcome.status.value, outcome.record.choice
        ('created', 'tabs')
    """

    store: DedupStore
    policy: VotePolicy = "reject"
    identity_from_body: bool = False
    clock: Callable[[], str] = utc_timestamp
    retention_days: int = 0
    _submitter: SubmissionPolicy = attrs.field(init=False)

    @classmethod
    def from_config(cls, config: VotesConfig, *, store: DedupStore | None = None) -> VoteService:
        """Build the service a handler uses (a DynamoDB store unless one is given)."""
        if store is None:
            from feedback_core.dedup.dynamodb import DynamoDBDedupStore

            store = DynamoDBDedupStore(table_name=config.table)
        return cls(
            store=store,
            policy=config.policy,
            identity_from_body=config.identity_from_body,
            retention_days=config.retention_days,
        )

    def __attrs_post_init__(self) -> None:
        """Build the dedup policy over the store."""
        self._submitter = (
            Reject(store=self.store)
            if self.policy == "reject"
            else Replace(store=self.store, clock=self._now)
        )

    def _now(self) -> str:
        # Read through the service, so a clock swapped on it later (tests do) reaches the policy.
        return self.clock()

    def decode(self, body: bytes | str, *, poll_id: str, caller: str | None) -> Vote:
        """Validate a vote for the poll in the path, cast by ``caller``.

        Args:
            body: The request body, e.g. ``{"choice": "tabs"}``.
            poll_id: The ``pollId`` path parameter; a body may repeat it, not contradict it.
            caller: The authorizer's identity; the body may leave ``userId`` out or repeat it.
                Without one, the body's ``userId`` counts only under ``identity_from_body``.

        Raises:
            ValidationError: every field error at once (400).
            UnauthenticatedError: no caller, and the body may not say who votes (401).
        """
        fields = {
            "pollId": poll_id,
            **identity_fields("userId", caller, from_body=self.identity_from_body, required=True),
        }
        return decode_as(Vote, body, fields, "userId")

    def cast(self, command: CastVote) -> Submitted[StoredVote]:
        """Record the vote under the policy.

        Returns:
            ``CREATED`` for a new vote, ``CHANGED`` or ``UNCHANGED`` under ``replace``; a retry
            of an earlier request is ``replayed``. ``record`` is the stored vote.

        Raises:
            DuplicateError: ``reject``, and the user has voted in this poll; ``existing`` is the
                stored vote.
            ServiceError: the store failed after retries.
        """
        vote = command.vote
        payload = vote.to_json()
        voted_at = self.clock()
        attributes: dict[str, object] = {
            **payload,
            "votedAt": voted_at,
            **expiry(voted_at, self.retention_days),
        }
        if command.idempotency_key is not None:
            key_value = command.idempotency_key.value
            attributes["payloadHash"] = fingerprint({**payload, "idempotencyKey": key_value})
        key = Key.of(pollId=vote.poll_id, userId=vote.user_id)
        submission = self._submitter.submit(key, Item.of(attributes))
        return Submitted(
            status=submission.status,
            replayed=submission.replayed,
            record=StoredVote.from_item(submission.item),
        )

    def get(self, *, poll_id: str, user_id: str, caller: str | None) -> StoredVote:
        """Read one user's vote (strongly consistent: a read right after a vote sees it).

        A caller identified by the authorizer reads only their own vote; anyone else's is a
        404, which tells nothing about whether it exists.

        Raises:
            NotFoundError: no such vote, or not the caller's (404).
            UnauthenticatedError: no caller, and ``identity_from_body`` is off (401).
            ServiceError: the store failed after retries.
        """
        identity_fields("userId", caller, from_body=self.identity_from_body, required=True)
        readable = caller in (None, user_id)
        vote = self.store.get(Key.of(pollId=poll_id, userId=user_id)) if readable else None
        if vote is None:
            raise NotFoundError("No such vote in this poll.")
        return StoredVote.from_item(vote)
