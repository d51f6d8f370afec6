"""Stream S3 objects announced through SQS into gzip bundles, each source version in exactly one.

The pieces, by layer:

- core (pure): :func:`plan` (group sources under the limits), :func:`encode` (JSON lines or
  tar, then gzip, chunk by chunk), :class:`Manifest`, :func:`bundle_key`, :func:`codec_named`.
- ports: :class:`ObjectSource` reads a version in chunks; :class:`BundleSink` writes a bundle
  all or nothing. Claims go through :class:`feedback_core.dedup.DedupStore`.
- adapters: :class:`S3ObjectSource`, :class:`S3BundleSink` (``feedback_core.bundle.s3``, boto3
  loaded lazily) and :class:`InMemoryObjectSource`, :class:`InMemoryBundleSink`.
- :func:`parse_sqs_event` reads S3 notifications (direct, SNS-wrapped, EventBridge);
  :class:`Bundler` runs the claim protocol; :class:`BundlerConfig` reads the environment.

Importing this package does not import boto3.
"""

from feedback_core.bundle.config import BundlerConfig
from feedback_core.bundle.core import (
    CODECS,
    BundleFormat,
    Codec,
    Encoding,
    Manifest,
    SourceEntry,
    bundle_id,
    bundle_key,
    codec_named,
    encode,
    manifest_key,
    plan,
)
from feedback_core.bundle.events import (
    Malformed,
    Notification,
    Parsed,
    Skipped,
    parse_message,
    parse_sqs_event,
)
from feedback_core.bundle.memory import InMemoryBundleSink, InMemoryObjectSource, StoredBundle
from feedback_core.bundle.ports import (
    BundleSink,
    ObjectSource,
    SourceRef,
    SourceUnavailableError,
    StoredObject,
)
from feedback_core.bundle.s3 import S3BundleSink, S3ObjectSource
from feedback_core.bundle.service import BatchReport, Bundler, Completed

__all__ = [
    "CODECS",
    "BatchReport",
    "BundleFormat",
    "BundleSink",
    "Bundler",
    "BundlerConfig",
    "Codec",
    "Completed",
    "Encoding",
    "InMemoryBundleSink",
    "InMemoryObjectSource",
    "Malformed",
    "Manifest",
    "Notification",
    "ObjectSource",
    "Parsed",
    "S3BundleSink",
    "S3ObjectSource",
    "Skipped",
    "SourceEntry",
    "SourceRef",
    "SourceUnavailableError",
    "StoredBundle",
    "StoredObject",
    "bundle_id",
    "bundle_key",
    "codec_named",
    "encode",
    "manifest_key",
    "parse_message",
    "parse_sqs_event",
    "plan",
]
