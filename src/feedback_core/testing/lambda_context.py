"""A stand-in for the Lambda context object, for calling handlers in tests and the local demo.

Examples:
    >>> context = FakeLambdaContext(function_name="feedback-submit")
    >>> context.invoked_function_arn
    'arn:aws:lambda:us-east-1:123456789012:function:feedback-submit'
"""

from __future__ import annotations

import uuid

import attrs

__all__ = ["FakeLambdaContext"]


@attrs.frozen(kw_only=True)
class FakeLambdaContext:
    """The attributes and method of Lambda's context that handlers (and Powertools) read.

    Attributes:
        function_name: The function's name.
        memory_limit_in_mb: Configured memory.
        aws_request_id: This invocation's id; a fresh UUID unless given.
        remaining_millis: What :meth:`get_remaining_time_in_millis` answers.
    """

    function_name: str = "feedback-core-local"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    aws_request_id: str = attrs.field(factory=lambda: str(uuid.uuid4()))
    region: str = "us-east-1"
    account_id: str = "123456789012"
    remaining_millis: int = 10_000

    @property
    def invoked_function_arn(self) -> str:
        """The ARN the function was invoked by."""
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        """The function's log group."""
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        """A log stream name shaped like Lambda's."""
        return "2026/11/22/[$LATEST]local"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation times out."""
        return self.remaining_millis
