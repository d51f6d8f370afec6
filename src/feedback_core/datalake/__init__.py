"""The feedback data lake: table streams into Hive-partitioned gzip JSON lines that Athena reads.

The pieces, by layer:

- schema (pure): :class:`LakeTable` (:data:`FEEDBACK`, :data:`VOTES`, :data:`SURVEY_RESPONSES`),
  the versioned lake layout derived from the ``ingest`` records; :data:`LAKE_SCHEMA_VERSION`.
- plan (pure): :func:`plan` groups a stream batch into one :class:`PartitionObject` per
  partition, keyed by the partition's first record; :func:`encode_rows` gzips JSON lines.
- ports: :class:`LakeStore`; adapters :class:`S3LakeStore` (``feedback_core.datalake.s3``,
  boto3 loaded lazily) and :class:`InMemoryLakeStore`.
- :class:`DataLakeWriter` writes batches exactly once; :class:`DataLakeConfig` reads the
  environment; :mod:`feedback_core.datalake.query` answers SQL over a local copy (DuckDB);
  :func:`purge_erased` rewrites partitions without the rows of erased items.

Importing this package does not import boto3 (nor DuckDB).
"""

from feedback_core.datalake.config import DataLakeConfig
from feedback_core.datalake.memory import InMemoryLakeStore
from feedback_core.datalake.plan import (
    CONTENT_TYPE,
    PartitionObject,
    encode_rows,
    json_lines,
    partition_prefix,
    plan,
    stream_label,
    write_rows,
)
from feedback_core.datalake.ports import LakeStore
from feedback_core.datalake.purge import PurgeResult, purge_erased
from feedback_core.datalake.s3 import S3LakeStore
from feedback_core.datalake.schema import (
    ENVELOPE,
    FEEDBACK,
    LAKE_SCHEMA_VERSION,
    SURVEY_RESPONSES,
    TABLES,
    VOTES,
    Column,
    ColumnType,
    LakeTable,
    TableName,
    lake_time,
)
from feedback_core.datalake.service import BatchWritten, DataLakeWriter

__all__ = [
    "CONTENT_TYPE",
    "ENVELOPE",
    "FEEDBACK",
    "LAKE_SCHEMA_VERSION",
    "SURVEY_RESPONSES",
    "TABLES",
    "VOTES",
    "BatchWritten",
    "Column",
    "ColumnType",
    "DataLakeConfig",
    "DataLakeWriter",
    "InMemoryLakeStore",
    "LakeStore",
    "LakeTable",
    "PartitionObject",
    "PurgeResult",
    "S3LakeStore",
    "TableName",
    "encode_rows",
    "json_lines",
    "lake_time",
    "partition_prefix",
    "plan",
    "purge_erased",
    "stream_label",
    "write_rows",
]
