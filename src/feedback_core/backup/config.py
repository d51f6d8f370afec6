"""The backup job's settings, read once from environment variables at a handler's cold start.

===============================  ============================================================
Variable                         Meaning
===============================  ============================================================
``BACKUP_TABLE``                 The table to back up (required).
``BACKUP_BUCKET``                The bucket exports go to (required).
``BACKUP_PREFIX``                Key prefix of the exports (default ``backups/<table>``).
``BACKUP_TOPIC_ARN``             SNS topic told of success and failure (default: none).
``BACKUP_MODE``                  ``scan`` (default: our parallel scan export) or ``native``
                                 (``ExportTableToPointInTime``; needs point-in-time recovery).
``BACKUP_WORKERS``               Scan segments read at once (default 4).
``BACKUP_PART_MIB``              Uncompressed MiB per part (default 128).
``BACKUP_GROUP_ATTRIBUTE``       Count items per value of this attribute (e.g. ``surveyId``).
``BACKUP_TIME_ATTRIBUTE``        Record the data's time range from this attribute.
``BACKUP_VERIFY``                Verify each export after writing it (default true).
``BACKUP_KEEP_LAST``             Prune all but this many newest exports (default: keep all).
``BACKUP_MAX_AGE_DAYS``          ...but keep any export younger than this many days.
``BACKUP_STOP_MARGIN_SECONDS``   Stop and continue in a new invocation when less than this
                                 much time is left (default 120).
``AWS_LAMBDA_FUNCTION_NAME``     Set by Lambda: the function that continues a cut-short run.
===============================  ============================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import attrs

from feedback_core.config import choice, flag, integer, optional, required

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Self

__all__ = ["BackupConfig", "BackupMode"]

BackupMode = Literal["scan", "native"]
MODES: tuple[BackupMode, ...] = ("scan", "native")


@attrs.frozen(kw_only=True)
class BackupConfig:
    """The backup job's settings (see the module docstring for the variables)."""

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("BACKUP_TABLE", "BACKUP_BUCKET")
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = (
        "BACKUP_PREFIX",
        "BACKUP_TOPIC_ARN",
        "BACKUP_MODE",
        "BACKUP_WORKERS",
        "BACKUP_PART_MIB",
        "BACKUP_GROUP_ATTRIBUTE",
        "BACKUP_TIME_ATTRIBUTE",
        "BACKUP_VERIFY",
        "BACKUP_KEEP_LAST",
        "BACKUP_MAX_AGE_DAYS",
        "BACKUP_STOP_MARGIN_SECONDS",
        "AWS_LAMBDA_FUNCTION_NAME",
    )

    table: str
    bucket: str
    prefix: str
    topic_arn: str | None = None
    mode: BackupMode = "scan"
    workers: int = 4
    part_mib: int = 128
    group_attribute: str | None = None
    time_attribute: str | None = None
    verify: bool = True
    keep_last: int | None = None
    max_age_days: int | None = None
    stop_margin_seconds: int = 120
    function_name: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a required variable is missing, or a value is out of range.

        Examples:
            >>> config = BackupConfig.from_env(
            ...     {"BACKUP_TABLE": "votes", "BACKUP_BUCKET": "b", "BACKUP_KEEP_LAST": "8"})
            >>> config.prefix, config.keep_last, config.mode
            ('backups/votes', 8, 'scan')
        """
        table = required(environ, "BACKUP_TABLE")
        keep_last = integer(environ, "BACKUP_KEEP_LAST", default=0, minimum=0)
        max_age = integer(environ, "BACKUP_MAX_AGE_DAYS", default=0, minimum=0)
        return cls(
            table=table,
            bucket=required(environ, "BACKUP_BUCKET"),
            prefix=(optional(environ, "BACKUP_PREFIX") or f"backups/{table}").strip("/"),
            topic_arn=optional(environ, "BACKUP_TOPIC_ARN"),
            mode=choice(environ, "BACKUP_MODE", MODES, default="scan"),
            workers=integer(environ, "BACKUP_WORKERS", default=4, minimum=1, maximum=64),
            part_mib=integer(environ, "BACKUP_PART_MIB", default=128, minimum=1, maximum=4096),
            group_attribute=optional(environ, "BACKUP_GROUP_ATTRIBUTE"),
            time_attribute=optional(environ, "BACKUP_TIME_ATTRIBUTE"),
            verify=flag(environ, "BACKUP_VERIFY", default=True),
            keep_last=keep_last or None,
            max_age_days=max_age or None,
            stop_margin_seconds=integer(
                environ, "BACKUP_STOP_MARGIN_SECONDS", default=120, minimum=0, maximum=900
            ),
            function_name=optional(environ, "AWS_LAMBDA_FUNCTION_NAME"),
        )
