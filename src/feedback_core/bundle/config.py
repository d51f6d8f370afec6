"""The bundler's settings, read once from the environment at a handler's cold start.

=============================  ===============================================================
Variable                       Meaning
=============================  ===============================================================
``DISTRIBUTION_BUCKET``        Required. The bucket bundles and manifests are written to.
``CLAIMS_TABLE``               Required. The DynamoDB table of claims (partition key ``pk``).
``BUNDLE_PREFIX``              Key prefix of bundles (default ``bundles/``).
``BUNDLE_FORMAT``              ``jsonl`` (default) or ``tar``.
``BUNDLE_CODEC``               ``auto`` (default: isal when installed, else zlib), ``zlib``,
                               ``isal``.
``MAX_BUNDLE_BYTES``           Input bytes per bundle before rolling over (default 100 MiB).
``MAX_BUNDLE_SOURCES``         Sources per bundle before rolling over (default 100, at most
                               250 so a bundle's intent fits one DynamoDB item).
``PART_SIZE_BYTES``            Multipart part size (default and minimum 8 MiB).
``BUNDLE_KMS_KEY_ID``          Encrypt bundles with this KMS key (SSE-KMS); unset: SSE-S3.
=============================  ===============================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal, Self

import attrs

from feedback_core.config import choice, integer, optional, required

if TYPE_CHECKING:
    from collections.abc import Mapping

    from feedback_core.bundle.core import BundleFormat
    from feedback_core.bundle.service import Bundler

__all__ = ["BundlerConfig"]

_MIB = 1024 * 1024


@attrs.frozen(kw_only=True)
class BundlerConfig:
    """What the bundler handler needs; see the module docstring for each variable.

    Examples:
        >>> config = BundlerConfig.from_env({"DISTRIBUTION_BUCKET": "d", "CLAIMS_TABLE": "c"})
        >>> config.format, config.max_bundle_bytes // (1 << 20), config.kms_key_id
        ('jsonl', 100, None)
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ("DISTRIBUTION_BUCKET", "CLAIMS_TABLE")
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = (
        "BUNDLE_PREFIX",
        "BUNDLE_FORMAT",
        "BUNDLE_CODEC",
        "MAX_BUNDLE_BYTES",
        "MAX_BUNDLE_SOURCES",
        "PART_SIZE_BYTES",
        "BUNDLE_KMS_KEY_ID",
    )

    distribution_bucket: str
    claims_table: str
    prefix: str = "bundles/"
    format: BundleFormat = "jsonl"
    codec: Literal["auto", "zlib", "isal"] = "auto"
    max_bundle_bytes: int = 100 * _MIB
    max_bundle_sources: int = 100
    part_size: int = 8 * _MIB
    kms_key_id: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings.

        Raises:
            ConfigurationError: a required variable is missing or a value is out of range.
        """
        return cls(
            distribution_bucket=required(environ, "DISTRIBUTION_BUCKET"),
            claims_table=required(environ, "CLAIMS_TABLE"),
            prefix=optional(environ, "BUNDLE_PREFIX", "bundles/") or "",
            format=choice(environ, "BUNDLE_FORMAT", ("jsonl", "tar"), default="jsonl"),
            codec=choice(environ, "BUNDLE_CODEC", ("auto", "zlib", "isal"), default="auto"),
            max_bundle_bytes=integer(
                environ, "MAX_BUNDLE_BYTES", default=100 * _MIB, minimum=1, maximum=5 << 40
            ),
            max_bundle_sources=integer(
                environ, "MAX_BUNDLE_SOURCES", default=100, minimum=1, maximum=250
            ),
            part_size=integer(
                environ, "PART_SIZE_BYTES", default=8 * _MIB, minimum=8 * _MIB, maximum=5 << 30
            ),
            kms_key_id=optional(environ, "BUNDLE_KMS_KEY_ID"),
        )

    def bundler(self) -> Bundler:
        """Build the bundler these settings describe: S3 source and sink, DynamoDB claims.

        No AWS call is made here; clients are created on first use.
        """
        from feedback_core.bundle.core import codec_named
        from feedback_core.bundle.s3 import S3BundleSink, S3ObjectSource
        from feedback_core.bundle.service import Bundler
        from feedback_core.dedup.dynamodb import DynamoDBDedupStore

        return Bundler(
            source=S3ObjectSource(),
            sink=S3BundleSink(
                bucket=self.distribution_bucket,
                part_size=self.part_size,
                encryption="aws:kms" if self.kms_key_id else "AES256",
                kms_key_id=self.kms_key_id,
            ),
            claims=DynamoDBDedupStore(table_name=self.claims_table),
            fmt=self.format,
            codec=codec_named(self.codec),
            prefix=self.prefix,
            max_bytes=self.max_bundle_bytes,
            max_sources=self.max_bundle_sources,
        )
