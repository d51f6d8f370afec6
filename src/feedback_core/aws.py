"""AWS plumbing for adapters (ours and yours): lazy clients, error codes, retries with backoff.

Nothing here imports boto3 at module import; adapters call :func:`client` the first time they
need one, so ``import feedback_core.<capability>`` stays cheap on a Lambda cold start.

Time budget: clients get short connect and read timeouts and no retries of their own
(:func:`client_config`), so the one retry policy is :func:`with_retries`. Inside
:func:`deadline_scope` (the HTTP wrapper opens one per request from the Lambda context's
remaining time), :func:`with_retries` starts another attempt only if a whole attempt (connect +
read timeout) and its backoff still fit before the deadline; otherwise it raises the translated
error at once, which the wrapper answers as 503 with ``Retry-After`` before Lambda's timeout.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
import time
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from feedback_core.errors import ServiceError, ThrottledError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from botocore.config import Config
    from botocore.exceptions import ClientError

T = TypeVar("T")

__all__ = [
    "CONNECT_TIMEOUT",
    "READ_TIMEOUT",
    "THROTTLING_CODES",
    "Backoff",
    "Deadline",
    "call",
    "client",
    "client_config",
    "current_deadline",
    "deadline_scope",
    "error_code",
    "translate",
    "with_retries",
]

CONNECT_TIMEOUT = 1.0
"""Seconds a client waits to connect (botocore's default is 60)."""
READ_TIMEOUT = 3.0
"""Seconds a client waits for an answer (botocore's default is 60); API calls here are small."""

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

    return boto3.client(service, region_name=region_name, config=client_config())  # type: ignore[call-overload]  # service is a runtime string


def client_config(
    *, connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT
) -> Config:
    """The botocore settings of every client: short timeouts, one attempt per call.

    botocore's own retries (3 to 10 attempts, 60-second timeouts) would run under
    :func:`with_retries` and outlive the function; with one attempt, the library's backoff and
    the request's :class:`Deadline` decide alone.

    Examples:
        >>> config = client_config()
        >>> (config.connect_timeout, config.read_timeout, config.retries["total_max_attempts"])
        (1.0, 3.0, 1)
    """
    from botocore.config import Config  # deferred with boto3

    return Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )


@attrs.frozen(kw_only=True)
class Deadline:
    """When the current request must have answered, and what one AWS attempt may take.

    Attributes:
        expires_at: The clock's reading at the deadline.
        attempt_seconds: The longest one attempt can take (connect + read timeout).
        clock: Monotonic seconds; tests pass a fake one.

    Examples:
        >>> ticks = iter([0.0, 0.0, 5.0])
        >>> deadline = Deadline.after(6.0, clock=lambda: next(ticks))
        >>> deadline.allows(delay=0.5)
        True
        >>> deadline.allows(delay=0.5)  # 1 second left: no room for a 4-second attempt
        False
    """

    expires_at: float
    attempt_seconds: float = CONNECT_TIMEOUT + READ_TIMEOUT
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def after(cls, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> Deadline:
        """A deadline ``seconds`` from now."""
        return cls(expires_at=clock() + seconds, clock=clock)

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.expires_at - self.clock()

    def allows(self, *, delay: float) -> bool:
        """Whether waiting ``delay`` and then one whole attempt still end before the deadline."""
        return delay + self.attempt_seconds <= self.remaining()


_DEADLINE: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "feedback_core_deadline", default=None
)


def current_deadline() -> Deadline | None:
    """The deadline of the request being handled, if a :func:`deadline_scope` is open."""
    return _DEADLINE.get()


@contextlib.contextmanager
def deadline_scope(deadline: Deadline | None) -> Iterator[Deadline | None]:
    """Make ``deadline`` the one :func:`with_retries` respects, for the ``with`` block."""
    token = _DEADLINE.set(deadline)
    try:
        yield deadline
    finally:
        _DEADLINE.reset(token)


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

    No answer at all (a timeout or an unreachable endpoint: botocore's ``BotoCoreError``) is
    transient too, and becomes a :class:`ServiceError` named after the exception, so nothing
    from botocore crosses a port. Inside a :func:`deadline_scope`, a retry is made only when
    its backoff and a whole attempt still fit before the deadline; otherwise the last error is
    raised at once.

    Raises:
        ThrottledError: the service was still throttling after the last attempt.
        ServiceError: any other AWS error (at once for non-transient codes), or no answer.
    """
    from botocore.exceptions import BotoCoreError, ClientError  # boto3 is loaded by now

    deadline = current_deadline()
    for attempt in range(1, backoff.attempts + 1):
        try:
            return call()
        except ClientError as exc:
            failure: ServiceError = translate(exc, operation)
            if error_code(exc) not in retry_on:
                raise failure from exc
            cause: Exception = exc
        except BotoCoreError as exc:
            failure, cause = ServiceError(operation, type(exc).__name__, str(exc)), exc
        if attempt == backoff.attempts:
            raise failure from cause
        delay = backoff.delay(attempt)
        if deadline is not None and not deadline.allows(delay=delay):
            raise failure from cause
        backoff.sleep(delay)
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


call = with_retries
"""The same as :func:`with_retries` (the name the report adapters use)."""
