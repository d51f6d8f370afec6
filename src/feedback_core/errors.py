"""The exceptions that feedback_core raises; every public error derives from FeedbackCoreError.

The tree::

    FeedbackCoreError
    ├── ConfigurationError            wired wrongly: not the client's fault
    │   ├── StreamConfigurationError  a stream record lacks the image a projection needs
    │   └── UnsupportedRegionError    a service is not offered in the requested region
    ├── IngestError                   a request a client sent cannot be accepted (4xx, never 500)
    │   ├── ValidationError           400: every field error at once
    │   ├── PayloadTooLargeError      413: the body is over the limit
    │   ├── UnsupportedMediaTypeError 415: the body is not JSON
    │   ├── UnauthenticatedError      401: the route needs a verified caller and has none
    │   └── MethodNotAllowedError     405: the route does not answer this method
    ├── DedupError
    │   ├── DuplicateError            a key was already claimed (reject policy); carries the holder
    │   ├── IdempotencyConflictError  an idempotency key reused with a different payload
    │   └── InvalidIdempotencyKeyError 400: a bad Idempotency-Key header (also an IngestError)
    ├── NotFoundError                 404: the record asked for does not exist
    ├── SentimentError                an analyzer failed for a whole batch
    ├── BundleError                   a bundle could not be written; no partial object is visible
    ├── BackupError
    │   └── VerificationError         a backup part does not match its manifest
    └── ServiceError                  an AWS call failed after retries; the cause is chained
        └── ThrottledError            the service kept throttling past the retry budget

AWS errors never cross a port: adapters translate ``botocore`` errors into these, with
``raise ... from exc`` so the original error stays available as ``__cause__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

import attrs

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "BackupError",
    "BundleError",
    "ConfigurationError",
    "DedupError",
    "DuplicateError",
    "FeedbackCoreError",
    "FieldError",
    "IdempotencyConflictError",
    "IngestError",
    "InvalidIdempotencyKeyError",
    "MethodNotAllowedError",
    "NotFoundError",
    "PayloadTooLargeError",
    "SentimentError",
    "ServiceError",
    "StreamConfigurationError",
    "ThrottledError",
    "UnauthenticatedError",
    "UnsupportedMediaTypeError",
    "UnsupportedRegionError",
    "ValidationError",
    "VerificationError",
]


class FeedbackCoreError(Exception):
    """The root of every error that feedback_core raises on purpose."""


class ConfigurationError(FeedbackCoreError):
    """The library, a handler or a stream is configured in a way that cannot work."""


class StreamConfigurationError(ConfigurationError):
    """A stream record lacks the image the fold needs (the stream is not NEW_AND_OLD_IMAGES)."""


class UnsupportedRegionError(ConfigurationError):
    """An AWS service is not offered in the region asked for."""


@attrs.frozen(kw_only=True)
class FieldError:
    """One thing wrong with one place in a request body (carried by :class:`ValidationError`).

    Attributes:
        pointer: An RFC 6901 JSON pointer to the offending value (``""`` is the whole body).
        code: A stable machine code, e.g. ``required``, ``type``, ``max_length``, ``maximum``.
        message: A sentence for people.
    """

    pointer: str
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        """Return the error as an entry of a problem body's ``errors`` member."""
        return {"pointer": self.pointer, "code": self.code, "detail": self.message}


class IngestError(FeedbackCoreError):
    """A client's request cannot be accepted; maps to a 4xx problem response.

    Attributes:
        status: The HTTP status that describes the problem.
        title: A short, human-readable summary of the problem type.
    """

    status: int = 400
    title: str = "Bad Request"
    type_slug: str = "bad-request"


class ValidationError(IngestError):
    """The body was read but breaks the schema; ``errors`` holds every field error at once."""

    status = 400
    title = "Your request is not valid."
    type_slug = "validation-error"

    _detail: str | None = None

    def __init__(self, errors: tuple[FieldError, ...], *, detail: str | None = None) -> None:
        """Build the error from its field errors.

        Args:
            errors: Every field error found, in document order.
            detail: A one-line summary; derived from the errors when omitted.
        """
        # BaseException.__new__ has already stored ``errors`` in ``args``.
        if detail is not None:
            self._detail = detail

    @classmethod
    def of(cls, errors: tuple[FieldError, ...]) -> Self:
        """Return the error for ``errors`` without running ``__init__`` (a decoder's hot path).

        An invalid body is a hot path too (bots, broken clients): this skips a Python-level
        ``__init__`` call, about a third of a microsecond a body.

        Examples:
            >>> ValidationError.of((FieldError(pointer="/a", code="type", message="No."),)).errors
            (FieldError(pointer='/a', code='type', message='No.'),)
        """
        error: Self = BaseException.__new__(cls, errors)
        return error

    @property
    def errors(self) -> tuple[FieldError, ...]:
        """Every field error found, in document order."""
        errors: tuple[FieldError, ...] = self.args[0]
        return errors

    @property
    def detail(self) -> str:
        """A one-line summary for the problem body's ``detail`` member."""
        return self._detail or f"{len(self.errors)} field error(s) in the request body."

    def __str__(self) -> str:
        """Return the summary and the first few field errors."""
        shown = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in self.errors[:5])
        more = f" (+{len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        return f"{self.detail} {shown}{more}".strip()


class PayloadTooLargeError(IngestError):
    """The body is larger than the configured limit."""

    status = 413
    title = "The request body is too large."
    type_slug = "payload-too-large"


class UnsupportedMediaTypeError(IngestError):
    """The request's content type is not JSON."""

    status = 415
    title = "The request body must be JSON."
    type_slug = "unsupported-media-type"


class UnauthenticatedError(IngestError):
    """401: the route acts for a user, and the request carries no verified caller.

    Behind an authorizer API Gateway answers this itself; a function reached without claims
    (a route wired without the authorizer) answers the same rather than trust the body.
    """

    status = 401
    title = "Sign-in required."
    type_slug = "unauthenticated"


class NotFoundError(FeedbackCoreError):
    """The record a request asks for does not exist (or is not the caller's to see): 404.

    Raised by use cases, not by decoding: the request was valid, the answer is "nothing here".
    """


class MethodNotAllowedError(IngestError):
    """405: the route does not answer this method; ``allow`` lists the ones it does."""

    status = 405
    title = "This method is not allowed here."
    type_slug = "method-not-allowed"

    def __init__(self, method: str, allow: tuple[str, ...]) -> None:
        """Say which method was refused and which are allowed."""
        shown = method if method.isascii() and method.isalpha() else "this method"
        super().__init__(f"{shown} is not allowed here; use {', '.join(allow)}.")
        self.allow = allow


class DedupError(FeedbackCoreError):
    """A claim on a dedup key could not be honoured."""


class DuplicateError(DedupError):
    """The key is already held (reject policy); ``existing`` is the item that holds it.

    ``existing`` is a ``feedback_core.dedup.Item``: read attributes with ``existing["choice"]``.
    """

    def __init__(self, key: object, existing: Mapping[str, object]) -> None:
        """Record the key and the item that already holds it."""
        self.key = key
        self.existing = existing
        super().__init__(f"key {key!r} is already claimed")


class IdempotencyConflictError(DedupError):
    """An idempotency key was reused with a different payload."""

    def __init__(self, key: object) -> None:
        """Record the idempotency key that was reused."""
        self.key = key
        super().__init__(f"idempotency key {key!r} was already used with a different payload")


class InvalidIdempotencyKeyError(IngestError, DedupError):
    """The ``Idempotency-Key`` header is missing (where required) or malformed: a 400.

    It is an :class:`IngestError`, so whatever renders ingest's problem responses renders this
    one too, and a :class:`DedupError`, so ``except DedupError`` still sees it.

    Attributes:
        reason: A machine code: ``missing``, ``empty``, ``bad-quoting``, ``multiple-values``,
            ``bad-character``, ``too-short`` or ``too-long``.
        detail: A sentence for the client saying what to fix.
    """

    status = 400
    title = "The Idempotency-Key header is not valid."
    type_slug = "invalid-idempotency-key"

    def __init__(self, reason: str, detail: str) -> None:
        """Record why the header was refused."""
        self.reason = reason
        self.detail = detail
        super().__init__(detail)


class SentimentError(FeedbackCoreError):
    """A sentiment analyzer failed for a whole batch."""


class BundleError(FeedbackCoreError):
    """A bundle could not be written; no partial object was left visible."""


class BackupError(FeedbackCoreError):
    """An export, verification or restore could not complete."""


class VerificationError(BackupError):
    """A backup part's content does not match its manifest."""


class ServiceError(FeedbackCoreError):
    """An AWS call failed and retrying did not help; the botocore error is the ``__cause__``.

    Attributes:
        operation: The AWS operation that failed, e.g. ``PutItem``.
        code: The AWS error code, e.g. ``InternalServerError``.
    """

    def __init__(self, operation: str, code: str, message: str = "") -> None:
        """Record which operation failed with which AWS error code."""
        self.operation = operation
        self.code = code
        super().__init__(f"{operation} failed with {code}" + (f": {message}" if message else ""))


class ThrottledError(ServiceError):
    """The service kept throttling the call after every retry."""
