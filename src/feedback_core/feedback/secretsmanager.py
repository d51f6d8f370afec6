"""The cursor signing key, read from AWS Secrets Manager (once per process, on first use).

The template generates the secret (64 random characters) and grants the listing function
``secretsmanager:GetSecretValue`` on it alone; the key never appears in an environment
variable, a template parameter or a log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from feedback_core import aws
from feedback_core.errors import ConfigurationError
from feedback_core.feedback.cursor import MIN_KEY_BYTES

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager.client import SecretsManagerClient

__all__ = ["signing_key"]


def signing_key(
    secret_id: str,
    *,
    client: SecretsManagerClient | None = None,
    backoff: aws.Backoff | None = None,
) -> bytes:
    """Return the secret's value as a signing key.

    Args:
        secret_id: The secret's name or ARN.
        client: A Secrets Manager client; one is created when omitted.
        backoff: Retry policy for throttling and transient errors.

    Raises:
        ConfigurationError: the secret holds no string, or one shorter than
            :data:`~feedback_core.feedback.MIN_KEY_BYTES` bytes.
        ServiceError: Secrets Manager failed (a missing secret or a denied read included).
    """
    secrets = client or cast("SecretsManagerClient", aws.client("secretsmanager"))
    response = aws.with_retries(
        lambda: secrets.get_secret_value(SecretId=secret_id),
        operation="GetSecretValue",
        backoff=backoff or aws.Backoff(),
    )
    key = response.get("SecretString", "").encode()
    if len(key) < MIN_KEY_BYTES:
        raise ConfigurationError(
            f"the cursor signing secret must hold at least {MIN_KEY_BYTES} bytes of text"
        )
    return key
