"""Snapshot storage: atomic files, snapshot stores with history and rollback, automatic
checkpoints and garbage collection.

Stores keep encoded snapshot bytes (from the snapshot format) plus a small
:class:`SnapshotMeta` record; they never decode them.
"""

from pytest_wfsnap.storage.atomic import (
    atomic_write_bytes,
    atomic_write_text,
    read_bytes_limited,
)
from pytest_wfsnap.storage.checkpoint import Checkpointer, CheckpointPolicy, MakeSnapshot
from pytest_wfsnap.storage.fs_store import FileSystemStore
from pytest_wfsnap.storage.gc import GcReport, collect_garbage
from pytest_wfsnap.storage.memory_store import MemoryStore
from pytest_wfsnap.storage.sqlite_store import SQLiteStore
from pytest_wfsnap.storage.stores import (
    DEFAULT_MAX_SNAPSHOT_SIZE,
    LIVE_STATUSES,
    ExecutionStatus,
    SnapshotMeta,
    SnapshotRef,
    SnapshotStore,
    validate_execution_id,
)

__all__ = [
    "DEFAULT_MAX_SNAPSHOT_SIZE",
    "LIVE_STATUSES",
    "CheckpointPolicy",
    "Checkpointer",
    "ExecutionStatus",
    "FileSystemStore",
    "GcReport",
    "MakeSnapshot",
    "MemoryStore",
    "SQLiteStore",
    "SnapshotMeta",
    "SnapshotRef",
    "SnapshotStore",
    "atomic_write_bytes",
    "atomic_write_text",
    "collect_garbage",
    "read_bytes_limited",
    "validate_execution_id",
]
