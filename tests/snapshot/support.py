"""Snapshots used by the snapshot-format tests, and a type-exact comparison."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.snapshot import Snapshot, SnapshotCacheEntry

DATA = Path(__file__).resolve().parents[1] / "data"
GO_SNAPSHOTS = DATA / "go_snapshots"
VERSIONS = DATA / "snapshot_versions"

T0 = datetime(2026, 3, 1, 9, 30, 0, 250000, tzinfo=UTC)


def rich_snapshot(**changes: Any) -> Snapshot:
    """A snapshot using every field, with ints and floats, unicode and nested values."""
    fields: dict[str, Any] = {
        "snapshot_time": T0,
        "workflow_id": "orders-ü",
        "execution_id": "a1b2c3d4e5f60708",
        "nodes": [
            {"id": "in", "type": "number", "data": {"value": 10.0}},
            {"id": "cond", "type": "condition", "data": {"condition": ">5"}},
            {"id": "yes", "type": "text_input", "data": {"text": "große Bestellung"}},
            {"id": "no", "type": "text_input", "data": {"text": "small"}},
            {"id": "api", "type": "http", "data": {"url": "https://example.com/x"}},
            {"id": "custom", "type": "my_node", "data": {"anything": [1, 2.5, {"k": None}]}},
        ],
        "edges": [
            {"id": "e1", "source": "in", "target": "cond"},
            {"id": "e2", "source": "cond", "target": "yes", "sourceHandle": "true"},
            {"id": "e3", "source": "cond", "target": "no", "sourceHandle": "false"},
            {"id": "e4", "source": "yes", "target": "api"},
        ],
        "results": {
            "in": 10.0,
            "cond": {"condition_met": True, "value": 10.0, "true_path": True, "count": 3},
            "yes": "große Bestellung",
            "api": {"status": 200, "body": {"items": [1, 2, 3], "price": 9.99}, "ok": None},
        },
        "completed_nodes": ["in", "cond", "yes", "api"],
        "skipped_nodes": ["no"],
        "current_level": 5,
        "pending_nodes": ["custom"],
        "failed_node": "custom",
        "status": "failed",
        "variables": {"x": 10.0, "n": 3, "list": [1, 2.0, "three"], "flag": False},
        "accumulator": [1.5, 2.5],
        "counter": 2.0,
        "cache": {
            "price": SnapshotCacheEntry(value=7.0, expiration=T0 + timedelta(minutes=59)),
            "blob": SnapshotCacheEntry(value={"a": [1, {"b": 2.0}]}, expiration=T0),
        },
        "context_vars": {"env": "prod", "retries": 2},
        "context_consts": {"region": "eu", "pi": 3.14159},
        "node_execution_count": 5,
        "http_call_count": 1,
        "config": Config(
            allow_http=True,
            allowed_domains=["example.com"],
            allowed_url_patterns=None,
            max_execution_time=timedelta(seconds=90),
            default_backoff=timedelta(milliseconds=1, microseconds=500),
        ),
        "random_seed": 1234567890123,
        "http_recordings": {"api": {"status": 200, "body": {"items": [1, 2, 3], "price": 9.99}}},
    }
    fields.update(changes)
    return Snapshot(**fields)


def typed(value: Any) -> Any:
    """``value`` with every scalar tagged by its exact type, so that 1 and 1.0 differ."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def assert_same(a: Snapshot, b: Snapshot) -> None:
    """Equal snapshots, with every value of the same Python type."""
    assert a == b
    assert typed(a.model_dump()) == typed(b.model_dump())
