"""Automatic checkpoints of a running engine, and recovery from the latest one.

.. code-block:: python

    from pytest_wfsnap import engine
    from pytest_wfsnap.storage import CheckpointPolicy, FileSystemStore

    store = FileSystemStore("checkpoints")
    eng = engine.new(payload)
    engine.enable_checkpoints(eng, store, CheckpointPolicy(every_nodes=1))
    eng.execute()                       # a checkpoint after every node, and at the end

    # after a crash, in a new process:
    eng = engine.recover("checkpoints")  # the latest checkpoint of the only execution
    result = eng.execute()              # completed nodes are not run again

How it hooks in: a :class:`CheckpointObserver` is an engine observer. When a node starts,
everything before it is committed (its predecessors' results, state and counters), so that is
when the checkpoint "after the previous node" is written, under the engine's run lock, before
the node runs. A first checkpoint (``start``) is written when a run begins, and one when it
pauses, fails or completes (``pause``/``failure``/``complete``, following the policy).

Guarantee after a crash: every node recorded in the latest checkpoint is never run again
(exactly once); the node that was running when the process died, and any node that completed
after the latest checkpoint (with ``every_nodes`` > 1 or a time-based policy), run again on
recovery (at least once). With the default policy (a checkpoint before every node) that is at
most the one node in flight.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.engine import Engine
from pytest_wfsnap.engine.observers import Event
from pytest_wfsnap.engine.registry import Registry
from pytest_wfsnap.engine.snapshots import Keys, deserialize_snapshot, load_snapshot, save_snapshot
from pytest_wfsnap.engine.state import Clock
from pytest_wfsnap.errors import SnapshotError, SnapshotNotFoundError, StorageError
from pytest_wfsnap.snapshot import encode_snapshot, keys_from_env, make_codec
from pytest_wfsnap.snapshot.codecs import Format
from pytest_wfsnap.snapshot.compression import Compression
from pytest_wfsnap.snapshot.encryption import parse_keys
from pytest_wfsnap.storage import (
    Checkpointer,
    CheckpointPolicy,
    FileSystemStore,
    SnapshotMeta,
    SnapshotStore,
)

logger = logging.getLogger("pytest_wfsnap.engine")

StoreOrDir = SnapshotStore | str | os.PathLike[str]


class CheckpointObserver:
    """An engine observer that writes checkpoints of one engine's run to a store.

    ``format``/``compression``/``encryption_keys`` choose how snapshots are encoded (default:
    pretty JSON). A failed checkpoint write never stops the run (observers cannot); it is
    logged and kept in :attr:`errors`, and the next node tries again.
    """

    def __init__(
        self,
        engine: Engine,
        store: SnapshotStore,
        policy: CheckpointPolicy | None = None,
        *,
        format: Format = "json",
        compression: Compression | None = None,
        encryption_keys: Keys | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.checkpointer = Checkpointer(store, engine.execution_id, policy)
        self.format: Format = format
        self.compression: Compression | None = compression
        self.encryption_keys = encryption_keys
        self.errors: list[str] = []
        self._started: str | None = None  # the last node that started in this run
        self._lock = threading.Lock()
        make_codec(format, compression=compression)  # bad options fail now, not mid-run
        if encryption_keys is not None and not parse_keys(encryption_keys):
            raise SnapshotError("cannot encrypt checkpoints: no key given")

    @property
    def format_tag(self) -> str:
        tag: str = self.format
        if self.compression is not None:
            tag += f"+{self.compression}"
        if self.encryption_keys is not None:
            tag += "+aesgcm"
        return tag

    def make_snapshot(self) -> tuple[bytes, SnapshotMeta]:
        """The engine's current state, encoded, with its store metadata."""
        snap = save_snapshot(self.engine)
        data = encode_snapshot(
            snap,
            format=self.format,
            compression=self.compression,
            encryption_keys=self.encryption_keys,
        )
        status = "running" if snap.status == "pending" else snap.status
        meta = SnapshotMeta(
            created_at=snap.snapshot_time,
            label="auto",
            node_count=len(snap.nodes),
            completed_count=len(snap.completed_nodes),
            format=self.format_tag,
            status=status,
            workflow_id=snap.workflow_id,
        )
        return data, meta

    def checkpoint(self, label: str = "manual") -> None:
        """Write a checkpoint now, whatever the policy."""
        with self._lock:
            self.checkpointer.checkpoint(self.make_snapshot, label)

    def __call__(self, event: Event) -> None:
        with self._lock:
            try:
                self._handle(event)
            except Exception as exc:
                message = f"checkpoint of execution {self.engine.execution_id} failed: {exc}"
                self.errors.append(message)
                logger.warning("%s", message)

    def _handle(self, event: Event) -> None:
        checkpointer = self.checkpointer
        if event.type == "workflow_start":
            self._started = None
            if checkpointer.written == 0 and self.store.latest(self.engine.execution_id) is None:
                checkpointer.checkpoint(self.make_snapshot, "start")
        elif event.type == "node_start":
            previous, self._started = self._started, event.node_id
            if previous is not None:
                checkpointer.after_node(previous, self.make_snapshot)
        elif event.type == "workflow_end":
            self._started = None
            if event.status == "completed":
                checkpointer.on_complete(self.make_snapshot)
            elif event.status == "paused":
                checkpointer.on_pause(self.make_snapshot)
            elif event.status == "failed":
                checkpointer.on_failure(self.make_snapshot)


def enable_checkpoints(
    engine: Engine,
    store: StoreOrDir,
    policy: CheckpointPolicy | None = None,
    *,
    format: Format = "json",
    compression: Compression | None = None,
    encryption_keys: Keys | None = None,
) -> CheckpointObserver:
    """Checkpoint ``engine``'s runs into ``store`` (a store, or a directory for a
    :class:`FileSystemStore`) following ``policy`` (default: before every node and at the end).
    Returns the observer (its ``checkpointer`` counts what was written)."""
    observer = CheckpointObserver(
        engine,
        _open_store(store),
        policy,
        format=format,
        compression=compression,
        encryption_keys=encryption_keys,
    )
    engine.add_observer(observer)
    return observer


def _open_store(store: StoreOrDir) -> SnapshotStore:
    if isinstance(store, str | os.PathLike):
        return FileSystemStore(store)
    return store


def pick_execution(store: SnapshotStore, execution_id: str | None, where: str) -> str:
    """``execution_id``, or the only execution in ``store`` (StorageError if none or several)."""
    if execution_id is not None:
        if store.latest(execution_id) is None:
            raise SnapshotNotFoundError(f"no checkpoint of execution {execution_id!r} in {where}")
        return execution_id
    executions = store.executions()
    if not executions:
        raise SnapshotNotFoundError(f"no checkpoints in {where}")
    if len(executions) > 1:
        raise StorageError(
            f"{where} holds {len(executions)} executions ({', '.join(executions)}); "
            "choose one with execution_id"
        )
    return executions[0]


def recover(
    store_or_dir: StoreOrDir,
    execution_id: str | None = None,
    *,
    registry: Registry | None = None,
    config: Config | None = None,
    trust_snapshot_config: bool = False,
    clock: Clock | None = None,
    keys: Keys | None = None,
    checkpoint: bool = True,
    policy: CheckpointPolicy | None = None,
    replay_results: Mapping[str, Any] | None = None,
    **options: Any,
) -> Engine:
    """An engine resuming the latest checkpoint of ``execution_id`` (default: the store's only
    execution). With ``checkpoint`` (default) it keeps checkpointing into the same store and
    execution, so a recovered run that crashes again can be recovered again. The other
    arguments are those of :func:`~pytest_wfsnap.engine.snapshots.load_snapshot`; ``keys``
    decrypt encrypted checkpoints (and encrypt new ones).
    """
    store = _open_store(store_or_dir)
    where = str(store_or_dir) if isinstance(store_or_dir, str | os.PathLike) else repr(store)
    chosen = pick_execution(store, execution_id, where)
    ref, data = store.load(chosen)
    snap = deserialize_snapshot(data, keys=keys)
    engine = load_snapshot(
        snap,
        registry,
        config=config,
        trust_snapshot_config=trust_snapshot_config,
        clock=clock,
        replay_results=replay_results,
        **options,
    )
    if checkpoint:
        fmt, compression, encrypted = _layers(ref.meta.format)
        enable_checkpoints(
            engine,
            store,
            policy,
            format=fmt,
            compression=compression,
            encryption_keys=(keys if keys is not None else keys_from_env()) if encrypted else None,
        )
    return engine


def _layers(tag: str) -> tuple[Format, Compression | None, bool]:
    """The codec layers named by a store format tag such as ``json+zstd+aesgcm``."""
    parts: Sequence[str] = tag.split("+")
    fmt: Format = "msgpack" if parts[0] == "msgpack" else "json"
    compression: Compression | None = None
    for part in parts[1:]:
        if part == "zstd":
            compression = "zstd"
        elif part == "gzip":
            compression = "gzip"
    return fmt, compression, "aesgcm" in parts


__all__ = [
    "CheckpointObserver",
    "StoreOrDir",
    "enable_checkpoints",
    "pick_execution",
    "recover",
]
