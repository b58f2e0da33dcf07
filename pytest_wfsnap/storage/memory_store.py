"""In-memory snapshot store: the reference implementation of the store contract.

Thread-safe within one process; nothing survives the process. Useful in tests and for
short-lived runs that only need in-process rollback.
"""

from __future__ import annotations

import builtins
import threading
from dataclasses import dataclass, field

from pytest_wfsnap.errors import SnapshotNotFoundError, StorageError
from pytest_wfsnap.storage.stores import (
    DEFAULT_MAX_SNAPSHOT_SIZE,
    Clock,
    ExecutionStatus,
    SnapshotMeta,
    SnapshotRef,
    StoreBase,
    not_found_message,
    prepare_put,
    rollback_meta,
    utc_now,
    validate_execution_id,
    validate_max_size,
    validate_ref,
    validate_status,
)


@dataclass(slots=True)
class _Execution:
    next_seq: int = 1
    status: ExecutionStatus = "running"
    snapshots: dict[int, tuple[SnapshotRef, bytes]] = field(default_factory=dict)


class MemoryStore(StoreBase):
    """Snapshots kept in a dict, guarded by a lock."""

    def __init__(
        self,
        *,
        max_snapshot_size: int | None = DEFAULT_MAX_SNAPSHOT_SIZE,
        clock: Clock = utc_now,
    ) -> None:
        self.max_snapshot_size = validate_max_size(max_snapshot_size)
        self._clock = clock
        self._lock = threading.Lock()
        self._executions: dict[str, _Execution] = {}
        self._closed = False

    def __repr__(self) -> str:
        return f"MemoryStore(executions={len(self._executions)})"

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("this MemoryStore is closed")

    def _append(self, execution_id: str, data: bytes, meta: SnapshotMeta) -> SnapshotRef:
        execution = self._executions.setdefault(execution_id, _Execution())
        ref = SnapshotRef(execution_id, execution.next_seq, meta)
        execution.snapshots[ref.seq] = (ref, data)
        execution.next_seq += 1
        execution.status = meta.status
        return ref

    def _find(self, execution_id: str, seq: int | None) -> tuple[SnapshotRef, bytes]:
        execution = self._executions.get(execution_id)
        if execution is not None and execution.snapshots:
            key = max(execution.snapshots) if seq is None else seq
            found = execution.snapshots.get(key)
            if found is not None:
                return found
        raise SnapshotNotFoundError(not_found_message(execution_id, seq))

    def put(self, execution_id: str, data: bytes, meta: SnapshotMeta) -> SnapshotRef:
        execution_id, payload, meta = prepare_put(execution_id, data, meta, self.max_snapshot_size)
        with self._lock:
            self._check_open()
            return self._append(execution_id, payload, meta)

    def list(self, execution_id: str) -> builtins.list[SnapshotRef]:
        validate_execution_id(execution_id)
        with self._lock:
            self._check_open()
            execution = self._executions.get(execution_id)
            if execution is None:
                return []
            return [execution.snapshots[seq][0] for seq in sorted(execution.snapshots)]

    def executions(self) -> builtins.list[str]:
        with self._lock:
            self._check_open()
            return sorted(eid for eid, ex in self._executions.items() if ex.snapshots)

    def load(self, execution_id: str, seq: int | None = None) -> tuple[SnapshotRef, bytes]:
        validate_ref(execution_id, seq, latest_ok=True)
        with self._lock:
            self._check_open()
            return self._find(execution_id, seq)

    def latest(self, execution_id: str) -> SnapshotRef | None:
        validate_execution_id(execution_id)
        with self._lock:
            self._check_open()
            try:
                return self._find(execution_id, None)[0]
            except SnapshotNotFoundError:
                return None

    def delete(self, execution_id: str, seq: int) -> None:
        validate_ref(execution_id, seq)
        with self._lock:
            self._check_open()
            self._find(execution_id, seq)
            del self._executions[execution_id].snapshots[seq]

    def rollback(self, execution_id: str, seq: int) -> SnapshotRef:
        validate_ref(execution_id, seq)
        with self._lock:
            self._check_open()
            source, data = self._find(execution_id, seq)
            return self._append(execution_id, data, rollback_meta(source.meta, seq, self._clock()))

    def status(self, execution_id: str) -> ExecutionStatus | None:
        validate_execution_id(execution_id)
        with self._lock:
            self._check_open()
            execution = self._executions.get(execution_id)
            if execution is None or not execution.snapshots:
                return None
            return execution.status

    def set_status(self, execution_id: str, status: ExecutionStatus) -> None:
        validate_execution_id(execution_id)
        validate_status(status)
        with self._lock:
            self._check_open()
            execution = self._executions.get(execution_id)
            if execution is None or not execution.snapshots:
                raise SnapshotNotFoundError(not_found_message(execution_id, None))
            execution.status = status

    def delete_execution(self, execution_id: str) -> int:
        validate_execution_id(execution_id)
        with self._lock:
            self._check_open()
            execution = self._executions.pop(execution_id, None)
            return 0 if execution is None else len(execution.snapshots)

    def compact(self) -> int:
        with self._lock:
            self._check_open()
            return 0  # writes are all-or-nothing under the lock: nothing can be left over

    def close(self) -> None:
        with self._lock:
            self._closed = True
