"""AWS plumbing for adapters (ours and yours): lazy clients, error codes, retries with backoff.

Nothing here imports boto3 at module import; adapters call :func:`client` the first time they
need one, so ``import feedback_core.<capability>`` stays cheap on a Lambda cold start.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING, Any, TypeVar

from feedback_core.errors import ServiceError, ThrottledError

if TYPE_CHECKING:
    from collections.abc import Callable

    from botocore.exceptions import ClientError

T = TypeVar("T")

__all__ = [
    "THROTTLING_CODES",
    "Backoff",
    "call",
    "client",
    "error_code",
    "translate",
    "with_retries",
]

THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
    }
)
"""AWS error codes that mean "try again later" rather than "this request is wrong"."""

_TRANSIENT_CODES = THROTTLING_CODES | {
    "InternalServerError",
    "ServiceUnavailable",
    "InternalFailure",
}


# Returns Any because the service name is a runtime string; each adapter casts the result to its
# mypy_boto3 client type.
def client(service: str, *, region_name: str | None = None) -> Any:
    """Create a low-level boto3 client, importing boto3 only now.

    Adapters call this once per instance and keep the client; handlers build adapters once per
    process, so a warm Lambda reuses its connections.
    """
    import boto3  # deferred so importing the library does not import boto3

    return boto3.client(service, region_name=region_name)  # type: ignore[call-overload]  # service is a runtime string


def error_code(exc: ClientError) -> str:
    """Return the AWS error code of a botocore ``ClientError``."""
    return str(exc.response.get("Error", {}).get("Code", "Unknown"))


def translate(exc: ClientError, operation: str) -> ServiceError:
    """Turn a ``ClientError`` into the ServiceError that crosses the port (chain with ``from``)."""
    code = error_code(exc)
    message = str(exc.response.get("Error", {}).get("Message", ""))
    if code in THROTTLING_CODES:
        return ThrottledError(operation, code, message)
    return ServiceError(operation, code, message)


class Backoff:
    """Full-jitter exponential backoff (the AWS Architecture Blog's recommendation).

    Args:
        attempts: How many calls in all, the first included.
        base: The first delay's upper bound, in seconds.
        cap: The largest delay, in seconds.
        sleep: What waits; tests pass a recorder so they never sleep.
        rng: The source of jitter; seeded in tests.
    """

    def __init__(
        self,
        *,
        attempts: int = 6,
        base: float = 0.05,
        cap: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        """Store the policy."""
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.attempts = attempts
        self.base = base
        self.cap = cap
        self.sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311  # jitter, not cryptography

    def delay(self, attempt: int) -> float:
        """Return the delay before retry number ``attempt`` (1 for the first retry)."""
        return self._rng.uniform(0, min(self.cap, self.base * 2 ** (attempt - 1)))


def with_retries(
    call: Callable[[], T],
    *,
    operation: str,
    backoff: Backoff,
    retry_on: frozenset[str] = _TRANSIENT_CODES,
) -> T:
    """Run ``call``, retrying transient AWS errors with backoff; translate the last one.

    Raises:
        ThrottledError: the service was still throttling after the last attempt.
        ServiceError: any other AWS error, at once for non-transient codes.
    """
    from botocore.exceptions import ClientError  # boto3 is loaded by now anyway

    for attempt in range(1, backoff.attempts + 1):
        try:
            return call()
        except ClientError as exc:
            if error_code(exc) not in retry_on or attempt == backoff.attempts:
                raise translate(exc, operation) from exc
            backoff.sleep(backoff.delay(attempt))
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def call(
    request: Callable[[], T],
    *,
    operation: str,
    backoff: Backoff,
    retry_on: frozenset[str] = _TRANSIENT_CODES,
) -> T:
    """Run ``request`` as :func:`with_retries` does; no answer at all is a ServiceError too.

    A timeout or an unreachable endpoint (botocore's ``BotoCoreError``) becomes a
    :class:`ServiceError` named after the exception, so nothing from botocore crosses a port.

    Raises:
        ThrottledError: the service was still throttling after the last attempt.
        ServiceError: any other AWS error, or no answer.
    """
    from botocore.exceptions import BotoCoreError  # boto3 is loaded by now anyway

    try:
        return with_retries(request, operation=operation, backoff=backoff, retry_on=retry_on)
    except BotoCoreError as exc:
        raise ServiceError(operation, type(exc).__name__, str(exc)) from exc
