"""Survey responses, each stored once: per ``Idempotency-Key``, or one per respondent.

``POST /surveys/{surveyId}/responses`` calls this; it knows nothing of HTTP. Configure it with
:meth:`SurveysConfig.from_env`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final, Self

import attrs

from feedback_core import config as env
from feedback_core.dedup.keys import Key, derive_id, fingerprint
from feedback_core.dedup.policies import Reject, Replay, utc_timestamp
from feedback_core.dedup.ports import Item
from feedback_core.errors import FieldError, InvalidIdempotencyKeyError, ValidationError
from feedback_core.ingest.fields import field
from feedback_core.ingest.schemas import ID_PATTERN, SurveyResponse
from feedback_core.usecases.identity import decode_as, identity_fields
from feedback_core.usecases.outcomes import ResponseReceipt, Submitted
from feedback_core.usecases.retention import expiry, retention_days

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from feedback_core.dedup.keys import IdempotencyKey
    from feedback_core.dedup.ports import DedupStore

__all__ = [
    "ALL_SURVEYS",
    "RESPONDENT_SCOPE",
    "SURVEY_RESPONSE_SCOPE",
    "SubmitSurveyResponse",
    "SurveyResponseService",
    "SurveysConfig",
]

SURVEY_RESPONSE_SCOPE: Final = "POST /surveys/{surveyId}/responses"
"""The scope of survey response ids derived from an ``Idempotency-Key``."""

RESPONDENT_SCOPE: Final = "survey respondent"
"""The scope of survey response ids derived from the respondent (one response each).

Changing a scope would give new ids to old keys, so a retry would no longer find its record.
"""

ALL_SURVEYS: Final = "*"
"""In ``one_per_respondent``: every survey takes one response per respondent."""


@attrs.frozen(kw_only=True)
class SurveysConfig:
    """The survey responses service's settings.

    ========================================  =================================================
    Variable                                  Meaning
    ========================================  =================================================
    ``SURVEY_RESPONSES_TABLE``                The responses table. Required.
    ``ONE_RESPONSE_PER_RESPONDENT_SURVEYS``   Survey ids (comma-separated) or ``*`` that take
                                              one response per respondent. Default none.
    ``IDENTITY_FROM_BODY``                    ``true``: a request without an authorizer
                                              identity may name its respondent (samples only).
    ``MAX_BODY_BYTES``                        The largest request body (default 65536).
    ``RETENTION_DAYS``                        Days each response is kept (``expiresAt`` for
                                              the table's TTL); 0, the default, keeps it.
    ========================================  =================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("SURVEY_RESPONSES_TABLE",)
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = (
        "ONE_RESPONSE_PER_RESPONDENT_SURVEYS",
        "IDENTITY_FROM_BODY",
        "MAX_BODY_BYTES",
        "RETENTION_DAYS",
    )

    table: str
    one_per_respondent: frozenset[str] = frozenset()
    identity_from_body: bool = False
    max_body_bytes: int = 65536
    retention_days: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a missing table, a bad flag or number.
        """
        return cls(
            table=env.required(environ, "SURVEY_RESPONSES_TABLE"),
            one_per_respondent=env.names(environ, "ONE_RESPONSE_PER_RESPONDENT_SURVEYS"),
            identity_from_body=env.flag(environ, "IDENTITY_FROM_BODY"),
            max_body_bytes=env.integer(environ, "MAX_BODY_BYTES", default=65536, minimum=1),
            retention_days=retention_days(environ),
        )


@attrs.frozen(kw_only=True)
class SubmitSurveyResponse:
    """A command: store ``response`` once (per key, or per respondent)."""

    response: SurveyResponse
    idempotency_key: IdempotencyKey | None = None
    tenant: str = "public"


@attrs.frozen(kw_only=True)
class _NamedRespondentResponse(SurveyResponse):
    """A survey response that must name its respondent (one response each, no sign-in)."""

    respondent_id: str = field(pattern=ID_PATTERN)


def _surveys(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset(
        part.strip() for part in (value.split(",") if isinstance(value, str) else value)
    ) - {""}


@attrs.define(kw_only=True)
class SurveyResponseService:
    """Store each survey response once: per ``Idempotency-Key``, or one per respondent.

    - **per key** (the default): the ``Idempotency-Key`` is required (400 without it). The
      response id derives from the survey and the key: a retry replays the first answer; the
      key reused with other answers is an ``IdempotencyConflictError`` (422).
    - **one per respondent** (surveys in ``one_per_respondent``): the id derives from the survey
      and the respondent. The same answers again replay the first answer; other answers are a
      ``DuplicateError`` (409).

    Args:
        store: The survey responses table (key ``surveyId`` + ``responseId``).
        one_per_respondent: Survey ids that take one response per respondent, or ``*``.
        identity_from_body: Whether a request without a caller identity may name its
            respondent in the body (a sample without sign-in).
        clock: The ``submittedAt`` timestamp; ``submittedDay`` is its first 10 characters.
        retention_days: Days a response is kept (an ``expiresAt`` attribute); 0 keeps it.

    Examples:
        >>> from feedback_core.dedup import IdempotencyKey
        >>> from feedback_core.testing import InMemoryDedupStore
        >>> clock = iter(["2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z"]).__next__
        >>> surveys = SurveyResponseService(store=InMemoryDedupStore(), clock=clock)
        >>> response = surveys.decode(b'{"answers": {"q1": 9}}', survey_id="nps", caller=None)
        >>> key = IdempotencyKey("b1f2c3d4-0000-4000-8000-000000000001")
        >>> first = surveys.submit(SubmitSurveyResponse(response=response, idempotency_key=key))
        >>> retry = surveys.submit(SubmitSurveyResponse(response=response, idempotency_key=key))
        >>> first.replayed, retry.replayed, first.record == retry.record
        (False, True, True)
    """

    store: DedupStore
    one_per_respondent: frozenset[str] = attrs.field(factory=frozenset, converter=_surveys)
    identity_from_body: bool = False
    clock: Callable[[], str] = utc_timestamp
    retention_days: int = 0

    @classmethod
    def from_config(
        cls, config: SurveysConfig, *, store: DedupStore | None = None
    ) -> SurveyResponseService:
        """Build the service a handler uses (a DynamoDB store unless one is given)."""
        if store is None:
            from feedback_core.dedup.dynamodb import DynamoDBDedupStore

            store = DynamoDBDedupStore(table_name=config.table)
        return cls(
            store=store,
            one_per_respondent=config.one_per_respondent,
            identity_from_body=config.identity_from_body,
            retention_days=config.retention_days,
        )

    def one_response_each(self, survey_id: str) -> bool:
        """Tell whether ``survey_id`` takes one response per respondent."""
        return ALL_SURVEYS in self.one_per_respondent or survey_id in self.one_per_respondent

    def decode(self, body: bytes | str, *, survey_id: str, caller: str | None) -> SurveyResponse:
        """Validate a response to the survey in the path, from ``caller``.

        Raises:
            ValidationError: every field error at once (400).
            UnauthenticatedError: a one-per-respondent survey, no caller, and the body may not say
                who answers.
        """
        one_each = self.one_response_each(survey_id)
        identity = identity_fields(
            "respondentId", caller, from_body=self.identity_from_body, required=one_each
        )
        fields = {"surveyId": survey_id, **identity}
        if one_each and not identity:  # the body must say who answers
            named = decode_as(_NamedRespondentResponse, body, fields, "respondentId")
            return SurveyResponse(
                survey_id=named.survey_id, answers=named.answers, respondent_id=named.respondent_id
            )
        return decode_as(SurveyResponse, body, fields, "respondentId")

    def submit(self, command: SubmitSurveyResponse) -> Submitted[ResponseReceipt]:
        """Store the response once.

        Returns:
            ``CREATED``, or a replay of it.

        Raises:
            InvalidIdempotencyKeyError: a per-key survey, and no key was sent (400).
            IdempotencyConflictError: the key was used before with other answers (422).
            DuplicateError: a one-per-respondent survey the respondent has answered with other
                answers (409); ``existing`` is the stored response.
            ValidationError: a one-per-respondent response that names no respondent (400).
            ServiceError: the store failed after retries.
        """
        response = command.response
        survey_id = response.survey_id
        payload = response.to_json()
        one_each = self.one_response_each(survey_id)
        if one_each:
            if response.respondent_id is None:
                raise ValidationError(
                    (FieldError(pointer="/respondentId", code="required", message="Required."),)
                )
            response_id = derive_id(
                RESPONDENT_SCOPE, command.tenant, survey_id, response.respondent_id
            )
        else:
            if command.idempotency_key is None:
                raise InvalidIdempotencyKeyError(
                    "missing",
                    "This survey requires an Idempotency-Key header (a new UUID per response), "
                    "so that a retried request cannot store the response twice.",
                )
            response_id = derive_id(
                SURVEY_RESPONSE_SCOPE, command.tenant, survey_id, command.idempotency_key.value
            )
        now = self.clock()
        item = Item.of(
            payload,
            responseId=response_id,
            submittedAt=now,
            submittedDay=now[:10],
            payloadHash=fingerprint(payload),
            **expiry(now, self.retention_days),
        )
        key = Key.of(surveyId=survey_id, responseId=response_id)
        policy = Reject(store=self.store) if one_each else Replay(store=self.store)
        submission = policy.submit(key, item)
        return Submitted(
            status=submission.status,
            replayed=submission.replayed,
            record=ResponseReceipt.from_item(submission.item),
        )
