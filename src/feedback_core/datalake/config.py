"""The lake writer's settings, read once from the environment at a handler's cold start.

=====================  =====================================================================
Variable               Meaning
=====================  =====================================================================
``LAKE_BUCKET``        Required. The lake bucket.
``LAKE_TABLE``         Which table the stream feeds: ``feedback`` (default), ``votes`` or
                       ``survey_responses``.
``LAKE_PREFIX``        Key prefix of the lake (default: none, ``table=...`` at the root).
``LAKE_CODEC``         ``zlib`` (default), ``isal`` or ``auto`` (isal when installed).
``LAKE_KMS_KEY_ID``    Encrypt objects with this KMS key (SSE-KMS); unset: SSE-S3.
=====================  =====================================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, Self

import attrs

from feedback_core.config import choice, optional, required

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.datalake.schema import TableName
    from feedback_core.datalake.service import DataLakeWriter

__all__ = ["DataLakeConfig"]


@attrs.frozen(kw_only=True)
class DataLakeConfig:
    """What the lake writer handler needs; see the module docstring for each variable.

    Examples:
        >>> config = DataLakeConfig.from_env({"LAKE_BUCKET": "lake"})
        >>> config.table, config.prefix, config.kms_key_id
        ('feedback', '', None)
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("LAKE_BUCKET",)
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = (
        "LAKE_TABLE",
        "LAKE_PREFIX",
        "LAKE_CODEC",
        "LAKE_KMS_KEY_ID",
    )

    bucket: str
    table: TableName = "feedback"
    prefix: str = ""
    codec: Literal["auto", "zlib", "isal"] = "zlib"
    kms_key_id: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: ``LAKE_BUCKET`` is missing or a choice is unknown.
        """
        return cls(
            bucket=required(environ, "LAKE_BUCKET"),
            table=choice(
                environ, "LAKE_TABLE", ("feedback", "votes", "survey_responses"), default="feedback"
            ),
            prefix=optional(environ, "LAKE_PREFIX", "") or "",
            codec=choice(environ, "LAKE_CODEC", ("auto", "zlib", "isal"), default="zlib"),
            kms_key_id=optional(environ, "LAKE_KMS_KEY_ID"),
        )

    def writer(self) -> DataLakeWriter:
        """Build the writer these settings describe (S3); no AWS call is made here."""
        from feedback_core.bundle.core import codec_named
        from feedback_core.datalake.s3 import S3LakeStore
        from feedback_core.datalake.schema import TABLES
        from feedback_core.datalake.service import DataLakeWriter

        store = S3LakeStore(
            bucket=self.bucket,
            encryption="aws:kms" if self.kms_key_id else "AES256",
            kms_key_id=self.kms_key_id,
        )
        return DataLakeWriter(
            table=TABLES[self.table], store=store, prefix=self.prefix, codec=codec_named(self.codec)
        )
