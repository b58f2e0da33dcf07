"""Helpers for the storage tests: store factories, metadata, self-checking blobs, clocks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pytest_wfsnap.storage import (
    FileSystemStore,
    MemoryStore,
    SnapshotMeta,
    SnapshotStore,
    SQLiteStore,
)
from pytest_wfsnap.storage.stores import ExecutionStatus

T0 = datetime(2025, 11, 1, 17, 0, tzinfo=UTC)

STORE_KINDS = ["memory", "fs", "sqlite"]
PERSISTENT_KINDS = ["fs", "sqlite"]


def make_meta(
    label: str = "auto",
    *,
    at: datetime = T0,
    status: ExecutionStatus = "running",
    **fields: Any,
) -> SnapshotMeta:
    return SnapshotMeta(created_at=at, label=label, status=status, **fields)


def make_blob(writer: int, index: int, size: int | None = None) -> bytes:
    """Bytes that prove their own integrity: header, filler, sha256 of both."""
    length = size if size is not None else 64 + (writer * 7919 + index * 104729) % 4000
    header = f"{writer}:{index}:".encode()
    filler = hashlib.shake_256(header).digest(length)
    body = header + filler
    return body + hashlib.sha256(body).digest()


def check_blob(data: bytes) -> tuple[int, int]:
    """Return (writer, index) of an intact blob; AssertionError if torn or modified."""
    body, digest = data[:-32], data[-32:]
    assert hashlib.sha256(body).digest() == digest, f"corrupt blob of {len(data)} bytes"
    writer, index, _ = body.split(b":", 2)
    return int(writer), int(index)


class FakeClock:
    """An aware wall clock that only moves when told to."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class StoreFactory:
    """Builds stores of one kind; persistent kinds reopen the same location."""

    kind: str
    location: Path

    @property
    def persistent(self) -> bool:
        return self.kind != "memory"

    def make(self, **options: Any) -> SnapshotStore:
        return open_store(self.kind, self.location, **options)


def open_store(kind: str, location: Path, **options: Any) -> SnapshotStore:
    if kind == "memory":
        return MemoryStore(**options)
    if kind == "fs":
        return FileSystemStore(location / "snapshots", **options)
    if kind == "sqlite":
        return SQLiteStore(location / "snapshots.sqlite", **options)
    raise AssertionError(kind)
