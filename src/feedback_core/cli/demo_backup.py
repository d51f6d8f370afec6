"""The demo's backup step: back up every table of the stack, catch a corruption, restore.

Given a running :class:`~feedback_core.cli.local.LocalPlatform` (the feedback-api stack deployed,
its tables holding the demo's data), :func:`run_backup_demo` exports each table to a bucket,
verifies each export, copies one export and flips a byte in one of the copy's parts to show
``verify`` naming that part, and restores each export into a fresh table, checking it equals the
original item for item.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import attrs

from feedback_core.backup.dynamodb import DynamoDBTable, create_table_like
from feedback_core.backup.export import ExportOptions, export_table
from feedback_core.backup.format import (
    FILES_NAME,
    SUMMARY_NAME,
    manifest_files_bytes,
    summary_bytes,
)
from feedback_core.backup.restore import restore_export
from feedback_core.backup.s3 import S3ObjectStore
from feedback_core.backup.verify import read_manifest, verify_export

if TYPE_CHECKING:
    from feedback_core.backup.verify import Problem
    from feedback_core.cli.local import LocalPlatform

__all__ = ["BackupDemoSummary", "TableBackup", "run_backup_demo"]

DEMO_BUCKET = "feedback-core-demo-backups"


@attrs.frozen(kw_only=True)
class TableBackup:
    """One table's round trip: exported, verified, restored and compared."""

    table: str
    items: int
    parts: int
    verified: bool
    restored_into: str
    restored_equal: bool


@attrs.frozen(kw_only=True)
class BackupDemoSummary:
    """What the backup step did; ``ok`` when every check held."""

    tables: tuple[TableBackup, ...]
    corrupted_part: str
    caught: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Every export verified, every restore equal, and the corruption caught on its part."""
        caught_it = any(p.key == self.corrupted_part for p in self.caught)
        return (
            bool(self.tables)
            and caught_it
            and all(t.verified and t.restored_equal for t in self.tables)
        )

    def lines(self) -> list[str]:
        """The step's report, for the demo's output."""
        lines = ["Backups (export -> verify -> restore into a fresh table -> compare):"]
        lines += [
            f"  {t.table}: {t.items} items in {t.parts} parts, "
            f"verify {'OK' if t.verified else 'FAILED'}, restored into {t.restored_into}: "
            f"{'equal item for item' if t.restored_equal else 'DIFFERENT'}"
            for t in self.tables
        ]
        lines.append(f"  corrupted a copy of {self.corrupted_part}; verify said:")
        lines += [f"    {p}" for p in self.caught] or ["    nothing (NOT caught)"]
        lines.append(f"  backups: {'OK' if self.ok else 'FAILED'}")
        return lines


def _stack_tables(platform: LocalPlatform) -> list[str]:
    import boto3  # the [local] extra

    cloudformation = boto3.client("cloudformation")
    summaries = cloudformation.list_stack_resources(StackName=f"feedback-api-{platform.suffix}")
    return sorted(
        r["PhysicalResourceId"]
        for r in summaries["StackResourceSummaries"]
        if r["ResourceType"] == "AWS::DynamoDB::Table"
    )


def _all_items(table: DynamoDBTable) -> list[str]:
    pages = table.client.get_paginator("scan").paginate(TableName=table.name)
    return sorted(repr(sorted(item.items())) for page in pages for item in page["Items"])


def _corrupt_copy(store: S3ObjectStore, folder: str, rng: random.Random) -> tuple[str, str]:
    """Copy an export to ``<folder>-corrupted/``, flip one byte of one part; return both."""
    manifest = read_manifest(store, folder)
    copy = folder.rstrip("/") + "-corrupted/"
    parts = [attrs.evolve(p, key=copy + p.key[len(folder) :]) for p in manifest.parts]
    for original, copied in zip(manifest.parts, parts, strict=True):
        store.put(copied.key, b"".join(store.read(original.key)))
    store.put(copy + FILES_NAME, manifest_files_bytes(parts))
    summary = attrs.evolve(manifest.summary, manifest_files_key=copy + FILES_NAME)
    store.put(copy + SUMMARY_NAME, summary_bytes(summary))
    victim = rng.choice([p for p in parts if p.item_count])
    data = bytearray(b"".join(store.read(victim.key)))
    data[rng.randrange(10, len(data) - 8)] ^= 0x01  # inside the compressed body
    store.put(victim.key, bytes(data))
    return copy, victim.key


def run_backup_demo(platform: LocalPlatform, *, seed: int) -> BackupDemoSummary:
    """Back up every table of the platform's feedback-api stack; see the module docstring.

    Args:
        platform: An entered platform (moto running, the feedback-api stack deployed).
        seed: Chooses the part and the byte that are corrupted.
    """
    import boto3  # the [local] extra

    s3 = boto3.client("s3")
    if DEMO_BUCKET not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        s3.create_bucket(Bucket=DEMO_BUCKET)
    store = S3ObjectStore(DEMO_BUCKET)
    rng = random.Random(seed)  # noqa: S311  # picks a byte to flip, not cryptography
    backups: list[TableBackup] = []
    folders: dict[str, tuple[str, int]] = {}
    for name in _stack_tables(platform):
        source = DynamoDBTable(name)
        result = export_table(source, store, ExportOptions(prefix=f"demo/{name}", workers=2))
        folders[name] = (result.folder, result.item_count)
        verified = verify_export(store, result.folder).ok
        description: Any = result.summary.table if result.summary else None
        restored = create_table_like(description, f"{name}-restored")
        restore_export(store, result.folder, restored, verify=False)
        backups.append(
            TableBackup(
                table=name,
                items=result.item_count,
                parts=result.part_count,
                verified=verified,
                restored_into=restored.name,
                restored_equal=_all_items(source) == _all_items(restored),
            )
        )
    fullest = max(folders, key=lambda n: folders[n][1])
    copy, victim = _corrupt_copy(store, folders[fullest][0], rng)
    return BackupDemoSummary(
        tables=tuple(backups),
        corrupted_part=victim,
        caught=verify_export(store, copy).problems,
    )
