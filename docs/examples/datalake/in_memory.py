"""Write a stream batch to the lake in memory, twice, and query it with DuckDB."""

from __future__ import annotations

import tempfile
from pathlib import Path

from feedback_core.datalake import FEEDBACK, DataLakeWriter, InMemoryLakeStore
from feedback_core.datalake.query import LocalLake, download


def change(name: str, n: int, created: str, rating: int, sequence: int) -> dict[str, object]:
    """One Lambda stream record of the feedback table (trimmed to what the writer reads)."""
    image = {
        "feedbackId": {"S": f"f{n}"},
        "createdAt": {"S": created},
        "rating": {"N": str(rating)},
        "message": {"S": "Lovely"},
    }
    data = {"Keys": {"feedbackId": {"S": f"f{n}"}}, "SequenceNumber": str(sequence)}
    data["OldImage" if name == "REMOVE" else "NewImage"] = image
    return {"eventID": f"e{sequence}", "eventName": name, "dynamodb": data}


event = {
    "Records": [
        change("INSERT", 1, "2026-11-21T09:00:00Z", 5, 100),
        change("INSERT", 2, "2026-11-22T10:00:00Z", 2, 101),
        change("INSERT", 3, "2026-11-22T11:00:00Z", 4, 102),
        change("REMOVE", 2, "2026-11-22T10:00:00Z", 2, 103),  # an erasure: a tombstone
    ]
}
store = InMemoryLakeStore()
writer = DataLakeWriter(table=FEEDBACK, store=store)
print(writer.handle(event))  # noqa: T201  # the example shows its output  -> {'batchItemFailures': []}
writer.handle(event)  # Lambda delivers at least once: the same keys are overwritten
for key in store.object_keys():
    print(key)  # noqa: T201  # one object per day of the batch, named by its first record
# table=feedback/year=2026/month=11/day=21/part-stream-000...000100.jsonl.gz (40 digits)
# table=feedback/year=2026/month=11/day=22/part-stream-000...000101.jsonl.gz

with tempfile.TemporaryDirectory() as root:
    download(store, Path(root))
    lake = LocalLake(Path(root))
    print(lake.query("SELECT op, count(*) FROM feedback GROUP BY op ORDER BY op").rows)  # noqa: T201  # every change once
    # (('INSERT', 3), ('REMOVE', 1))
    print(lake.query("SELECT feedback_id, rating FROM feedback_current ORDER BY 1").rows)  # noqa: T201  # as it is now
    # (('f1', 5), ('f3', 4))
    lake.close()
