"""The snapshot document: validation schema, and conversions between documents and models.

A document is the plain-data form of a :class:`Snapshot` (what the JSON and binary codecs carry):
the model's field names, times as RFC 3339 UTC strings, config as snake_case names with
durations in integer nanoseconds. Every value inside it (results, variables, node data, ...) is a
JSON value: null, bool, int (64-bit), finite float, str, list, or object with string keys, nested
at most :data:`MAX_DEPTH` levels deep (tuples are accepted on writing, as arrays).

Reading is fast and still fully validated: the document is decoded straight into the msgspec
structs below (one C pass that parses and checks every top-level field's type), and the pydantic
model is then built with ``model_construct`` (no second validation). Documents of an older
version are migrated first (:mod:`pytest_wfsnap.snapshot.migrations`), then validated the same
way with :func:`msgspec.convert`.
"""

from __future__ import annotations

import math
import re
import weakref
from datetime import UTC, datetime
from operator import itemgetter
from typing import Annotated, Any, Literal

import msgspec
import orjson

from pytest_wfsnap.errors import SnapshotDecodeError, SnapshotEncodeError
from pytest_wfsnap.snapshot.migrations import migrate
from pytest_wfsnap.snapshot.model import (
    DATA_FIELDS,
    Snapshot,
    SnapshotCacheEntry,
    config_from_document,
    config_to_document,
    format_time,
)
from pytest_wfsnap.snapshot.version import FORMAT_VERSION

MAX_DEPTH = 254
"""Deepest container nesting a document may have, counted from the document itself (depth 1)."""

_Time = Annotated[datetime, msgspec.Meta(tz=True)]
_Count = Annotated[int, msgspec.Meta(ge=0)]


class CacheEntryDoc(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    value: Any = None
    expiration: _Time


class SnapshotDoc(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Schema of a current-version document (every field's type is checked on decode)."""

    version: str = ""
    snapshot_time: _Time
    workflow_id: str = ""
    execution_id: str = ""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    results: dict[str, Any] = {}
    completed_nodes: list[str] = []
    skipped_nodes: list[str] = []
    current_level: _Count = 0
    pending_nodes: list[str] | None = None
    failed_node: str | None = None
    status: Literal["pending", "running", "paused", "completed", "failed"] = "pending"
    variables: dict[str, Any] = {}
    accumulator: Any = None
    counter: float = 0.0
    cache: dict[str, CacheEntryDoc] = {}
    context_vars: dict[str, Any] = {}
    context_consts: dict[str, Any] = {}
    node_execution_count: _Count = 0
    http_call_count: _Count = 0
    config: dict[str, Any] = {}
    random_seed: int | None = None
    http_recordings: dict[str, Any] = {}


# --- JSON paths ----------------------------------------------------------------------------

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")


def child_path(path: str, key: str | int) -> str:
    """``$.a`` + ``b`` -> ``$.a.b``; odd keys are quoted (``$.a["x y"]``); ints index lists."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _IDENT.match(key):
        return f"{path}.{key}"
    return f"{path}[{msgspec.json.encode(key).decode()}]"


_MSGSPEC_AT = re.compile(r"^(?P<msg>.*) - at `(?P<path>[^`]*)`$", re.S)


def describe_validation_error(exc: Exception) -> str:
    """msgspec's ``Expected `int`, got `str` - at `$.x``` as ``$.x: expected `int`, got `str```."""
    text = str(exc)
    match = _MSGSPEC_AT.match(text)
    if match is None:
        return text[:1].lower() + text[1:]
    msg = match["msg"]
    return f"{match['path']}: {msg[:1].lower()}{msg[1:]}"


# --- value checks --------------------------------------------------------------------------

_INT_MIN = -(2**63)
_INT_MAX = 2**64 - 1
_SCALARS = (str, bool, type(None))
# msgpack float64 (0xcb) and float32 (0xca) items holding +-inf or a quiet NaN of either sign:
# the non-finite values Python arithmetic and float("nan") produce. NaNs with payload bits,
# which only bit-level manipulation creates, are not looked for; the trailing zero bytes make
# a false alarm (bytes inside some other item) practically impossible.
_NON_FINITE_FLOAT64 = tuple(
    sign + head + b"\x00" * 6 for sign in (b"\x7f", b"\xff") for head in (b"\xf0", b"\xf8")
)
_NON_FINITE_FLOAT32 = tuple(
    sign + head + b"\x00" * 2 for sign in (b"\x7f", b"\xff") for head in (b"\x80", b"\xc0")
)


def find_invalid_value(
    root: Any, path: str = "$", depth: int = 1, *, finite_only: bool = True
) -> tuple[str, str] | None:
    """The first place (in document order) where ``root`` is not a JSON value, as
    ``(json_path, problem)``, or None. ``depth`` is the container depth of ``root``."""
    stack: list[tuple[Any, str, int]] = [(root, path, depth)]
    while stack:
        value, where, level = stack.pop()
        kind = type(value)
        if kind is dict or kind is list or kind is tuple:
            if level > MAX_DEPTH:
                return where, f"is nested deeper than {MAX_DEPTH} levels"
            if kind is dict:
                children: list[tuple[Any, str, int]] = []
                for key, item in value.items():
                    if type(key) is not str:
                        return where, f"has a non-string key {key!r}"
                    children.append((item, child_path(where, key), level + 1))
            else:
                children = [(item, f"{where}[{i}]", level + 1) for i, item in enumerate(value)]
            stack.extend(reversed(children))
        elif kind is float:
            if finite_only and not math.isfinite(value):
                return where, f"is {value!r}; snapshots carry only finite numbers"
        elif kind is int:
            if not _INT_MIN <= value <= _INT_MAX:
                return where, "is an integer outside the 64-bit range"
        elif kind not in _SCALARS:
            return where, f"is a {kind.__name__}, which is not a JSON value"
    return None


def has_non_finite_float(packed: bytes | bytearray | memoryview, *, float32: bool = True) -> bool:
    """Whether msgpack bytes may hold a NaN or infinity (a byte scan: a yes is then confirmed
    by :func:`find_invalid_value`). ``float32``: also look at 4-byte floats (this package writes
    only 8-byte ones, but other writers may not)."""
    data = packed if isinstance(packed, bytes) else bytes(packed)
    kinds = [(_NON_FINITE_FLOAT64, 0xCB)]
    if float32:
        kinds.append((_NON_FINITE_FLOAT32, 0xCA))
    for needles, marker in kinds:
        for needle in needles:
            index = data.find(needle)
            while index != -1:
                if index and data[index - 1] == marker:
                    return True
                index = data.find(needle, index + 1)
    return False


_VERIFY_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def reject_value(value: Any) -> Any:
    """orjson ``default`` hook: nothing outside the JSON value model is encoded."""
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def json_value_problem(parts: Any) -> tuple[str, str] | None:
    """Fast check that ``parts`` holds only JSON values (NaN and infinities not included:
    orjson writes them as null); on a failure the exact place is looked up."""
    try:
        orjson.dumps(parts, option=_VERIFY_OPTIONS, default=reject_value)
    except TypeError as exc:
        return find_invalid_value(parts) or ("$", str(exc))
    return None


def verify_decoded_values(doc: SnapshotDoc, packed: bytes | memoryview) -> None:
    """Check the free-form values of a document decoded from msgpack ``packed``."""
    parts = value_parts(doc)
    problem = json_value_problem(parts)
    if problem is None and has_non_finite_float(packed):
        problem = find_invalid_value(parts)
    if problem is not None:
        raise SnapshotDecodeError(f"invalid snapshot: {problem[0]} {problem[1]}")


# --- parts known to hold only JSON values ----------------------------------------------------

CHECKED_WHEN_DECODED: tuple[str, ...] = (*DATA_FIELDS, "counter", "cache")
"""The fields whose values a decoded snapshot holds as read (JSON values, finite numbers)."""

_CHECKED: dict[int, dict[str, tuple[int, int]]] = {}


def _identity(value: Any) -> tuple[int, int]:
    return id(value), len(value) if isinstance(value, list | dict) else -1


def mark_checked(snap: Snapshot, fields: tuple[str, ...]) -> None:
    """Record that the values of ``fields`` of ``snap`` are JSON values with finite numbers
    (they were read from bytes, or made by the engine, which refuses anything else), so
    encoding need not check them again while the snapshot holds the same values (a snapshot
    is read-only; a list or dict of another length is checked again)."""
    key = id(snap)
    if key not in _CHECKED:
        weakref.finalize(snap, _CHECKED.pop, key, None)
    _CHECKED[key] = {name: _identity(getattr(snap, name)) for name in fields}


def checked_fields(snap: Snapshot) -> frozenset[str]:
    """The fields of ``snap`` recorded by :func:`mark_checked` that still hold those values."""
    marks = _CHECKED.get(id(snap))
    if not marks:
        return frozenset()
    return frozenset(name for name, mark in marks.items() if _identity(getattr(snap, name)) == mark)


def unchecked_parts(snap: Snapshot, doc: dict[str, Any]) -> dict[str, Any]:
    """The parts of ``doc`` (the document of ``snap``) not known to be checked already."""
    checked = checked_fields(snap)
    if not checked:
        return doc
    return {key: value for key, value in doc.items() if key not in checked}


def raise_invalid_value(doc: Any, *, fallback: str) -> None:
    """Raise :class:`SnapshotEncodeError` for the first invalid value in ``doc``."""
    found = find_invalid_value(doc)
    if found is not None:
        raise SnapshotEncodeError(f"cannot encode snapshot: {found[0]} {found[1]}")
    raise SnapshotEncodeError(f"cannot encode snapshot: {fallback}")


# --- model <-> document ----------------------------------------------------------------------


def snapshot_to_document(snap: Snapshot) -> dict[str, Any]:
    """The document of a snapshot (values are shared, not copied)."""
    return {
        "version": FORMAT_VERSION,
        "snapshot_time": format_time(snap.snapshot_time),
        "workflow_id": snap.workflow_id,
        "execution_id": snap.execution_id,
        "nodes": snap.nodes,
        "edges": snap.edges,
        "results": snap.results,
        "completed_nodes": snap.completed_nodes,
        "skipped_nodes": snap.skipped_nodes,
        "current_level": snap.current_level,
        "pending_nodes": snap.pending_nodes,
        "failed_node": snap.failed_node,
        "status": snap.status,
        "variables": snap.variables,
        "accumulator": snap.accumulator,
        "counter": snap.counter,
        "cache": {
            key: {"value": entry.value, "expiration": format_time(entry.expiration)}
            for key, entry in snap.cache.items()
        },
        "context_vars": snap.context_vars,
        "context_consts": snap.context_consts,
        "node_execution_count": snap.node_execution_count,
        "http_call_count": snap.http_call_count,
        "config": config_to_document(snap.config),
        "random_seed": snap.random_seed,
        "http_recordings": snap.http_recordings,
    }


def _has_only_str(items: list[dict[str, Any]], key: str) -> bool:
    """Whether every item has a string under ``key`` (C-speed loops over large lists)."""
    try:
        return set(map(type, map(itemgetter(key), items))) <= {str}
    except KeyError:
        return False


def _check_definition(doc: SnapshotDoc) -> None:
    checks = [
        ("nodes", doc.nodes, "id"),
        ("edges", doc.edges, "source"),
        ("edges", doc.edges, "target"),
    ]
    for name, items, key in checks:
        if _has_only_str(items, key):
            continue
        for index, item in enumerate(items):
            if type(item.get(key)) is not str:
                raise SnapshotDecodeError(
                    f"invalid snapshot: $.{name}[{index}].{key}: expected a string node id, "
                    f"got {item.get(key)!r}"
                )


def value_parts(doc: SnapshotDoc) -> dict[str, Any]:
    """The free-form (JSON value) parts of a document, keyed as in the document."""
    return {
        "nodes": doc.nodes,
        "edges": doc.edges,
        "results": doc.results,
        "variables": doc.variables,
        "accumulator": doc.accumulator,
        "cache": {key: {"value": entry.value} for key, entry in doc.cache.items()},
        "context_vars": doc.context_vars,
        "context_consts": doc.context_consts,
        "config": doc.config,
        "http_recordings": doc.http_recordings,
    }


def snapshot_from_struct(doc: SnapshotDoc) -> Snapshot:
    """Build the model from a validated current-version document."""
    if doc.version != FORMAT_VERSION:  # pragma: no cover - callers migrate first
        raise SnapshotDecodeError(f"invalid snapshot: version {doc.version!r} is not migrated")
    if not doc.execution_id:
        raise SnapshotDecodeError("invalid snapshot: missing execution_id")
    _check_definition(doc)
    cache = {
        key: SnapshotCacheEntry.model_construct(
            value=entry.value, expiration=entry.expiration.astimezone(UTC)
        )
        for key, entry in doc.cache.items()
    }
    return Snapshot.model_construct(
        version=FORMAT_VERSION,
        snapshot_time=doc.snapshot_time.astimezone(UTC),
        counter=doc.counter,
        cache=cache,
        config=config_from_document(doc.config, where="config"),
        **{name: getattr(doc, name) for name in DATA_FIELDS},
    )


def struct_from_document(obj: Any) -> SnapshotDoc:
    """Migrate a decoded document of any supported version and validate it."""
    if not isinstance(obj, dict):
        kind = "array" if isinstance(obj, list) else type(obj).__name__
        raise SnapshotDecodeError(f"invalid snapshot: expected an object at the top, got {kind}")
    migrated = migrate(obj)
    try:
        return msgspec.convert(migrated, SnapshotDoc)
    except msgspec.ValidationError as exc:
        raise SnapshotDecodeError(f"invalid snapshot: {describe_validation_error(exc)}") from None


def snapshot_from_document(obj: Any) -> Snapshot:
    """A :class:`Snapshot` from a decoded document (a dict) of any supported version.

    Values inside the document must be JSON values; they are checked here (a dict built in
    Python may hold anything).
    """
    doc = struct_from_document(obj)
    found = find_invalid_value(value_parts(doc))
    if found is not None:
        raise SnapshotDecodeError(f"invalid snapshot: {found[0]} {found[1]}")
    return snapshot_from_struct(doc)


__all__ = [
    "CHECKED_WHEN_DECODED",
    "MAX_DEPTH",
    "CacheEntryDoc",
    "SnapshotDoc",
    "checked_fields",
    "child_path",
    "describe_validation_error",
    "find_invalid_value",
    "has_non_finite_float",
    "json_value_problem",
    "mark_checked",
    "raise_invalid_value",
    "reject_value",
    "snapshot_from_document",
    "snapshot_from_struct",
    "snapshot_to_document",
    "struct_from_document",
    "unchecked_parts",
    "value_parts",
    "verify_decoded_values",
]
