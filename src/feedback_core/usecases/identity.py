"""Who is submitting: the verified caller, or (in samples without sign-in) the body's word.

Votes and one-per-respondent surveys need to know the user. In production it is the identity
the API's authorizer vouched for (:func:`feedback_core.http.authorizer_identity` reads it), never
a body field a client could set to anyone. Use cases take it as ``caller``; only when built with
``identity_from_body=True`` (a sample without sign-in, opt-in) may a request without a caller name
its user in the body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import attrs

from feedback_core.errors import FieldError, UnauthenticatedError, ValidationError
from feedback_core.ingest.schema import Record

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["decode_as", "identity_fields"]

_R = TypeVar("_R", bound=Record)


def identity_fields(
    name: str, caller: str | None, *, from_body: bool, required: bool
) -> dict[str, object]:
    """The server-supplied identity field: the caller, the body's own value, or none at all.

    Raises:
        UnauthenticatedError: ``required``, no caller, and the body may not say who it is
            (401, never the body's word).
    """
    if caller is not None:
        return {name: caller}
    if from_body:
        return {}  # the body names the user: sample APIs without sign-in only
    if required:
        # With an authorizer on the route, API Gateway refuses callers it cannot identify before
        # the function runs (401); a request reaching here without one (a route wired without
        # the authorizer, or a direct invocation) gets the same answer, never the body's word.
        raise UnauthenticatedError(
            "This request needs a signed-in caller: send an Authorization header with a valid "
            "token."
        )
    return {name: None}  # anonymous: a body that names someone is refused


def decode_as(schema: type[_R], body: bytes | str, fields: Mapping[str, object], who: str) -> _R:
    """Decode with server fields, explaining a body that names someone other than the caller.

    Raises:
        ValidationError: every field error at once.
    """
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
