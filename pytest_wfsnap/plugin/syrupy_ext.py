"""A syrupy extension for workflow ``Result`` and ``Snapshot`` objects.

Usage (syrupy's ``snapshot`` fixture, ``--snapshot-update`` as usual)::

    from pytest_wfsnap.plugin.syrupy_ext import WorkflowSnapshotExtension

    @pytest.fixture
    def snapshot(snapshot):
        return snapshot.use_extension(WorkflowSnapshotExtension)

    def test_orders(snapshot):
        result = engine.new(payload).execute()
        assert result == snapshot

Each assertion is one ``.json`` file in syrupy's ``__snapshots__/<test file>/`` directory (syrupy's
JSON extension machinery: location, naming, reporting, unused detection). Workflow objects are
stored as stable, normalised JSON: the execution id, the snapshot time and the random seed are
left out, and cache expirations are written as whole seconds remaining at the snapshot time, so a
re-run of an unchanged workflow compares equal. Files are written atomically.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from syrupy.data import SnapshotCollection
from syrupy.extensions.json import JSONSnapshotExtension
from syrupy.types import PropertyFilter, PropertyMatcher, SerializableData, SerializedData

from pytest_wfsnap import engine
from pytest_wfsnap.engine.result import Result
from pytest_wfsnap.snapshot import Snapshot
from pytest_wfsnap.storage.atomic import atomic_write_bytes

VOLATILE_RESULT_KEYS = frozenset({"execution_id"})
VOLATILE_SNAPSHOT_KEYS = frozenset({"execution_id", "snapshot_time", "random_seed"})


def _parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def stable_snapshot(snap: Snapshot) -> dict[str, Any]:
    """A snapshot document without volatile values (cache TTLs relative to the snapshot)."""
    doc: dict[str, Any] = json.loads(engine.serialize_snapshot(snap))
    taken = _parse_time(doc.get("snapshot_time"))
    cache = doc.get("cache")
    if isinstance(cache, dict):
        stable_cache: dict[str, Any] = {}
        for key, entry in cache.items():
            if isinstance(entry, dict) and "expiration" in entry:
                expires = _parse_time(entry["expiration"])
                entry = {k: v for k, v in entry.items() if k != "expiration"}
                if expires is not None and taken is not None:
                    entry["expires_in_seconds"] = round((expires - taken).total_seconds())
            stable_cache[key] = entry
        doc["cache"] = stable_cache
    return {k: v for k, v in doc.items() if k not in VOLATILE_SNAPSHOT_KEYS}


def stable_result(result: Result) -> dict[str, Any]:
    doc: dict[str, Any] = result.model_dump(mode="json")
    return {k: v for k, v in doc.items() if k not in VOLATILE_RESULT_KEYS}


def to_stable(data: Any) -> Any:
    """Replace workflow objects (anywhere inside lists, tuples and dicts) by stable JSON."""
    if isinstance(data, Snapshot):
        return stable_snapshot(data)
    if isinstance(data, Result):
        return stable_result(data)
    if isinstance(data, BaseModel):
        return data.model_dump(mode="json")
    if isinstance(data, dict):
        return {k: to_stable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [to_stable(v) for v in data]
    return data


class WorkflowSnapshotExtension(JSONSnapshotExtension):
    """syrupy's JSON extension, taught to store workflow Results and Snapshots stably."""

    def serialize(
        self,
        data: SerializableData,
        *,
        exclude: PropertyFilter | None = None,
        include: PropertyFilter | None = None,
        matcher: PropertyMatcher | None = None,
    ) -> SerializedData:
        return super().serialize(to_stable(data), exclude=exclude, include=include, matcher=matcher)

    @classmethod
    def write_snapshot_collection(
        cls,
        *,
        snapshot_collection: SnapshotCollection,
        name_order: dict[str, int] | None = None,
    ) -> None:
        data = next(iter(snapshot_collection)).data
        if not isinstance(data, str):
            raise TypeError(f"expected serialized text, got {type(data).__name__}")
        target = Path(snapshot_collection.location)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data.encode(cls.get_write_encoding() or "utf-8"))


__all__ = ["WorkflowSnapshotExtension", "stable_result", "stable_snapshot", "to_stable"]
