"""The snapshot store contract: metadata records, references and the ``SnapshotStore`` protocol.

A store keeps, per execution id, an append-only history of encoded snapshots (opaque bytes,
produced by the snapshot format) with a small :class:`SnapshotMeta` record each. Every
snapshot gets the next sequence number of its execution (1, 2, 3, ...), assigned atomically
even when several processes write at once; numbers are never reused, even after deletions,
until the whole execution is deleted. Rolling back appends a copy of an earlier snapshot, so
history is never rewritten.

Each execution also has a status (that of its latest ``put``, or set with ``set_status``).
Executions whose status is ``pending``, ``running`` or ``paused`` are *live*: garbage
collection never removes their latest snapshot, which is what a crashed or paused run
resumes from.

:class:`~pytest_wfsnap.storage.memory_store.MemoryStore` is the reference implementation;
every store passes the same contract test suite.
"""

from __future__ import annotations

import builtins
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal, Protocol, Self, cast, get_args, runtime_checkable

from pytest_wfsnap.errors import SnapshotTooLargeError, StorageError

ExecutionStatus = Literal["pending", "running", "paused", "completed", "failed"]
EXECUTION_STATUSES: frozenset[str] = frozenset(get_args(ExecutionStatus))
LIVE_STATUSES: frozenset[str] = frozenset({"pending", "running", "paused"})

MiB = 1024 * 1024
DEFAULT_MAX_SNAPSHOT_SIZE = 64 * MiB
MAX_LABEL_LENGTH = 200
MAX_EXECUTION_ID_LENGTH = 128

Clock = Callable[[], datetime]

_EXECUTION_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_FORMAT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}")


def utc_now() -> datetime:
    """The default store clock: the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def validate_execution_id(execution_id: object) -> str:
    """Return ``execution_id`` if it is safe as a file name and key, else raise StorageError.

    Accepted: 1-128 characters from ``A-Z a-z 0-9 . _ -``, starting with a letter or digit
    (so never ``.``/``..``, never a path separator, never hidden).
    """
    if not isinstance(execution_id, str):
        raise StorageError(
            f"execution id must be a string, got {type(execution_id).__name__}: {execution_id!r}"
        )
    if (
        len(execution_id) > MAX_EXECUTION_ID_LENGTH
        or _EXECUTION_ID_RE.fullmatch(execution_id) is None
    ):
        raise StorageError(
            f"invalid execution id {execution_id!r}: use 1-{MAX_EXECUTION_ID_LENGTH} "
            "characters from A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
        )
    return execution_id


def validate_seq(seq: object) -> int:
    """Return ``seq`` if it is a valid sequence number (an int >= 1), else raise StorageError."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise StorageError(f"invalid snapshot sequence number {seq!r}: expected an int >= 1")
    return seq


def validate_ref(execution_id: object, seq: object, *, latest_ok: bool = False) -> None:
    """Validate an execution id and a sequence number; with ``latest_ok``, ``seq`` may also be
    ``None`` (meaning "the latest snapshot")."""
    validate_execution_id(execution_id)
    if seq is not None or not latest_ok:
        validate_seq(seq)


def validate_status(status: object) -> ExecutionStatus:
    """Return ``status`` if it is one of :data:`EXECUTION_STATUSES`, else raise StorageError."""
    if not isinstance(status, str) or status not in EXECUTION_STATUSES:
        raise StorageError(
            f"invalid execution status {status!r}: expected one of "
            + ", ".join(sorted(EXECUTION_STATUSES))
        )
    return cast(ExecutionStatus, status)


def _check_count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StorageError(f"snapshot metadata {name} must be an int >= 0, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class SnapshotMeta:
    """The small record kept next to each stored snapshot.

    * ``created_at``: when the snapshot was taken (timezone-aware; normalised to UTC).
    * ``label``: why it was taken: ``"auto"``, ``"after:<node id>"``, ``"manual"``,
      ``"pause"``, ``"failure"``, ``"complete"``, ``"rollback:<seq>"``, or any text
      (1-200 printable characters).
    * ``node_count`` / ``completed_count``: nodes in the workflow / nodes completed.
    * ``size``: length of the stored bytes; the store sets it on ``put``.
    * ``format``: codec tag of the bytes (e.g. ``"json"``, ``"json+zstd"``), needed to decode.
    * ``status``: the run status when the snapshot was taken.
    * ``workflow_id``: the workflow's id, for listings.
    """

    created_at: datetime
    label: str = "manual"
    node_count: int = 0
    completed_count: int = 0
    size: int = 0
    format: str = "json"
    status: ExecutionStatus = "running"
    workflow_id: str = ""

    def __post_init__(self) -> None:
        created = self.created_at
        if not isinstance(created, datetime) or created.utcoffset() is None:
            raise StorageError(
                f"snapshot metadata created_at must be a timezone-aware datetime, got {created!r}"
            )
        object.__setattr__(self, "created_at", created.astimezone(UTC))
        label = self.label
        if (
            not isinstance(label, str)
            or not label
            or len(label) > MAX_LABEL_LENGTH
            or not label.isprintable()
        ):
            raise StorageError(
                f"invalid snapshot label {label!r}: use 1-{MAX_LABEL_LENGTH} printable characters"
            )
        _check_count("node_count", self.node_count)
        _check_count("completed_count", self.completed_count)
        _check_count("size", self.size)
        if not isinstance(self.format, str) or _FORMAT_RE.fullmatch(self.format) is None:
            raise StorageError(
                f"invalid snapshot format tag {self.format!r}: use 1-64 characters from "
                "A-Z, a-z, 0-9, '.', '+', '_' and '-'"
            )
        validate_status(self.status)
        if not isinstance(self.workflow_id, str):
            raise StorageError(f"snapshot workflow_id must be a string, got {self.workflow_id!r}")

    @property
    def rollback_of(self) -> int | None:
        """The sequence number this snapshot is a rollback copy of, if it is one."""
        prefix, _, rest = self.label.partition(":")
        if prefix == "rollback" and rest.isdigit():
            return int(rest)
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``created_at`` as an ISO 8601 string with offset)."""
        return {
            "created_at": self.created_at.isoformat(),
            "label": self.label,
            "node_count": self.node_count,
            "completed_count": self.completed_count,
            "size": self.size,
            "format": self.format,
            "status": self.status,
            "workflow_id": self.workflow_id,
        }

    @classmethod
    def from_dict(cls, record: Mapping[str, Any], *, source: str = "record") -> SnapshotMeta:
        """Rebuild from :meth:`to_dict` output; StorageError naming ``source`` if malformed."""
        try:
            created_at = datetime.fromisoformat(record["created_at"])
            return cls(
                created_at=created_at,
                label=record["label"],
                node_count=record["node_count"],
                completed_count=record["completed_count"],
                size=record["size"],
                format=record["format"],
                status=record["status"],
                workflow_id=record.get("workflow_id", ""),
            )
        except StorageError as exc:
            raise StorageError(f"corrupt snapshot metadata in {source}: {exc}") from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise StorageError(
                f"corrupt snapshot metadata in {source}: {type(exc).__name__}: {exc}"
            ) from exc


@dataclass(frozen=True, slots=True)
class SnapshotRef:
    """Where a stored snapshot lives: its execution, sequence number and metadata."""

    execution_id: str
    seq: int
    meta: SnapshotMeta

    @property
    def label(self) -> str:
        return self.meta.label

    @property
    def created_at(self) -> datetime:
        return self.meta.created_at

    @property
    def size(self) -> int:
        return self.meta.size


@runtime_checkable
class SnapshotStore(Protocol):
    """What every snapshot store provides. All methods validate their arguments first."""

    max_snapshot_size: int | None

    def put(self, execution_id: str, data: bytes, meta: SnapshotMeta) -> SnapshotRef:
        """Append a snapshot; returns its ref (next seq, ``meta.size == len(data)``).

        Raises SnapshotTooLargeError before writing anything if ``data`` exceeds
        ``max_snapshot_size``. Sets the execution's status to ``meta.status``.
        """
        ...

    def list(self, execution_id: str) -> builtins.list[SnapshotRef]:
        """The execution's snapshots, oldest first (``[]`` for an unknown execution)."""
        ...

    def executions(self) -> builtins.list[str]:
        """Ids of the executions holding at least one snapshot, sorted."""
        ...

    def get(self, execution_id: str, seq: int | None = None) -> bytes:
        """The bytes of snapshot ``seq`` (the latest when ``None``); SnapshotNotFoundError."""
        ...

    def load(self, execution_id: str, seq: int | None = None) -> tuple[SnapshotRef, bytes]:
        """Ref and bytes of snapshot ``seq`` (the latest when ``None``), read consistently."""
        ...

    def latest(self, execution_id: str) -> SnapshotRef | None:
        """The newest snapshot's ref, or ``None`` if the execution holds none."""
        ...

    def delete(self, execution_id: str, seq: int) -> None:
        """Remove one snapshot (its number is not reused); SnapshotNotFoundError if absent."""
        ...

    def rollback(self, execution_id: str, seq: int) -> SnapshotRef:
        """Append a copy of snapshot ``seq`` labelled ``rollback:<seq>``; it becomes the latest.

        The copy keeps the original's metadata except ``label`` and ``created_at`` (now);
        the execution's status becomes the copied snapshot's status.
        """
        ...

    def status(self, execution_id: str) -> ExecutionStatus | None:
        """The execution's status, or ``None`` if it holds no snapshot."""
        ...

    def set_status(self, execution_id: str, status: ExecutionStatus) -> None:
        """Record the execution's status without writing a snapshot (e.g. ``completed``)."""
        ...

    def delete_execution(self, execution_id: str) -> int:
        """Remove an execution entirely (numbering restarts); returns snapshots removed."""
        ...

    def compact(self) -> int:
        """Remove leftovers of interrupted writes; returns how many were removed."""
        ...

    def close(self) -> None:
        """Release resources (connections); the store must not be used afterwards."""
        ...


class StoreBase(ABC):
    """What the stores share: use as a context manager (closing on exit), ``get`` by ``load``."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def get(self, execution_id: str, seq: int | None = None) -> bytes:
        """The bytes of snapshot ``seq`` (the latest when ``None``); SnapshotNotFoundError."""
        return self.load(execution_id, seq)[1]

    @abstractmethod
    def load(self, execution_id: str, seq: int | None = None) -> tuple[SnapshotRef, bytes]:
        """Ref and bytes of snapshot ``seq`` (the latest when ``None``), read consistently."""

    @abstractmethod
    def close(self) -> None:
        """Release resources; the store must not be used afterwards."""


def coerce_data(data: object) -> bytes:
    """Accept bytes-like snapshot data, refuse anything else with StorageError."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, bytearray | memoryview):
        return bytes(data)
    raise StorageError(f"snapshot data must be bytes, got {type(data).__name__}")


def prepare_put(
    execution_id: str, data: object, meta: object, max_size: int | None
) -> tuple[str, bytes, SnapshotMeta]:
    """Validate the arguments of ``put`` and return them with ``meta.size`` set."""
    validate_execution_id(execution_id)
    payload = coerce_data(data)
    if not isinstance(meta, SnapshotMeta):
        raise StorageError(f"snapshot meta must be a SnapshotMeta, got {type(meta).__name__}")
    check_size(execution_id, len(payload), max_size)
    return execution_id, payload, replace(meta, size=len(payload))


def check_size(execution_id: str, size: int, max_size: int | None) -> None:
    """Raise SnapshotTooLargeError when ``size`` exceeds ``max_size``."""
    if max_size is not None and size > max_size:
        raise SnapshotTooLargeError(
            f"snapshot for execution {execution_id!r} is {size} bytes, more than the limit "
            f"of {max_size} bytes (raise the store's max_snapshot_size, or compress snapshots)"
        )


def validate_max_size(max_size: int | None) -> int | None:
    """Check a store's ``max_snapshot_size`` setting."""
    if max_size is not None and (
        isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0
    ):
        raise StorageError(f"max_snapshot_size must be an int >= 0 or None, got {max_size!r}")
    return max_size


def rollback_meta(source: SnapshotMeta, seq: int, now: datetime) -> SnapshotMeta:
    """Metadata of the rollback copy of snapshot ``seq``."""
    return replace(source, label=f"rollback:{seq}", created_at=now)


def not_found_message(execution_id: str, seq: int | None) -> str:
    if seq is None:
        return f"no snapshot stored for execution {execution_id!r}"
    return f"no snapshot #{seq} stored for execution {execution_id!r}"


__all__ = [
    "DEFAULT_MAX_SNAPSHOT_SIZE",
    "EXECUTION_STATUSES",
    "LIVE_STATUSES",
    "Clock",
    "ExecutionStatus",
    "SnapshotMeta",
    "SnapshotRef",
    "SnapshotStore",
    "StoreBase",
    "check_size",
    "coerce_data",
    "not_found_message",
    "prepare_put",
    "rollback_meta",
    "utc_now",
    "validate_execution_id",
    "validate_max_size",
    "validate_ref",
    "validate_seq",
    "validate_status",
]
