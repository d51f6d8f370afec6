"""The scheduled backup job: export, verify, prune, notify; carry on when cut short.

One run of :meth:`BackupJob.run` exports the table (or starts and waits for a native export),
verifies the result, prunes old exports and publishes a success message with the count, size,
location and duration. When fewer than ``stop_margin_seconds`` are left, it stops at the next
part boundary and schedules a continuation (the Lambda invokes itself), which resumes the same
export from its progress records. Any failure publishes a message saying what failed and where
to look, then raises, so the function's ``Errors`` metric (and its alarm) sees it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Literal

import attrs

from feedback_core.backup.export import ExportOptions, export_table
from feedback_core.backup.retention import prune_exports
from feedback_core.backup.verify import verify_export
from feedback_core.errors import BackupError, VerificationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from feedback_core.backup.config import BackupConfig
    from feedback_core.backup.ports import Continuation, Notifier, ObjectStore, TableSource

__all__ = ["BackupJob", "JobReport"]


@attrs.frozen(kw_only=True)
class JobReport:
    """What one run of the job did.

    Attributes:
        status: ``complete``, or ``continued`` (cut short; a continuation was scheduled).
        table: The table backed up.
        export_id: The export's id.
        location: ``s3://bucket/folder`` of the export.
        items: Items exported so far.
        size_bytes: Compressed bytes written so far.
        parts: Parts written so far.
        seconds: This run's duration.
        pruned: Exports deleted by retention.
    """

    status: Literal["complete", "continued"]
    table: str
    export_id: str
    location: str
    items: int
    size_bytes: int
    parts: int
    seconds: float
    pruned: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """Return the report as the handler's JSON answer."""
        return attrs.asdict(self)

    def message(self) -> str:
        """The success message's text."""
        return (
            f"Backup of {self.table} complete: {self.items} items, {self.size_bytes} bytes "
            f"in {self.parts} part(s), at {self.location} (this run: {self.seconds:.1f} s)."
            + (f" Pruned: {', '.join(self.pruned)}." if self.pruned else "")
        )


class BackupJob:
    """The weekly job, built once per process from a :class:`BackupConfig`.

    Args:
        config: The settings.
        source: The table.
        store: The bucket.
        notifier: Where success and failure go (``None``: nowhere).
        continuation: How a cut-short run carries on (``None``: the next scheduled run
            resumes it).
        clock: Monotonic seconds, for the duration.
        sleep: Waits between polls of a native export.
    """

    def __init__(
        self,
        *,
        config: BackupConfig,
        source: TableSource,
        store: ObjectStore,
        notifier: Notifier | None = None,
        continuation: Continuation | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Keep the parts; no AWS call is made yet."""
        self.config = config
        self.source = source
        self.store = store
        self.notifier = notifier
        self.continuation = continuation
        self.clock = clock
        self.sleep = sleep
        self._dynamodb: Any = None

    @classmethod
    def from_config(cls, config: BackupConfig) -> BackupJob:
        """Build the job on AWS: DynamoDB, S3, SNS (if a topic is set) and Lambda."""
        from feedback_core.backup.dynamodb import DynamoDBTable
        from feedback_core.backup.notify import LambdaContinuation, SNSNotifier
        from feedback_core.backup.s3 import S3ObjectStore

        return cls(
            config=config,
            source=DynamoDBTable(config.table),
            store=S3ObjectStore(config.bucket),
            notifier=SNSNotifier(config.topic_arn) if config.topic_arn else None,
            continuation=LambdaContinuation(config.function_name) if config.function_name else None,
        )

    def run(
        self, event: Mapping[str, object], *, remaining_ms: Callable[[], int]
    ) -> dict[str, object]:
        """Run (or continue) the backup; return the :class:`JobReport` as JSON.

        Args:
            event: The schedule's event, or a continuation's payload (``{"continue": id}``).
            remaining_ms: Milliseconds left in this invocation (the Lambda context's).

        Raises:
            FeedbackCoreError: whatever failed, after publishing the failure message.
        """
        started = self.clock()
        try:
            report = self._run(event, remaining_ms=remaining_ms, started=started)
        except Exception as error:
            self._publish(
                f"Backup of {self.config.table} FAILED",
                f"The backup of {self.config.table} into s3://{self.config.bucket}/"
                f"{self.config.prefix}/ failed: {type(error).__name__}: {error}. "
                "Look in the backup function's CloudWatch log group for the traceback; rerun "
                "the function (or wait for the schedule) and the export resumes where it stopped.",
            )
            raise
        if report.status == "complete":
            self._publish(f"Backup of {self.config.table} complete", report.message())
        return report.to_json()

    def _publish(self, subject: str, message: str) -> None:
        if self.notifier is not None:
            self.notifier.publish(subject, message)

    def _run(
        self, event: Mapping[str, object], *, remaining_ms: Callable[[], int], started: float
    ) -> JobReport:
        config = self.config
        if config.mode == "native":
            return self._native(event, remaining_ms=remaining_ms, started=started)
        margin_ms = config.stop_margin_seconds * 1000
        result = export_table(
            self.source,
            self.store,
            ExportOptions(
                prefix=config.prefix,
                workers=config.workers,
                part_bytes=config.part_mib * 1024 * 1024,
                group_attribute=config.group_attribute,
                time_attribute=config.time_attribute,
            ),
            should_stop=lambda: remaining_ms() < margin_ms,
        )
        report = JobReport(
            status="complete" if result.complete else "continued",
            table=config.table,
            export_id=result.export_id,
            location=f"s3://{self.store.bucket}/{result.folder}",
            items=result.item_count,
            size_bytes=result.size_bytes,
            parts=result.part_count,
            seconds=self.clock() - started,
        )
        if not result.complete:
            if self.continuation is not None:
                self.continuation.schedule({"continue": result.export_id})
            return report
        return self._finish(report, result.folder, started)

    def _finish(self, report: JobReport, folder: str, started: float) -> JobReport:
        config = self.config
        if config.verify:
            verified = verify_export(self.store, folder, workers=config.workers)
            if not verified.ok:
                raise VerificationError(
                    f"{folder} failed verification: "
                    + "; ".join(str(p) for p in verified.problems[:5])
                )
        pruned: tuple[str, ...] = ()
        if config.keep_last is not None or config.max_age_days is not None:
            pruned = prune_exports(
                self.store,
                config.prefix,
                keep_last=config.keep_last,
                max_age_days=config.max_age_days,
            ).pruned
        return attrs.evolve(report, pruned=pruned, seconds=self.clock() - started)

    def _native(
        self, event: Mapping[str, object], *, remaining_ms: Callable[[], int], started: float
    ) -> JobReport:
        from feedback_core import aws
        from feedback_core.backup import dynamodb

        if self._dynamodb is None:  # one client for every call of this process
            self._dynamodb = aws.client("dynamodb")
        client = self._dynamodb
        config = self.config
        margin_ms = config.stop_margin_seconds * 1000
        arn = str(event.get("nativeExportArn") or "")
        if not arn:
            table_arn = self.source.describe().arn
            arn = dynamodb.start_native_export(
                table_arn, config.bucket, config.prefix, client=client
            ).arn
        export = dynamodb.describe_native_export(arn, client=client)
        while export.status == "IN_PROGRESS" and remaining_ms() >= margin_ms:
            self.sleep(min(30.0, max(0.0, (remaining_ms() - margin_ms) / 1000)))
            export = dynamodb.describe_native_export(arn, client=client)
        if export.status == "FAILED":
            raise BackupError(f"native export {arn} failed: {export.failure}")
        if export.status != "COMPLETED":
            if self.continuation is not None:
                self.continuation.schedule({"nativeExportArn": arn})
            return JobReport(
                status="continued",
                table=config.table,
                export_id=arn,
                location="",
                items=0,
                size_bytes=0,
                parts=0,
                seconds=self.clock() - started,
            )
        if not export.folder:
            raise BackupError(f"native export {arn} completed without a manifest to verify")
        report = JobReport(
            status="complete",
            table=config.table,
            export_id=export.arn.rsplit("/", 1)[-1],
            location=f"s3://{config.bucket}/{export.folder}",
            items=export.item_count,
            size_bytes=0,
            parts=0,
            seconds=self.clock() - started,
        )
        return self._finish(report, export.folder, started)
