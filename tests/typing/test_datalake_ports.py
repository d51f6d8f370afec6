"""The lake adapters fit the lake port (checked by mypy, run as a test too)."""

from __future__ import annotations

from feedback_core.datalake import InMemoryLakeStore, LakeStore, S3LakeStore


def test_the_adapters_fit_the_lake_port() -> None:
    """Both stores are LakeStores; mypy fails this file the day one drifts."""
    stores: list[LakeStore] = [InMemoryLakeStore(), S3LakeStore(bucket="lake")]
    assert 2 == len(stores)
