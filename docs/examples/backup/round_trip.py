"""Back up a table to S3, verify the export, and restore it into a new table."""

from __future__ import annotations

import logging

from feedback_core.backup import (
    DynamoDBTable,
    ExportOptions,
    S3ObjectStore,
    create_table_like,
    export_table,
    restore_export,
    verify_export,
)


def back_up_and_restore(table: str, bucket: str, restored: str) -> tuple[int, bool, int]:
    """Export ``table`` into ``bucket``, verify it, restore it as ``restored``."""
    store = S3ObjectStore(bucket)
    result = export_table(
        DynamoDBTable(table),
        store,
        ExportOptions(
            prefix=f"backups/{table}",
            workers=4,  # segments scanned at once; memory grows with this, not the table
            group_attribute="surveyId",  # the manifest counts items per survey
            time_attribute="submittedAt",  # ...and records the data's time range
        ),
    )
    report = verify_export(store, result.folder)
    for problem in report.problems:  # each names its part and what is wrong with it
        logging.error("backup problem: %s", problem)  # e.g. "checksum <key>: MD5 differs"

    assert result.summary is not None
    assert result.summary.table is not None  # our exports record the key schema and indexes
    target = create_table_like(result.summary.table, restored)
    outcome = restore_export(store, result.folder, target)  # verifies first, then 25 per call
    return result.item_count, report.ok, outcome.items_written
