"""File-system snapshot store (the default), safe with many processes writing at once.

Layout::

    <root>/<execution id>/.lock                    lock file (flock)
    <root>/<execution id>/index.json               next sequence number, status, metadata
    <root>/<execution id>/00000001-auto.snap       the encoded snapshot bytes, as given
    <root>/<execution id>/00000002-after_fetch.snap

Every change to an execution happens under an exclusive ``flock`` on its ``.lock`` file, so
sequence numbers are claimed atomically across processes. Files are written atomically (temp
file, fsync, rename): a snapshot file is complete before the index names it, and the index is
replaced in one step, so readers need no lock and never see a torn file or an index entry
whose file is not yet written. A writer killed between the two steps leaves an unnamed
snapshot file (or a ``.tmp`` file) that :meth:`FileSystemStore.compact` removes.

Needs POSIX ``flock`` (Linux, macOS, BSD); on Windows use :class:`SQLiteStore`. ``flock`` is
not reliable on some network file systems: keep the root on a local disk.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pytest_wfsnap.errors import (
    SnapshotNotFoundError,
    SnapshotTooLargeError,
    StorageError,
    describe,
)
from pytest_wfsnap.storage.atomic import (
    StrPath,
    atomic_write_bytes,
    atomic_write_text,
    fsync_directory,
    is_temp_name,
    read_bytes_limited,
)
from pytest_wfsnap.storage.fs_index import (
    INDEX_NAME,
    LOCK_NAME,
    Index,
    parse_index,
    snapshot_file_name,
)
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
    validate_seq,
    validate_status,
)

if sys.platform != "win32":
    import fcntl

_LOCK_ATTEMPTS = 1000


class FileSystemStore(StoreBase):
    """Snapshots as files under ``root``, one directory per execution."""

    def __init__(
        self,
        root: StrPath,
        *,
        max_snapshot_size: int | None = DEFAULT_MAX_SNAPSHOT_SIZE,
        clock: Clock = utc_now,
        fsync: bool = True,
    ) -> None:
        if sys.platform == "win32":
            raise StorageError(
                "FileSystemStore needs POSIX file locks (flock); use SQLiteStore on Windows"
            )
        self.root = Path(root)
        self.max_snapshot_size = validate_max_size(max_snapshot_size)
        self._clock = clock
        self._fsync = fsync
        self._closed = False
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create snapshot store directory {self.root}: {describe(exc)}"
            ) from exc

    def __repr__(self) -> str:
        return f"FileSystemStore({str(self.root)!r})"

    # --- helpers ---------------------------------------------------------------------------

    def _dir(self, execution_id: str) -> Path:
        if self._closed:
            raise StorageError(f"this FileSystemStore ({self.root}) is closed")
        return self.root / validate_execution_id(execution_id)

    def _read_index(self, directory: Path) -> Index | None:
        path = directory / INDEX_NAME
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"cannot read snapshot index {path}: {describe(exc)}") from exc
        return parse_index(raw, path)

    def _write_index(self, directory: Path, execution_id: str, index: Index) -> None:
        atomic_write_text(directory / INDEX_NAME, index.to_json(execution_id), fsync=self._fsync)

    @contextmanager
    def _locked(self, directory: Path) -> Iterator[None]:
        """Hold the execution's exclusive lock (creating its directory if needed)."""
        lock_path = directory / LOCK_NAME
        for _ in range(_LOCK_ATTEMPTS):
            try:
                directory.mkdir(parents=True, exist_ok=True)
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
            except FileNotFoundError:
                continue  # the directory was removed by delete_execution meanwhile: retry
            except OSError as exc:
                raise StorageError(f"cannot lock {lock_path}: {describe(exc)}") from exc
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    current = os.stat(lock_path)
                except FileNotFoundError:
                    continue  # the lock file was unlinked while we waited: retry
                except OSError as exc:
                    raise StorageError(f"cannot lock {lock_path}: {describe(exc)}") from exc
                held = os.fstat(fd)
                if (current.st_ino, current.st_dev) != (held.st_ino, held.st_dev):
                    continue  # we locked a lock file that was replaced meanwhile: retry
                yield
                return
            finally:
                os.close(fd)  # also releases the lock
        raise StorageError(
            f"cannot lock {lock_path}: its directory keeps being removed by another process"
        )

    def _find(self, directory: Path, execution_id: str, seq: int | None) -> tuple[SnapshotRef, str]:
        index = self._read_index(directory)
        if index is not None and index.entries:
            key = max(index.entries) if seq is None else seq
            entry = index.entries.get(key)
            if entry is not None:
                name, meta = entry
                return SnapshotRef(execution_id, key, meta), name
        raise SnapshotNotFoundError(not_found_message(execution_id, seq))

    def _read_snapshot(self, directory: Path, ref: SnapshotRef, name: str) -> bytes:
        path = directory / name
        try:
            data = read_bytes_limited(path, ref.size)
        except SnapshotTooLargeError as exc:
            raise StorageError(
                f"snapshot file {path} is larger than the {ref.size} bytes recorded in the "
                "index: it was modified outside the store"
            ) from exc
        except StorageError as exc:
            if isinstance(exc.__cause__, FileNotFoundError):
                raise SnapshotNotFoundError(
                    not_found_message(ref.execution_id, ref.seq) + " (deleted meanwhile)"
                ) from exc
            raise
        if len(data) != ref.size:
            raise StorageError(
                f"snapshot file {path} holds {len(data)} bytes but the index records "
                f"{ref.size}: it was truncated or modified outside the store"
            )
        return data

    def _append(
        self, directory: Path, execution_id: str, data: bytes, meta: SnapshotMeta
    ) -> SnapshotRef:
        index = self._read_index(directory) or Index()
        seq = index.next_seq
        name = snapshot_file_name(seq, meta.label)
        atomic_write_bytes(directory / name, data, fsync=self._fsync)
        index.entries[seq] = (name, meta)
        index.next_seq = seq + 1
        index.status = meta.status
        try:
            self._write_index(directory, execution_id, index)
        except BaseException:
            self._unlink(directory / name)
            raise
        return SnapshotRef(execution_id, seq, meta)

    def _unlink(self, path: Path) -> bool:
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StorageError(f"cannot remove {path}: {describe(exc)}") from exc
        return True

    def _require_known(self, directory: Path, execution_id: str) -> None:
        if not (directory / INDEX_NAME).exists():
            raise SnapshotNotFoundError(not_found_message(execution_id, None))

    # --- the store contract ----------------------------------------------------------------

    def put(self, execution_id: str, data: bytes, meta: SnapshotMeta) -> SnapshotRef:
        execution_id, payload, meta = prepare_put(execution_id, data, meta, self.max_snapshot_size)
        directory = self._dir(execution_id)
        with self._locked(directory):
            return self._append(directory, execution_id, payload, meta)

    def list(self, execution_id: str) -> builtins.list[SnapshotRef]:
        index = self._read_index(self._dir(execution_id))
        if index is None:
            return []
        return [
            SnapshotRef(execution_id, seq, index.entries[seq][1]) for seq in sorted(index.entries)
        ]

    def executions(self) -> builtins.list[str]:
        if self._closed:
            raise StorageError(f"this FileSystemStore ({self.root}) is closed")
        found = []
        for name in self._execution_dirs():
            index = self._read_index(self.root / name)
            if index is not None and index.entries:
                found.append(name)
        return sorted(found)

    def _execution_dirs(self) -> builtins.list[str]:
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageError(f"cannot list snapshot store {self.root}: {describe(exc)}") from exc
        names = []
        for entry in entries:
            try:
                validate_execution_id(entry.name)
            except StorageError:
                continue
            if entry.is_dir(follow_symlinks=False):
                names.append(entry.name)
        return names

    def load(self, execution_id: str, seq: int | None = None) -> tuple[SnapshotRef, bytes]:
        directory = self._dir(execution_id)
        if seq is not None:
            validate_seq(seq)
        ref, name = self._find(directory, execution_id, seq)
        return ref, self._read_snapshot(directory, ref, name)

    def latest(self, execution_id: str) -> SnapshotRef | None:
        try:
            return self._find(self._dir(execution_id), execution_id, None)[0]
        except SnapshotNotFoundError:
            return None

    def delete(self, execution_id: str, seq: int) -> None:
        directory = self._dir(execution_id)
        validate_seq(seq)
        self._require_known(directory, execution_id)
        with self._locked(directory):
            index = self._read_index(directory)
            if index is None or seq not in index.entries:
                raise SnapshotNotFoundError(not_found_message(execution_id, seq))
            name, _ = index.entries.pop(seq)
            self._write_index(directory, execution_id, index)
            self._unlink(directory / name)

    def rollback(self, execution_id: str, seq: int) -> SnapshotRef:
        directory = self._dir(execution_id)
        validate_seq(seq)
        self._require_known(directory, execution_id)
        with self._locked(directory):
            source, name = self._find(directory, execution_id, seq)
            data = self._read_snapshot(directory, source, name)
            meta = rollback_meta(source.meta, seq, self._clock())
            return self._append(directory, execution_id, data, meta)

    def status(self, execution_id: str) -> ExecutionStatus | None:
        index = self._read_index(self._dir(execution_id))
        if index is None or not index.entries:
            return None
        return index.status

    def set_status(self, execution_id: str, status: ExecutionStatus) -> None:
        directory = self._dir(execution_id)
        validate_status(status)
        self._require_known(directory, execution_id)
        with self._locked(directory):
            index = self._read_index(directory)
            if index is None or not index.entries:
                raise SnapshotNotFoundError(not_found_message(execution_id, None))
            index.status = status
            self._write_index(directory, execution_id, index)

    def delete_execution(self, execution_id: str) -> int:
        directory = self._dir(execution_id)
        if not directory.is_dir():
            return 0
        with self._locked(directory):
            index = self._read_index(directory)
            removed = 0 if index is None else len(index.entries)
            self._remove_execution_dir(directory)
        return removed

    def _remove_execution_dir(self, directory: Path) -> None:
        """Empty and remove a locked execution directory (the lock file goes last)."""
        for entry in os.scandir(directory):
            if entry.name != LOCK_NAME:
                self._unlink(Path(entry.path))
        self._unlink(directory / LOCK_NAME)
        # Fails when a new writer already recreated its lock file here: the directory lives on.
        with contextlib.suppress(OSError):
            directory.rmdir()
        if self._fsync:
            fsync_directory(self.root)

    def compact(self) -> int:
        if self._closed:
            raise StorageError(f"this FileSystemStore ({self.root}) is closed")
        removed = 0
        for name in self._execution_dirs():
            directory = self.root / name
            with self._locked(directory):
                index = self._read_index(directory)
                if index is None:
                    leftovers = [e.name for e in os.scandir(directory) if e.name != LOCK_NAME]
                    removed += len(leftovers)
                    self._remove_execution_dir(directory)
                    continue
                named = {entry_name for entry_name, _ in index.entries.values()}
                for entry in os.scandir(directory):
                    orphan = entry.name.endswith(".snap") and entry.name not in named
                    if (orphan or is_temp_name(entry.name)) and self._unlink(Path(entry.path)):
                        removed += 1
        return removed

    def close(self) -> None:
        self._closed = True
