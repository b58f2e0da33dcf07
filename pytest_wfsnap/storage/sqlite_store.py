"""SQLite snapshot store: one database file, safe with many processes writing at once.

The database runs in WAL mode (readers never block the writer) with a busy timeout; every
change is one ``BEGIN IMMEDIATE`` transaction, so sequence numbers are claimed atomically and
a snapshot is either fully stored or not at all. Each process (and each fork) uses its own
connection; within a process the connection is shared by threads under a lock.
"""

from __future__ import annotations

import builtins
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pytest_wfsnap.errors import SnapshotNotFoundError, StorageError, describe
from pytest_wfsnap.storage.atomic import StrPath
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

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS wfsnap_executions (
    execution_id TEXT PRIMARY KEY,
    next_seq INTEGER NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS wfsnap_snapshots (
    execution_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    label TEXT NOT NULL,
    node_count INTEGER NOT NULL,
    completed_count INTEGER NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL,
    status TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (execution_id, seq)
);
"""

_META_COLUMNS = (
    "seq, created_at, label, node_count, completed_count, size, format, status, workflow_id"
)


class SQLiteStore(StoreBase):
    """Snapshots as rows of an SQLite database at ``path``."""

    def __init__(
        self,
        path: StrPath,
        *,
        max_snapshot_size: int | None = DEFAULT_MAX_SNAPSHOT_SIZE,
        clock: Clock = utc_now,
        busy_timeout: float = 30.0,
        durable: bool = True,
    ) -> None:
        self.path = Path(path)
        self.max_snapshot_size = validate_max_size(max_snapshot_size)
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._durable = durable
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._closed = False
        with self._lock:
            self._connection()

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    # --- connection and transactions -------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StorageError(f"this SQLiteStore ({self.path}) is closed")
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        # First use, or first use in a forked child: never share a connection across processes.
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open snapshot database {self.path}: {exc}") from exc
        try:
            self._configure(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise StorageError(f"cannot open snapshot database {self.path}: {exc}") from exc
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
        deadline = time.monotonic() + self._busy_timeout
        while True:  # switching to WAL can report "locked" without waiting on the busy handler
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        conn.execute(f"PRAGMA synchronous = {'FULL' if self._durable else 'NORMAL'}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise sqlite3.DatabaseError(
                    f"schema version {version} is not one this release reads ({SCHEMA_VERSION})"
                )
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StorageError(f"snapshot database {self.path}: {describe(exc)}") from exc

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _meta(row: tuple[Any, ...], source: str) -> SnapshotMeta:
        return SnapshotMeta.from_dict(
            {
                "created_at": row[1],
                "label": row[2],
                "node_count": row[3],
                "completed_count": row[4],
                "size": row[5],
                "format": row[6],
                "status": row[7],
                "workflow_id": row[8],
            },
            source=source,
        )

    def _find(
        self, conn: sqlite3.Connection, execution_id: str, seq: int | None
    ) -> tuple[SnapshotRef, bytes]:
        query = f"SELECT {_META_COLUMNS}, data FROM wfsnap_snapshots WHERE execution_id = ?"
        if seq is None:
            row = conn.execute(query + " ORDER BY seq DESC LIMIT 1", (execution_id,)).fetchone()
        else:
            row = conn.execute(query + " AND seq = ?", (execution_id, seq)).fetchone()
        if row is None:
            raise SnapshotNotFoundError(not_found_message(execution_id, seq))
        source = f"{self.path} ({execution_id} #{row[0]})"
        return SnapshotRef(execution_id, row[0], self._meta(row, source)), bytes(row[9])

    def _append(
        self, conn: sqlite3.Connection, execution_id: str, data: bytes, meta: SnapshotMeta
    ) -> SnapshotRef:
        row = conn.execute(
            "SELECT next_seq FROM wfsnap_executions WHERE execution_id = ?", (execution_id,)
        ).fetchone()
        seq = 1 if row is None else int(row[0])
        conn.execute(
            "INSERT INTO wfsnap_executions (execution_id, next_seq, status) VALUES (?, ?, ?) "
            "ON CONFLICT (execution_id) DO UPDATE SET next_seq = excluded.next_seq, "
            "status = excluded.status",
            (execution_id, seq + 1, meta.status),
        )
        conn.execute(
            f"INSERT INTO wfsnap_snapshots ({_META_COLUMNS}, execution_id, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                meta.created_at.isoformat(),
                meta.label,
                meta.node_count,
                meta.completed_count,
                meta.size,
                meta.format,
                meta.status,
                meta.workflow_id,
                execution_id,
                sqlite3.Binary(data),
            ),
        )
        return SnapshotRef(execution_id, seq, meta)

    @staticmethod
    def _count(conn: sqlite3.Connection, execution_id: str) -> int:
        row = conn.execute(
            "SELECT COUNT(*) FROM wfsnap_snapshots WHERE execution_id = ?", (execution_id,)
        ).fetchone()
        return int(row[0])

    # --- the store contract ----------------------------------------------------------------

    def put(self, execution_id: str, data: bytes, meta: SnapshotMeta) -> SnapshotRef:
        execution_id, payload, meta = prepare_put(execution_id, data, meta, self.max_snapshot_size)
        with self._transaction(write=True) as conn:
            return self._append(conn, execution_id, payload, meta)

    def list(self, execution_id: str) -> builtins.list[SnapshotRef]:
        validate_execution_id(execution_id)
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                f"SELECT {_META_COLUMNS} FROM wfsnap_snapshots WHERE execution_id = ? ORDER BY seq",
                (execution_id,),
            ).fetchall()
        return [
            SnapshotRef(execution_id, row[0], self._meta(row, f"{self.path} ({execution_id})"))
            for row in rows
        ]

    def executions(self) -> builtins.list[str]:
        with self._transaction(write=False) as conn:
            rows = conn.execute(
                "SELECT DISTINCT execution_id FROM wfsnap_snapshots ORDER BY execution_id"
            ).fetchall()
        return sorted(str(row[0]) for row in rows)

    def load(self, execution_id: str, seq: int | None = None) -> tuple[SnapshotRef, bytes]:
        validate_ref(execution_id, seq, latest_ok=True)
        with self._transaction(write=False) as conn:
            return self._find(conn, execution_id, seq)

    def latest(self, execution_id: str) -> SnapshotRef | None:
        validate_execution_id(execution_id)
        with self._transaction(write=False) as conn:
            row = conn.execute(
                f"SELECT {_META_COLUMNS} FROM wfsnap_snapshots WHERE execution_id = ? "
                "ORDER BY seq DESC LIMIT 1",
                (execution_id,),
            ).fetchone()
        if row is None:
            return None
        return SnapshotRef(execution_id, row[0], self._meta(row, f"{self.path} ({execution_id})"))

    def delete(self, execution_id: str, seq: int) -> None:
        validate_ref(execution_id, seq)
        with self._transaction(write=True) as conn:
            deleted = conn.execute(
                "DELETE FROM wfsnap_snapshots WHERE execution_id = ? AND seq = ?",
                (execution_id, seq),
            ).rowcount
            if deleted == 0:
                raise SnapshotNotFoundError(not_found_message(execution_id, seq))

    def rollback(self, execution_id: str, seq: int) -> SnapshotRef:
        validate_ref(execution_id, seq)
        with self._transaction(write=True) as conn:
            source, data = self._find(conn, execution_id, seq)
            meta = rollback_meta(source.meta, seq, self._clock())
            return self._append(conn, execution_id, data, meta)

    def status(self, execution_id: str) -> ExecutionStatus | None:
        validate_execution_id(execution_id)
        with self._transaction(write=False) as conn:
            if self._count(conn, execution_id) == 0:
                return None
            row = conn.execute(
                "SELECT status FROM wfsnap_executions WHERE execution_id = ?", (execution_id,)
            ).fetchone()
        if row is None:
            raise StorageError(f"snapshot database {self.path}: no status for {execution_id!r}")
        return validate_status(row[0])

    def set_status(self, execution_id: str, status: ExecutionStatus) -> None:
        validate_execution_id(execution_id)
        validate_status(status)
        with self._transaction(write=True) as conn:
            if self._count(conn, execution_id) == 0:
                raise SnapshotNotFoundError(not_found_message(execution_id, None))
            conn.execute(
                "UPDATE wfsnap_executions SET status = ? WHERE execution_id = ?",
                (status, execution_id),
            )

    def delete_execution(self, execution_id: str) -> int:
        validate_execution_id(execution_id)
        with self._transaction(write=True) as conn:
            removed = conn.execute(
                "DELETE FROM wfsnap_snapshots WHERE execution_id = ?", (execution_id,)
            ).rowcount
            conn.execute("DELETE FROM wfsnap_executions WHERE execution_id = ?", (execution_id,))
        return int(removed)

    def compact(self) -> int:
        """Transactions leave nothing behind; this only folds the WAL back into the database."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                raise StorageError(f"snapshot database {self.path}: {describe(exc)}") from exc
        return 0

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None
            self._closed = True
