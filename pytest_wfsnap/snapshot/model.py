"""The snapshot model: the seed document's fields plus what this port needs to resume exactly.

A :class:`Snapshot` is a frozen pydantic model. Its JSON/binary document (see
:mod:`pytest_wfsnap.snapshot.document`) uses the same field names:

* ``version``, ``snapshot_time`` (UTC), ``workflow_id``, ``execution_id``;
* ``nodes``/``edges``: the workflow definition, node ``data`` exactly as given;
* ``results``, ``completed_nodes`` (execution order), ``skipped_nodes`` (execution order),
  ``current_level`` (position of the next node to consider in the topological order),
  ``pending_nodes`` (the nodes not decided yet, in the order they will run; null when the run
  was not ordered yet), ``failed_node``, ``status``;
* ``variables``, ``accumulator``, ``counter``, ``cache`` (``{key: {value, expiration}}``),
  ``context_vars``, ``context_consts``;
* ``node_execution_count``, ``http_call_count``;
* ``config``: an engine :class:`~pytest_wfsnap.engine.config.Config`. In the document it is
  written with this port's snake_case field names and every duration as integer nanoseconds
  (the Go engine's unit, so a value is exact and never needs a duration parser);
* ``random_seed``, ``http_recordings``.

:func:`snapshot_from_state` and :func:`state_from_snapshot` convert to and from the engine's
:class:`~pytest_wfsnap.engine.engine_state.EngineState`. Both copy the top-level containers
(so neither side's dicts and lists are shared; ``copy=False`` hands them over when the source
is not used afterwards) but share the values inside them: the engine's ``export_state``
already hands out deep copies, and the engine treats stored values as immutable (executors
build new values instead of changing their inputs).

A snapshot is read-only: its model is frozen, and the lists and dicts inside it must not be
changed either (make a changed copy with ``model_copy(update=...)``). Snapshots saved from one
engine share its exported workflow definition, and an engine loaded from a snapshot uses the
snapshot's values as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer, field_validator

from pytest_wfsnap.engine.config import (
    DURATION_FIELDS,
    Config,
    make_config,
)
from pytest_wfsnap.engine.engine_state import CachedValue, EngineState, RunStatus
from pytest_wfsnap.errors import ConfigError, SnapshotDecodeError, SnapshotEncodeError
from pytest_wfsnap.snapshot.version import FORMAT_VERSION

_INT64_MAX = 2**63 - 1
_INT64_MIN = -(2**63)


def to_utc(value: datetime, *, what: str) -> datetime:
    """``value`` converted to UTC; a naive datetime is refused (its zone would be a guess)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise SnapshotEncodeError(
            f"{what} must be a timezone-aware datetime (got naive {value.isoformat()})"
        )
    if value.tzinfo is UTC:
        return value
    return value.astimezone(UTC)


def format_time(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z``: ``2025-11-01T16:00:00Z`` or ``...:00.482913Z``."""
    text = value.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def config_to_document(config: Config) -> dict[str, Any]:
    """The config as written in a snapshot: snake_case names, durations in nanoseconds."""
    return config.to_fields()


def ns_to_timedelta(ns: int) -> timedelta:
    """Integer nanoseconds to a timedelta, rounded half-to-even to the microsecond."""
    micros, rest = divmod(ns, 1000)
    if rest > 500 or (rest == 500 and micros % 2):
        micros += 1
    return timedelta(microseconds=micros)


def config_from_document(fields: Mapping[str, Any], *, where: str = "config") -> Config:
    """Build a :class:`Config` from its snapshot form. Missing fields take the engine default.

    Raises :class:`SnapshotDecodeError` naming the field (``config.max_nodes: ...``).
    """
    converted: dict[str, Any] = {}
    for key, value in fields.items():
        if key in DURATION_FIELDS:
            if type(value) is not int:
                raise SnapshotDecodeError(
                    f"invalid snapshot: {where}.{key}: expected a duration as integer "
                    f"nanoseconds, got {type(value).__name__} {value!r}"
                )
            if not _INT64_MIN <= value <= _INT64_MAX:
                raise SnapshotDecodeError(
                    f"invalid snapshot: {where}.{key}: {value} nanoseconds is out of range"
                )
            value = ns_to_timedelta(value)
        converted[key] = value
    try:
        return make_config(converted, where=where)
    except ConfigError as exc:
        raise SnapshotDecodeError(f"invalid snapshot: {exc}") from None


class SnapshotCacheEntry(BaseModel):
    """A cached value and the instant (UTC) after which it is expired."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Any = None
    expiration: AwareDatetime

    @field_validator("expiration")
    @classmethod
    def _expiration_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class Snapshot(BaseModel):
    """Everything needed to resume a workflow run, in a versioned, portable form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = FORMAT_VERSION
    snapshot_time: AwareDatetime
    workflow_id: str = ""
    execution_id: str = Field(min_length=1)
    nodes: list[dict[str, Any]] = Field(default_factory=list)
    edges: list[dict[str, Any]] = Field(default_factory=list)
    results: dict[str, Any] = Field(default_factory=dict)
    completed_nodes: list[str] = Field(default_factory=list)
    skipped_nodes: list[str] = Field(default_factory=list)
    current_level: int = Field(default=0, ge=0)
    pending_nodes: list[str] | None = None
    failed_node: str | None = None
    status: RunStatus = "pending"
    variables: dict[str, Any] = Field(default_factory=dict)
    accumulator: Any = None
    counter: float = 0.0
    cache: dict[str, SnapshotCacheEntry] = Field(default_factory=dict)
    context_vars: dict[str, Any] = Field(default_factory=dict)
    context_consts: dict[str, Any] = Field(default_factory=dict)
    node_execution_count: int = Field(default=0, ge=0)
    http_call_count: int = Field(default=0, ge=0)
    config: Config = Field(default_factory=Config)
    random_seed: int | None = None
    http_recordings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("version")
    @classmethod
    def _current_version(cls, value: str) -> str:
        if value != FORMAT_VERSION:
            raise ValueError(
                f"a Snapshot holds format {FORMAT_VERSION}, not {value!r}; read older documents "
                "with decode_snapshot() or snapshot_from_document(), which migrate them"
            )
        return value

    @field_validator("snapshot_time")
    @classmethod
    def _time_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @field_validator("config", mode="before")
    @classmethod
    def _config_from_document(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return config_from_document(value)
        return value

    @field_serializer("config")
    def _config_to_document(self, value: Config) -> dict[str, Any]:
        return config_to_document(value)


# The fields a Snapshot shares with an EngineState (and a document), besides ``config``,
# ``counter`` and ``cache``, which each conversion handles itself. Containers are copied at the
# top level by the state conversions, so neither side shares a list or dict with the other.
_VALUE_FIELDS = (
    "workflow_id",
    "execution_id",
    "current_level",
    "pending_nodes",
    "failed_node",
    "status",
    "accumulator",
    "node_execution_count",
    "http_call_count",
    "random_seed",
)
_LIST_FIELDS = ("nodes", "edges", "completed_nodes", "skipped_nodes")
_DICT_FIELDS = ("results", "variables", "context_vars", "context_consts", "http_recordings")
DATA_FIELDS: tuple[str, ...] = _VALUE_FIELDS + _LIST_FIELDS + _DICT_FIELDS
"""Snapshot fields copied as they are between a snapshot, its document and an engine state."""


def _copy_data_fields(source: EngineState | Snapshot, copy: bool) -> dict[str, Any]:
    if not copy:
        return {name: getattr(source, name) for name in DATA_FIELDS}
    fields = {name: getattr(source, name) for name in _VALUE_FIELDS}
    if fields["pending_nodes"] is not None:
        fields["pending_nodes"] = list(fields["pending_nodes"])
    for name in _LIST_FIELDS:
        fields[name] = list(getattr(source, name))
    for name in _DICT_FIELDS:
        fields[name] = dict(getattr(source, name))
    return fields


def snapshot_from_state(
    state: EngineState, snapshot_time: datetime, *, copy: bool = True
) -> Snapshot:
    """The snapshot of an engine state, taken at ``snapshot_time`` (timezone-aware).

    ``copy=False`` hands the state's lists and dicts to the snapshot (for a state nobody else
    holds, e.g. one just exported for the snapshot).
    """
    cache = {
        key: SnapshotCacheEntry.model_construct(
            value=entry.value,
            expiration=to_utc(entry.expiration, what=f"cache entry {key!r} expiration"),
        )
        for key, entry in state.cache.items()
    }
    return Snapshot.model_construct(
        version=FORMAT_VERSION,
        snapshot_time=to_utc(snapshot_time, what="snapshot_time"),
        counter=float(state.counter),
        cache=cache,
        config=state.config,
        **_copy_data_fields(state, copy),
    )


def state_from_snapshot(snapshot: Snapshot, *, copy: bool = True) -> EngineState:
    """The engine state a snapshot describes (the engine resumes from it).

    ``copy=False`` shares the snapshot's lists and dicts with the state (for a state that is
    only read, e.g. to restore an engine).
    """
    return EngineState(
        counter=snapshot.counter,
        cache={
            key: CachedValue(entry.value, entry.expiration) for key, entry in snapshot.cache.items()
        },
        config=snapshot.config,
        **_copy_data_fields(snapshot, copy),
    )


__all__ = [
    "DATA_FIELDS",
    "Snapshot",
    "SnapshotCacheEntry",
    "config_from_document",
    "config_to_document",
    "format_time",
    "ns_to_timedelta",
    "snapshot_from_state",
    "state_from_snapshot",
    "to_utc",
]
