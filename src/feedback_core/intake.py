"""The use cases that the reference handlers call: submissions, and the live results.

Each takes one validated record in, makes one idempotent write and gives one receipt out. This
is the service layer between ``ingest`` (what a client sent), ``dedup`` (write it once) and
``sentiment`` (label it): a handler parses the request, calls one method here and answers with
the receipt, so it holds no business logic of its own.

- :class:`FeedbackIntake`: ``POST /feedback``, idempotent under an ``Idempotency-Key``.
- :class:`VoteIntake`: ``POST /polls/{pollId}/votes`` (one vote per user per poll, under the
  reject or replace policy) and ``GET /polls/{pollId}/votes/{userId}``.
- :class:`SurveyResponseIntake`: ``POST /surveys/{surveyId}/responses``, one response per
  ``Idempotency-Key``, or one per respondent for the surveys configured so.
- :class:`LiveResults`: the read side, ``GET /polls/{pollId}/results``, ``GET /analytics`` and
  ``GET /surveys/{surveyId}/summary``, from the counters the stream aggregators keep.

**Who is calling.** Votes and one-per-respondent surveys need to know the user. In production it
is the identity the API's authorizer vouched for (:func:`authorizer_identity` reads it from
``requestContext.authorizer``), never a body field a client could set to anyone. The intakes take
it as ``caller``; only when they are built with ``identity_from_body=True`` (a sample without
sign-in) may a request without a caller name its user in the body.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import attrs

from feedback_core.dedup.keys import Key, derive_id, fingerprint
from feedback_core.dedup.policies import (
    Reject,
    Replace,
    Replay,
    Status,
    Submission,
    utc_timestamp,
)
from feedback_core.dedup.ports import Item, SubmissionPolicy
from feedback_core.errors import (
    ConfigurationError,
    DuplicateError,
    FeedbackCoreError,
    FieldError,
    IdempotencyConflictError,
    InvalidIdempotencyKeyError,
    NotFoundError,
    ValidationError,
)
from feedback_core.ingest.fields import field
from feedback_core.ingest.schema import Record
from feedback_core.ingest.schemas import ID_PATTERN, SurveyResponse, Vote

if TYPE_CHECKING:
    from collections.abc import Callable

    from feedback_core.aggregate.ports import CounterStore
    from feedback_core.dedup.keys import IdempotencyKey
    from feedback_core.dedup.ports import DedupStore
    from feedback_core.ingest import Feedback
    from feedback_core.sentiment.ports import SentimentAnalyzer

__all__ = [
    "ALL_SURVEYS",
    "FEEDBACK_SCOPE",
    "MAX_LISTED",
    "RESPONDENT_SCOPE",
    "SURVEY_RESPONSE_SCOPE",
    "VOTE_POLICIES",
    "FeedbackIntake",
    "LiveResults",
    "Receipt",
    "SurveyResponseIntake",
    "VoteIntake",
    "authorizer_identity",
    "survey_ids",
]

FEEDBACK_SCOPE = "POST /feedback"
"""The scope of feedback ids derived from an ``Idempotency-Key`` (see the dedup guide)."""

SURVEY_RESPONSE_SCOPE = "POST /surveys/{surveyId}/responses"
"""The scope of survey response ids derived from an ``Idempotency-Key``."""

RESPONDENT_SCOPE = "survey respondent"
"""The scope of survey response ids derived from the respondent (one response each).

Changing a scope would give new ids to old keys, so a retry would no longer find its record.
"""

VOTE_POLICIES = ("reject", "replace")
"""What a second vote by the same user in the same poll does: refused (409) or a change (200)."""

ALL_SURVEYS = "*"
"""In :attr:`SurveyResponseIntake.one_per_respondent`: every survey takes one response each."""

_ID = re.compile(ID_PATTERN)
_R = TypeVar("_R", bound=Record)


@attrs.frozen(kw_only=True)
class Receipt:
    """What a handler answers after a submission.

    Attributes:
        status: The HTTP status (201 for a new record, and for a replay of one).
        body: The JSON response body.
        replayed: Whether this answers a retry of an earlier identical request.
        item: The stored item.
    """

    status: int
    body: dict[str, object]
    replayed: bool
    item: Item
    location: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        """Response headers.

        ``Idempotent-Replayed: true`` on a replay, as Stripe and others do, and ``Location`` (the
        record's URL path) on a 201 when the record can be read back.
        """
        headers = {"Idempotent-Replayed": "true"} if self.replayed else {}
        if self.location is not None and self.status == 201:  # a Location names what was created
            headers["Location"] = self.location
        return headers


@attrs.define(kw_only=True)
class FeedbackIntake:
    """Store customer feedback once, with its sentiment, answering with its id.

    With an ``Idempotency-Key`` the feedback id derives from the key (scoped to
    :data:`FEEDBACK_SCOPE` and ``tenant``), so a retried POST finds the record its first attempt
    wrote and gets the same answer; the same key with another body is an
    ``IdempotencyConflictError`` (422). Without a key every POST is a new record.

    Args:
        store: Where feedback items are claimed (table key: ``feedbackId``).
        analyzer: Labels each message; ``None`` stores no sentiment.
        clock: The ``createdAt`` timestamp; tests pass a fixed one.
        new_id: Ids for submissions without an idempotency key.

    Examples:
        >>> from feedback_core.dedup import InMemoryDedupStore
        >>> from feedback_core.ingest import Feedback
        >>> clock = lambda: "2026-11-22T10:00:00Z"
        >>> intake = FeedbackIntake(store=InMemoryDedupStore(), clock=clock)
        >>> record = Feedback(name="Ana", email="ana@example.com", rating=5, message="Lovely")
        >>> receipt = intake.submit(record, idempotency_key=None)
        >>> receipt.status, sorted(receipt.body)
        (201, ['createdAt', 'feedbackId'])
    """

    store: DedupStore
    analyzer: SentimentAnalyzer | None = None
    clock: Callable[[], str] = utc_timestamp
    new_id: Callable[[], str] = attrs.field(default=lambda: str(uuid.uuid4()))
    _policy: Replay = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        """Build the replay policy over the store."""
        self._policy = Replay(store=self.store)

    def submit(
        self,
        record: Feedback,
        *,
        idempotency_key: IdempotencyKey | None,
        tenant: str = "public",
    ) -> Receipt:
        """Store ``record`` (once per idempotency key) and return the receipt.

        Args:
            record: The validated feedback.
            idempotency_key: The request's ``Idempotency-Key``, if it sent one.
            tenant: Who the key belongs to (an API key id, say), so two clients that pick the
                same key never share a record.

        Raises:
            IdempotencyConflictError: the key was used before for a different body.
            ServiceError: the store failed after retries.
        """
        payload = record.to_json()
        if idempotency_key is not None:
            feedback_id = derive_id(FEEDBACK_SCOPE, tenant, idempotency_key.value)
        else:
            feedback_id = self.new_id()
        attributes: dict[str, object] = {
            **payload,
            "feedbackId": feedback_id,
            "createdAt": self.clock(),
            "payloadHash": fingerprint(payload),
        }
        if self.analyzer is not None:
            (result,) = self.analyzer.analyze([record.message])
            attributes.update(result.to_attributes())
        submission = self._policy.submit(Key.of(feedbackId=feedback_id), Item.of(attributes))
        return _feedback_receipt(submission)


def _feedback_receipt(submission: Submission) -> Receipt:
    item = submission.item
    body: dict[str, object] = {"feedbackId": item["feedbackId"], "createdAt": item["createdAt"]}
    if "sentiment" in item:
        body["sentiment"] = item["sentiment"]
    return Receipt(
        status=submission.http_status,
        body=body,
        replayed=submission.status is Status.REPLAYED,
        item=item,
    )


def authorizer_identity(event: Mapping[str, object], *, claim: str = "sub") -> str | None:
    """Return the caller's id that the API's authorizer put in the event, or ``None``.

    API Gateway writes what the authorizer vouched for into ``requestContext.authorizer``; a
    client cannot set it. Read, in this order:

    - REST API with a Cognito user pool authorizer: ``authorizer.claims[claim]``;
    - HTTP API with a JWT authorizer: ``authorizer.jwt.claims[claim]``;
    - HTTP API with a Lambda authorizer (simple responses): ``authorizer.lambda[claim]``;
    - REST API with a Lambda authorizer: ``authorizer.principalId``.

    Args:
        event: The Lambda event as API Gateway sent it.
        claim: The claim that names the user; ``sub`` is stable for a user's lifetime, unlike an
            e-mail address or a user name.

    Returns:
        The caller's id, or ``None`` when the route has no authorizer.

    Examples:
        >>> event = {"requestContext": {"authorizer": {"claims": {"sub": "u-42"}}}}
        >>> authorizer_identity(event)
        'u-42'
        >>> authorizer_identity({"requestContext": {"identity": {"sourceIp": "203.0.113.7"}}})
    """
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, Mapping) else None
    if not isinstance(authorizer, Mapping):
        return None
    jwt = authorizer.get("jwt")
    candidates = (
        _member(authorizer.get("claims"), claim),
        _member(jwt.get("claims") if isinstance(jwt, Mapping) else None, claim),
        _member(authorizer.get("lambda"), claim),
        authorizer.get("principalId"),
    )
    return next((c for c in candidates if isinstance(c, str) and c), None)


def _member(value: object, name: str) -> object:
    return value.get(name) if isinstance(value, Mapping) else None


def survey_ids(setting: str | Iterable[str]) -> frozenset[str]:
    """Read a list of survey ids, e.g. from an environment variable: ``"onboarding, nps-2026"``.

    Args:
        setting: Comma-separated ids (blanks ignored), or the ids themselves; ``*`` stands for
            every survey.

    Returns:
        The ids.

    Examples:
        >>> sorted(survey_ids(" onboarding, nps-2026 ,"))
        ['nps-2026', 'onboarding']
        >>> survey_ids("")
        frozenset()
    """
    parts = setting.split(",") if isinstance(setting, str) else setting
    return frozenset(part.strip() for part in parts if part.strip())


def _identity_fields(
    name: str, caller: str | None, *, from_body: bool, required: bool
) -> dict[str, object]:
    """The server-supplied identity field: the caller, the body's own value, or none at all."""
    if caller is not None:
        return {name: caller}
    if from_body:
        return {}  # the body names the user: sample APIs without sign-in only
    if required:
        # With an authorizer on the route, API Gateway refuses callers it cannot identify before
        # the function runs; reaching here means the route has none: the operator's mistake.
        raise ConfigurationError(
            "the request carries no caller identity (requestContext.authorizer has no 'sub' "
            "claim or principalId): attach an authorizer to the route, or build the intake with "
            "identity_from_body=True (IDENTITY_FROM_BODY=true) for a sample without sign-in"
        )
    return {name: None}  # anonymous: a body that names someone is refused


def _decode(schema: type[_R], body: bytes | str, fields: Mapping[str, object], who: str) -> _R:
    """Decode with server fields, explaining a body that names someone other than the caller."""
    try:
        return schema.decode(body, server_fields=fields)
    except ValidationError as error:

        def conflict(e: FieldError) -> bool:
            return e.pointer == f"/{who}" and e.code == "conflict"

        if not any(conflict(e) for e in error.errors):
            raise
        # ingest's message speaks of the request path; here the value comes from sign-in.
        message = (
            "Leave this out: this API takes it from sign-in only."
            if fields.get(who) is None
            else "Does not match the signed-in caller; leave it out."
        )
        errors = tuple(attrs.evolve(e, message=message) if conflict(e) else e for e in error.errors)
        raise ValidationError(errors) from error


def _valid_id(value: str) -> bool:
    return _ID.fullmatch(value) is not None


@attrs.define(kw_only=True)
class VoteIntake:
    """One vote per user per poll: cast, change (if the policy allows) and read back.

    The key is ``(pollId, userId)``. Under ``policy="reject"`` a second vote is a
    ``DuplicateError`` (409, with the vote that holds the key); under ``"replace"`` it changes
    the choice (200) with one conditional update that keeps ``previousChoice``, ``changedAt``
    and ``revision``, and the same choice again changes nothing (200).

    A retried request is recognised when it carries an ``Idempotency-Key``: the vote stores a
    fingerprint of the key and the vote (``payloadHash``), and a retry that matches the vote it
    created is answered as that first request was (201, ``Idempotent-Replayed: true``). Without
    a key a retry is a second vote (409 under reject; 200, unchanged, under replace). The key
    never overrides the one-vote rule: another choice under a used key is a second vote.

    Args:
        store: The votes table (key ``pollId`` + ``userId``).
        policy: ``reject`` or ``replace`` (see :data:`VOTE_POLICIES`).
        identity_from_body: Whether a request without a caller identity may name its user in
            the body (a sample without sign-in). Off by default: production takes the user from
            the authorizer, see :func:`authorizer_identity`.
        clock: The ``votedAt`` and ``changedAt`` timestamps; tests pass a fixed one.

    Raises:
        ConfigurationError: for an unknown policy.

    Examples:
        >>> from feedback_core.dedup import InMemoryDedupStore
        >>> clock = iter(["2026-11-22T10:00:00Z", "2026-11-22T10:00:05Z"]).__next__
        >>> votes = VoteIntake(store=InMemoryDedupStore(), clock=clock)
        >>> vote = votes.decode(b'{"choice": "tabs"}', poll_id="p1", caller="u-42")
        >>> receipt = votes.submit(vote, idempotency_key=None)
        >>> receipt.status, receipt.body["choice"], receipt.headers["Location"]
        (201, 'tabs', '/polls/p1/votes/u-42')
        >>> try:
        ...     votes.submit(vote, idempotency_key=None)
        ... except DuplicateError as error:
        ...     votes.problem_extensions(error)["existing"]
        {'choice': 'tabs', 'votedAt': '2026-11-22T10:00:00Z'}
    """

    store: DedupStore
    policy: str = "reject"
    identity_from_body: bool = False
    clock: Callable[[], str] = utc_timestamp
    _submitter: SubmissionPolicy = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        """Build the dedup policy over the store."""
        chosen = self.policy.strip().lower()
        if chosen not in VOTE_POLICIES:
            raise ConfigurationError(
                f"unknown vote policy {self.policy!r}; choose one of {VOTE_POLICIES}"
            )
        self.policy = chosen
        self._submitter = (
            Reject(store=self.store)
            if chosen == "reject"
            else Replace(store=self.store, clock=self._now)
        )

    def _now(self) -> str:
        # Read through the intake, so a clock swapped on it later (tests do) reaches the policy.
        return self.clock()

    def decode(self, body: bytes | str, *, poll_id: str, caller: str | None) -> Vote:
        """Validate a vote for the poll in the path, cast by ``caller``.

        Args:
            body: The request body, e.g. ``{"choice": "tabs"}``.
            poll_id: The ``pollId`` path parameter; a body may repeat it, not contradict it.
            caller: The authorizer's identity (:func:`authorizer_identity`); the body may leave
                ``userId`` out or repeat it. Without one, the body's ``userId`` counts only under
                ``identity_from_body``.

        Raises:
            ValidationError: every field error at once (400).
            ConfigurationError: no caller, and the body may not say who votes.
        """
        fields = {
            "pollId": poll_id,
            **_identity_fields("userId", caller, from_body=self.identity_from_body, required=True),
        }
        return _decode(Vote, body, fields, "userId")

    def submit(self, vote: Vote, *, idempotency_key: IdempotencyKey | None) -> Receipt:
        """Record ``vote`` under the policy.

        Args:
            vote: The vote, from :meth:`decode`.
            idempotency_key: The request's ``Idempotency-Key``, if it sent one; it lets a retry
                be told from a second vote.

        Returns:
            201 for a new vote (and for the replay of one), 200 for a change or a repeat under
            ``replace``. The body is the stored vote.

        Raises:
            DuplicateError: ``reject``, and the user has voted in this poll; ``existing`` is the
                stored vote (render it with :meth:`problem_extensions`).
            ServiceError: the store failed after retries.
        """
        payload = vote.to_json()
        attributes: dict[str, object] = {**payload, "votedAt": self.clock()}
        request_hash = None
        if idempotency_key is not None:
            request_hash = fingerprint({**payload, "idempotencyKey": idempotency_key.value})
            attributes["payloadHash"] = request_hash
        key = Key.of(pollId=vote.poll_id, userId=vote.user_id)
        try:
            submission = self._submitter.submit(key, Item.of(attributes))
        except DuplicateError as duplicate:
            if request_hash is not None and duplicate.existing.get("payloadHash") == request_hash:
                # This request's own first attempt stored the vote: answer as it was answered.
                return self._receipt(201, Item.of(duplicate.existing), replayed=True)
            raise
        retry_of_first_vote = (
            submission.status is Status.UNCHANGED
            and request_hash is not None
            and submission.item.get("payloadHash") == request_hash
            and submission.item.get("revision") == 1  # created by it, never changed since
        )
        if retry_of_first_vote:
            return self._receipt(201, submission.item, replayed=True)
        return self._receipt(submission.http_status, submission.item, replayed=False)

    def get(self, *, poll_id: str, user_id: str, caller: str | None) -> Receipt:
        """Read one user's vote (strongly consistent: a read right after a vote sees it).

        A caller identified by the authorizer reads only their own vote; anyone else's is a
        404, which tells nothing about whether it exists.

        Args:
            poll_id: The ``pollId`` path parameter.
            user_id: The ``userId`` path parameter.
            caller: The authorizer's identity, if any.

        Returns:
            200 with the stored vote.

        Raises:
            NotFoundError: no such vote, or not the caller's (404).
            ConfigurationError: no caller, and ``identity_from_body`` is off.
            ServiceError: the store failed after retries.
        """
        _identity_fields("userId", caller, from_body=self.identity_from_body, required=True)
        readable = _valid_id(poll_id) and _valid_id(user_id) and caller in (None, user_id)
        vote = self.store.get(Key.of(pollId=poll_id, userId=user_id)) if readable else None
        if vote is None:
            raise NotFoundError(f"No vote by user {user_id!r} in poll {poll_id!r}.")
        return self._receipt(200, vote, replayed=False)

    def problem_extensions(self, error: FeedbackCoreError) -> dict[str, object] | None:
        """Extra members for the problem response to ``error``, for ``problem_response``.

        For a ``DuplicateError``: a plain ``detail`` and ``existing``, the held vote's ``choice``
        and ``votedAt`` (nothing else of the stored item). ``None`` for other errors.
        """
        if not isinstance(error, DuplicateError):
            return None
        existing = error.existing
        return {
            "detail": "This user has already voted in this poll, and a vote cannot change.",
            "existing": {"choice": existing.get("choice"), "votedAt": existing.get("votedAt")},
        }

    @staticmethod
    def _receipt(status: int, item: Item, *, replayed: bool) -> Receipt:
        body: dict[str, object] = dict(item.without("payloadHash"))  # the fingerprint is ours
        return Receipt(
            status=status,
            body=body,
            replayed=replayed,
            item=item,
            location=f"/polls/{item.text('pollId')}/votes/{item.text('userId')}",
        )


@attrs.frozen(kw_only=True)
class _NamedRespondentResponse(SurveyResponse):
    """A survey response that must name its respondent (one response each, no sign-in)."""

    respondent_id: str = field(pattern=ID_PATTERN)


@attrs.define(kw_only=True)
class SurveyResponseIntake:
    """Store each survey response once: per ``Idempotency-Key``, or one per respondent.

    Two modes, chosen per survey by :attr:`one_per_respondent`:

    - **per key** (the default): the ``Idempotency-Key`` header is required (400 without it, as
      the IETF draft asks of an operation documented to need it). The response id derives from
      the survey and the key: a retry replays the first answer (201, same body); the key reused
      with other answers is an ``IdempotencyConflictError`` (422).
    - **one per respondent**: the response id derives from the survey and the respondent (the
      caller, or the body's ``respondentId`` under ``identity_from_body``). The same answers
      again replay the first answer (201); other answers are a ``DuplicateError`` (409). A key,
      if sent, is checked but not needed.

    Args:
        store: The survey responses table (key ``surveyId`` + ``responseId``).
        one_per_respondent: Survey ids that take one response per respondent, or
            :data:`ALL_SURVEYS`; a comma-separated string is read with :func:`survey_ids`.
        identity_from_body: Whether a request without a caller identity may name its
            respondent in the body (a sample without sign-in).
        clock: The ``submittedAt`` timestamp; ``submittedDay`` is its first 10 characters.

    Examples:
        >>> from feedback_core.dedup import IdempotencyKey, InMemoryDedupStore
        >>> clock = iter(["2026-11-22T10:00:00Z", "2026-11-22T10:00:05Z"]).__next__
        >>> surveys = SurveyResponseIntake(store=InMemoryDedupStore(), clock=clock)
        >>> response = surveys.decode(b'{"answers": {"q1": 9}}', survey_id="nps", caller=None)
        >>> key = IdempotencyKey("b1f2c3d4-0000-4000-8000-000000000001")
        >>> first = surveys.submit(response, idempotency_key=key)
        >>> retry = surveys.submit(response, idempotency_key=key)
        >>> (first.status, retry.status, retry.replayed, first.body == retry.body)
        (201, 201, True, True)
    """

    store: DedupStore
    one_per_respondent: frozenset[str] = attrs.field(factory=frozenset, converter=survey_ids)
    identity_from_body: bool = False
    clock: Callable[[], str] = utc_timestamp

    def one_response_each(self, survey_id: str) -> bool:
        """Tell whether ``survey_id`` takes one response per respondent."""
        return ALL_SURVEYS in self.one_per_respondent or survey_id in self.one_per_respondent

    def decode(self, body: bytes | str, *, survey_id: str, caller: str | None) -> SurveyResponse:
        """Validate a response to the survey in the path, from ``caller``.

        The respondent is the caller when there is one (the body may leave ``respondentId`` out
        or repeat it). Without a caller: under ``identity_from_body`` the body's
        ``respondentId`` (required for a one-per-respondent survey); otherwise the response is
        anonymous and a body that names a respondent is refused.

        Raises:
            ValidationError: every field error at once (400).
            ConfigurationError: a one-per-respondent survey, no caller, and the body may not say
                who answers.
        """
        one_each = self.one_response_each(survey_id)
        identity = _identity_fields(
            "respondentId", caller, from_body=self.identity_from_body, required=one_each
        )
        fields = {"surveyId": survey_id, **identity}
        if one_each and not identity:  # the body must say who answers
            named = _decode(_NamedRespondentResponse, body, fields, "respondentId")
            return SurveyResponse(
                survey_id=named.survey_id, answers=named.answers, respondent_id=named.respondent_id
            )
        return _decode(SurveyResponse, body, fields, "respondentId")

    def submit(
        self,
        response: SurveyResponse,
        *,
        idempotency_key: IdempotencyKey | None,
        tenant: str = "public",
    ) -> Receipt:
        """Store ``response`` once.

        Args:
            response: The response, from :meth:`decode`.
            idempotency_key: The request's ``Idempotency-Key``, if it sent one.
            tenant: Who the key belongs to (an API key id, say), so two clients that pick the
                same key never share a record.

        Returns:
            201 with ``surveyId``, ``responseId`` and ``submittedAt``, for a new response and for
            the replay of one (then ``replayed`` is true).

        Raises:
            InvalidIdempotencyKeyError: a per-key survey, and no key was sent (400).
            IdempotencyConflictError: the key was used before with other answers (422).
            DuplicateError: a one-per-respondent survey the respondent has answered with other
                answers (409); ``existing`` is the stored response.
            ValidationError: a one-per-respondent response that names no respondent (400).
            ServiceError: the store failed after retries.
        """
        survey_id = response.survey_id
        payload = response.to_json()
        one_each = self.one_response_each(survey_id)
        if one_each:
            if response.respondent_id is None:
                raise ValidationError(
                    (FieldError(pointer="/respondentId", code="required", message="Required."),)
                )
            response_id = derive_id(RESPONDENT_SCOPE, tenant, survey_id, response.respondent_id)
        else:
            if idempotency_key is None:
                raise InvalidIdempotencyKeyError(
                    "missing",
                    "This survey requires an Idempotency-Key header (a new UUID per response), "
                    "so that a retried request cannot store the response twice.",
                )
            response_id = derive_id(SURVEY_RESPONSE_SCOPE, tenant, survey_id, idempotency_key.value)
        now = self.clock()
        item = Item.of(
            payload,
            responseId=response_id,
            submittedAt=now,
            submittedDay=now[:10],
            payloadHash=fingerprint(payload),
        )
        key = Key.of(surveyId=survey_id, responseId=response_id)
        if not one_each:
            return _response_receipt(Replay(store=self.store).submit(key, item))
        try:
            submission = Reject(store=self.store).submit(key, item)
        except DuplicateError as duplicate:
            existing = Item.of(duplicate.existing)
            if existing.get("payloadHash") == item["payloadHash"]:  # the same answers again
                return _response_receipt(Submission(status=Status.REPLAYED, key=key, item=existing))
            raise
        return _response_receipt(submission)

    def problem_extensions(self, error: FeedbackCoreError) -> dict[str, object] | None:
        """Extra members for the problem response to ``error``, for ``problem_response``.

        For a ``DuplicateError`` (409): a plain ``detail`` and ``existing`` with the stored
        response's ``responseId`` and ``submittedAt`` (not its answers). For an
        ``IdempotencyConflictError`` (422): a ``detail`` that says what to do. ``None`` otherwise.
        """
        if isinstance(error, DuplicateError):
            existing = error.existing
            return {
                "detail": "This respondent has already answered this survey.",
                "existing": {
                    "responseId": existing.get("responseId"),
                    "submittedAt": existing.get("submittedAt"),
                },
            }
        if isinstance(error, IdempotencyConflictError):
            return {
                "detail": "This Idempotency-Key was used for other answers. Send a new key for "
                "a new response; retry with the same body to get the first answer again."
            }
        return None


def _response_receipt(submission: Submission) -> Receipt:
    item = submission.item
    body: dict[str, object] = {
        "surveyId": item["surveyId"],
        "responseId": item["responseId"],
        "submittedAt": item["submittedAt"],
    }
    return Receipt(
        status=submission.http_status,
        body=body,
        replayed=submission.status is Status.REPLAYED,
        item=item,
    )


# The read side. LiveResults imports the read model inside its methods: loading
# feedback_core.aggregate would cost the POST handlers' cold starts tens of milliseconds for
# nothing.

MAX_LISTED = 50
"""The most choices or question ids one results query may name (a survey has at most 50)."""

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CHOICE_MAX_LENGTH = 100  # the Vote schema's limit on a choice


def _day(query: Mapping[str, str], name: str, errors: list[FieldError]) -> str | None:
    """The ``YYYY-MM-DD`` query parameter ``name``, or ``None``; a bad one is a field error."""
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        valid = _DAY.fullmatch(value) is not None and bool(date.fromisoformat(value))
    except ValueError:  # e.g. 2026-02-30
        valid = False
    if not valid:
        errors.append(
            FieldError(pointer=f"/{name}", code="pattern", message="Must be a day: YYYY-MM-DD.")
        )
        return None
    return value


def _listed(
    query: Mapping[str, str],
    name: str,
    errors: list[FieldError],
    *,
    valid: Callable[[str], bool],
    rule: str,
) -> list[str] | None:
    """The comma-separated query parameter ``name`` (blanks dropped), or ``None`` if absent."""
    values = list(dict.fromkeys(v.strip() for v in query.get(name, "").split(",") if v.strip()))
    if not values:
        return None
    if len(values) > MAX_LISTED:
        errors.append(
            FieldError(
                pointer=f"/{name}",
                code="max_items",
                message=f"Must have at most {MAX_LISTED} items.",
            )
        )
    bad = [v for v in values if not valid(v)]
    if bad:
        errors.append(FieldError(pointer=f"/{name}", code="pattern", message=rule))
    return values


def _path_id(value: str, name: str, errors: list[FieldError]) -> None:
    if not _valid_id(value):
        errors.append(
            FieldError(pointer=f"/{name}", code="pattern", message="Is not in the expected format.")
        )


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationError(tuple(errors))


@attrs.frozen(kw_only=True)
class LiveResults:
    """The read side: the live counters behind the three GET routes, as response bodies.

    The counters are written by the stream aggregators (``feedback_core.aggregate``); this
    reads them with the read model (:func:`~feedback_core.aggregate.poll_results`,
    :func:`~feedback_core.aggregate.feedback_analytics`,
    :func:`~feedback_core.aggregate.survey_summary`) after checking the path and query
    parameters. Every read is one paginated query of one counter group.

    - ``GET /polls/{pollId}/results[?choices=a,b]``: the tally with percentages; ``choices``
      lists choices in display order, shown even at zero votes.
    - ``GET /analytics[?since=YYYY-MM-DD&until=YYYY-MM-DD]``: feedback count, average rating,
      histogram, CSAT, sentiment mix, and the daily series between ``since`` and ``until``.
    - ``GET /surveys/{surveyId}/summary[?nps=q1,q2&csat=q3]``: the answer distribution per
      question, with NPS for the questions in :attr:`nps_questions` and in ``?nps=``, and CSAT
      for those in :attr:`csat_questions` and in ``?csat=``.

    There is no poll or survey registry: a poll nobody has voted in and a mistyped poll id look
    the same, and both are a 404 (``NotFoundError``), as is a survey without responses.
    Feedback analytics always exist (all zero at first).

    Args:
        store: The counter store the aggregators write.
        nps_questions: Question ids on the 0-10 "how likely are you to recommend" scale, in
            any survey; a comma-separated string is read like :func:`survey_ids`. NPS means
            nothing on another scale, so it is computed only for questions named here or in
            the request.
        csat_questions: Question ids on a 1-5 satisfaction scale.

    Examples:
        >>> from feedback_core.aggregate import InMemoryCounterStore, StreamAggregator, vote_tally
        >>> store = InMemoryCounterStore()
        >>> _ = StreamAggregator(projection=vote_tally(), store=store).handle({"Records": [{
        ...     "eventName": "INSERT", "eventSourceARN": "arn:aws:dynamodb:us-east-1:1:stream/s",
        ...     "dynamodb": {"SequenceNumber": "1", "ApproximateCreationDateTime": 1795000000,
        ...                  "NewImage": {"pollId": {"S": "p1"}, "choice": {"S": "tabs"}}}}]})
        >>> results = LiveResults(store=store)
        >>> body = results.poll(poll_id="p1", query={"choices": "tabs,spaces"})
        >>> [(c["choice"], c["votes"], c["percentage"]) for c in body["choices"]]
        [('tabs', 1, 100.0), ('spaces', 0, 0.0)]
        >>> try:
        ...     results.poll(poll_id="p2", query={})
        ... except NotFoundError as error:
        ...     print(error)
        No votes have been counted in poll 'p2'.
    """

    store: CounterStore
    nps_questions: frozenset[str] = attrs.field(factory=frozenset, converter=survey_ids)
    csat_questions: frozenset[str] = attrs.field(factory=frozenset, converter=survey_ids)

    def poll(self, *, poll_id: str, query: Mapping[str, str]) -> dict[str, object]:
        """Return the body of ``GET /polls/{pollId}/results``.

        Args:
            poll_id: The ``pollId`` path parameter.
            query: The query string parameters; ``choices`` (comma-separated) is read.

        Raises:
            ValidationError: a bad poll id or ``choices`` (400, every error at once).
            NotFoundError: no vote has been counted in the poll (404).
            ServiceError: the store failed.
        """
        from feedback_core.aggregate.read import poll_results  # lazy, see above

        errors: list[FieldError] = []
        _path_id(poll_id, "pollId", errors)
        choices = _listed(
            query,
            "choices",
            errors,
            valid=lambda c: len(c) <= _CHOICE_MAX_LENGTH,
            rule=f"Each choice must be at most {_CHOICE_MAX_LENGTH} characters.",
        )
        _raise_if(errors)
        results = poll_results(self.store, poll_id, choices=choices)
        if results.total_votes == 0 and results.updated_at is None:
            raise NotFoundError(f"No votes have been counted in poll {poll_id!r}.")
        return dict(results.to_json())

    def analytics(self, *, query: Mapping[str, str]) -> dict[str, object]:
        """Return the body of ``GET /analytics``.

        Args:
            query: The query string parameters; ``since`` and ``until`` (``YYYY-MM-DD``,
                inclusive) bound the daily series.

        Raises:
            ValidationError: a bad day, or ``until`` before ``since`` (400).
            ServiceError: the store failed.
        """
        from feedback_core.aggregate.read import feedback_analytics  # lazy

        errors: list[FieldError] = []
        since, until = _day(query, "since", errors), _day(query, "until", errors)
        if since is not None and until is not None and until < since:
            errors.append(
                FieldError(pointer="/until", code="minimum", message="Must not be before since.")
            )
        _raise_if(errors)
        return dict(feedback_analytics(self.store, since=since, until=until).to_json())

    def survey(self, *, survey_id: str, query: Mapping[str, str]) -> dict[str, object]:
        """Return the body of ``GET /surveys/{surveyId}/summary``.

        Args:
            survey_id: The ``surveyId`` path parameter.
            query: The query string parameters; ``nps`` and ``csat`` (comma-separated question
                ids) add to :attr:`nps_questions` and :attr:`csat_questions`.

        Raises:
            ValidationError: a bad survey id or question id (400, every error at once).
            NotFoundError: no response to the survey has been counted (404).
            ServiceError: the store failed.
        """
        from feedback_core.aggregate.read import survey_summary  # lazy, see above

        errors: list[FieldError] = []
        _path_id(survey_id, "surveyId", errors)
        rule = "Each question id must be in the expected format."
        nps = _listed(query, "nps", errors, valid=_valid_id, rule=rule) or []
        csat = _listed(query, "csat", errors, valid=_valid_id, rule=rule) or []
        _raise_if(errors)
        summary = survey_summary(
            self.store,
            survey_id,
            nps_questions=self.nps_questions | set(nps),
            csat_questions=self.csat_questions | set(csat),
        )
        if summary.responses == 0 and not summary.questions and summary.updated_at is None:
            raise NotFoundError(f"No responses to survey {survey_id!r} have been counted.")
        return dict(summary.to_json())
