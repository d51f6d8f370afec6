"""Back up DynamoDB tables to S3 in DynamoDB's own export format; verify, restore, prune.

Importing this package is nearly free: the names below load their module on first access
(PEP 562), and boto3 only when an AWS adapter makes its first call.

Examples:
    >>> from feedback_core.backup import (
    ...     ExportOptions, InMemoryObjectStore, InMemoryTable, export_table, verify_export)
    >>> from feedback_core.backup.model import AttributeDefinition, KeyElement, TableDescription
    >>> table = InMemoryTable(TableDescription(
    ...     name="votes", key_schema=(KeyElement(name="id", key_type="HASH"),),
    ...     attribute_definitions=(AttributeDefinition(name="id", attribute_type="S"),)))
    >>> table.put({"id": {"S": "v1"}, "choice": {"S": "tabs"}})
    >>> store = InMemoryObjectStore()
    >>> result = export_table(table, store, ExportOptions(prefix="backups/votes"))
    >>> verify_export(store, result.folder).ok
    True
"""

from __future__ import annotations

from feedback_core._lazy import lazy_exports

# Not "from typing import TYPE_CHECKING": type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from feedback_core.backup.config import BackupConfig
    from feedback_core.backup.dynamodb import (
        DynamoDBTable,
        NativeExport,
        create_table_like,
        import_table,
        start_native_export,
        wait_for_native_export,
    )
    from feedback_core.backup.export import ExportOptions, ExportResult, Progress, export_table
    from feedback_core.backup.format import ExportSummary, PartEntry
    from feedback_core.backup.job import BackupJob, JobReport
    from feedback_core.backup.memory import (
        InMemoryContinuation,
        InMemoryNotifier,
        InMemoryObjectStore,
        InMemoryTable,
    )
    from feedback_core.backup.model import ObjectInfo, ScanPage, TableDescription
    from feedback_core.backup.notify import LambdaContinuation, SNSNotifier
    from feedback_core.backup.ports import (
        Continuation,
        Notifier,
        ObjectStore,
        ObjectWriter,
        TableSink,
        TableSource,
    )
    from feedback_core.backup.restore import RestoreResult, restore_export
    from feedback_core.backup.retention import (
        ExportListing,
        PruneResult,
        list_exports,
        prune_exports,
    )
    from feedback_core.backup.s3 import S3ObjectStore
    from feedback_core.backup.verify import (
        Manifest,
        Problem,
        VerifyReport,
        read_manifest,
        verify_export,
    )

__all__ = [
    "BackupConfig",
    "BackupJob",
    "Continuation",
    "DynamoDBTable",
    "ExportListing",
    "ExportOptions",
    "ExportResult",
    "ExportSummary",
    "InMemoryContinuation",
    "InMemoryNotifier",
    "InMemoryObjectStore",
    "InMemoryTable",
    "JobReport",
    "LambdaContinuation",
    "Manifest",
    "NativeExport",
    "Notifier",
    "ObjectInfo",
    "ObjectStore",
    "ObjectWriter",
    "PartEntry",
    "Problem",
    "Progress",
    "PruneResult",
    "RestoreResult",
    "S3ObjectStore",
    "SNSNotifier",
    "ScanPage",
    "TableDescription",
    "TableSink",
    "TableSource",
    "VerifyReport",
    "create_table_like",
    "export_table",
    "import_table",
    "list_exports",
    "prune_exports",
    "read_manifest",
    "restore_export",
    "start_native_export",
    "verify_export",
    "wait_for_native_export",
]

_HOMES = {
    "config": ("BackupConfig",),
    "dynamodb": (
        "DynamoDBTable",
        "NativeExport",
        "create_table_like",
        "import_table",
        "start_native_export",
        "wait_for_native_export",
    ),
    "export": ("ExportOptions", "ExportResult", "Progress", "export_table"),
    "format": ("ExportSummary", "PartEntry"),
    "job": ("BackupJob", "JobReport"),
    "memory": ("InMemoryContinuation", "InMemoryNotifier", "InMemoryObjectStore", "InMemoryTable"),
    "model": ("ObjectInfo", "ScanPage", "TableDescription"),
    "notify": ("LambdaContinuation", "SNSNotifier"),
    "ports": (
        "Continuation",
        "Notifier",
        "ObjectStore",
        "ObjectWriter",
        "TableSink",
        "TableSource",
    ),
    "restore": ("RestoreResult", "restore_export"),
    "retention": ("ExportListing", "PruneResult", "list_exports", "prune_exports"),
    "s3": ("S3ObjectStore",),
    "verify": ("Manifest", "Problem", "VerifyReport", "read_manifest", "verify_export"),
}
__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals())
