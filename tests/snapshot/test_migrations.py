"""Reading older formats: the Go engine's 1.0.0 snapshots, frozen samples, the migration table."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.errors import SnapshotDecodeError, SnapshotVersionError
from pytest_wfsnap.snapshot import (
    FORMAT_VERSION,
    MIGRATIONS,
    SUPPORTED_VERSIONS,
    decode_snapshot,
    migrate,
    serialize_snapshot,
    snapshot_from_document,
)
from pytest_wfsnap.snapshot.migrations import (
    go_execution_order,
    to_floats,
    utc_text,
    v1_to_v2,
    v2_to_v2_1,
)
from tests.snapshot.support import GO_SNAPSHOTS, VERSIONS


def load_go(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((GO_SNAPSHOTS / name).read_text())
    return doc


def test_supported_versions_and_table() -> None:
    assert SUPPORTED_VERSIONS == ("1.0.0", "2.0.0", "2.1.0")
    assert SUPPORTED_VERSIONS[-1] == FORMAT_VERSION
    assert MIGRATIONS["1.0.0"].target == "2.0.0"
    assert MIGRATIONS["2.0.0"].target == "2.1.0"


def test_go_completed_snapshot() -> None:
    snap = decode_snapshot((GO_SNAPSHOTS / "completed_complex.json").read_bytes())
    assert snap.version == "2.1.0"
    assert snap.pending_nodes == []  # every node decided
    assert snap.workflow_id == "complex-test"
    assert snap.execution_id == "5f1c9a07d2e4b318"
    # 17:00:00.482913571+01:00, in UTC, rounded to the microsecond
    assert snap.snapshot_time == datetime(2025, 11, 1, 16, 0, 0, 482914, tzinfo=UTC)
    assert snap.completed_nodes == ["1", "2", "3", "4"]
    assert snap.skipped_nodes == []
    assert snap.current_level == 4
    assert snap.status == "completed"
    assert snap.failed_node is None and snap.random_seed is None and snap.http_recordings == {}
    assert snap.results == {
        "1": 10.0,
        "2": {"operation": "set", "value": 10.0, "var_name": "x"},
        "3": {"operation": "increment", "value": 1.0},
        "4": {"operation": "increment", "value": 1.0},
    }
    assert type(snap.results["1"]) is float
    assert type(snap.results["2"]["value"]) is float
    assert snap.variables == {"x": 10.0} and type(snap.variables["x"]) is float
    assert snap.nodes[0] == {"id": "1", "type": "number", "data": {"value": 10.0}}
    assert type(snap.nodes[0]["data"]["value"]) is float
    assert snap.counter == 1.0 and snap.accumulator is None
    assert snap.node_execution_count == 4 and snap.http_call_count == 0
    assert snap.config == Config()
    assert snap.cache == {}


def test_go_mid_run_snapshot() -> None:
    snap = decode_snapshot((GO_SNAPSHOTS / "mid_run_orders.json").read_bytes())
    assert snap.completed_nodes == ["n1", "n2", "n5", "n3", "n4"]
    assert snap.current_level == 5
    assert snap.skipped_nodes == []
    assert snap.status == "paused"
    assert snap.accumulator == 5.0 and type(snap.accumulator) is float
    assert snap.counter == 0.0
    assert snap.context_consts == {"region": "eu"}
    assert snap.node_execution_count == 5
    entry = snap.cache["price"]
    assert entry.value == 7.0 and type(entry.value) is float
    assert entry.expiration == datetime(2025, 11, 1, 17, 29, 59, 987654, tzinfo=UTC)
    # 30 minutes after snapshot_time the entry has 29m59.864197s left (the Go sample's
    # 29m59.864197532s at microsecond precision)
    remaining = entry.expiration - (snap.snapshot_time + timedelta(minutes=30))
    assert remaining == timedelta(minutes=29, seconds=59, microseconds=864197)


def test_go_sample_reserializes_in_the_current_format() -> None:
    snap = decode_snapshot((GO_SNAPSHOTS / "mid_run_orders.json").read_bytes())
    doc = json.loads(serialize_snapshot(snap))
    assert doc["version"] == "2.1.0"
    assert doc["pending_nodes"] == [
        node_id
        for node_id in go_execution_order(doc["nodes"], doc["edges"]) or []
        if node_id not in doc["completed_nodes"] and node_id not in doc["skipped_nodes"]
    ]
    assert doc["pending_nodes"]  # a run paused midway
    assert doc["cache"]["price"] == {"expiration": "2025-11-01T17:29:59.987654Z", "value": 7.0}
    assert doc["config"]["max_execution_time"] == 300_000_000_000
    assert "MaxExecutionTime" not in doc["config"]
    assert doc["snapshot_time"] == "2025-11-01T16:30:00.123457Z"
    assert decode_snapshot(serialize_snapshot(snap)) == snap


def test_frozen_v1_sample() -> None:
    snap = decode_snapshot((VERSIONS / "v1.0.0.json").read_bytes())
    assert snap.workflow_id == "routing-v1"
    assert snap.execution_id == "0badc0de12345678"
    assert snap.snapshot_time == datetime(2025, 12, 24, 13, 15, 30, 123457, tzinfo=UTC)
    # execution order c1, n1, cond, no, yes, fin: "no" was skipped before "yes" ran
    assert snap.completed_nodes == ["c1", "n1", "cond", "yes"]
    assert snap.skipped_nodes == ["no"]
    assert snap.current_level == 5
    assert snap.status == "paused"
    assert snap.results["n1"] == 42.0 and type(snap.results["n1"]) is float
    assert snap.results["cond"]["condition_met"] is True
    assert snap.variables == {"seen": 3.0}
    assert snap.counter == 2.0
    assert snap.context_vars == {"tier": "gold"}
    big = snap.cache["big"]
    assert big.value["value"] == 42.0 and type(big.value["value"]) is float
    assert big.expiration == datetime(2025, 12, 24, 13, 45, 30, 23457, tzinfo=UTC)
    assert snap.config.allow_http is True
    assert snap.config.allowed_domains is None and snap.config.allowed_url_patterns is None
    assert snap.config.max_execution_time == timedelta(minutes=1)
    assert snap.config.max_iterations == 10000
    assert snap.edges[1] == {"id": "", "source": "cond", "target": "no", "sourceHandle": "false"}


def _check_v2_sample(snap: Any) -> None:
    assert snap.workflow_id == "orders-ü"
    assert snap.snapshot_time == datetime(2026, 3, 1, 9, 30, 0, 250000, tzinfo=UTC)
    assert snap.completed_nodes == ["in", "cond", "yes", "api"]
    assert snap.skipped_nodes == ["no"]
    assert (snap.current_level, snap.status, snap.failed_node) == (5, "failed", "custom")
    assert snap.random_seed == 1234567890123
    assert snap.results["cond"]["count"] == 3 and type(snap.results["cond"]["count"]) is int
    assert snap.results["in"] == 10.0 and type(snap.results["in"]) is float
    assert snap.variables["list"] == [1, 2.0, "three"]
    assert [type(v) for v in snap.variables["list"]] == [int, float, str]
    assert snap.nodes[5]["data"] == {"anything": [1, 2.5, {"k": None}]}
    assert snap.cache["price"].expiration == datetime(2026, 3, 1, 10, 29, 0, 250000, tzinfo=UTC)
    assert snap.config.default_backoff == timedelta(microseconds=1500)
    assert snap.config.allowed_domains == ["example.com"]
    assert snap.http_recordings["api"]["body"]["price"] == 9.99


def test_frozen_v2_sample_reads_and_rewrites_as_the_v2_1_sample() -> None:
    data = (VERSIONS / "v2.0.0.json").read_bytes()
    snap = decode_snapshot(data)
    _check_v2_sample(snap)
    assert snap.pending_nodes == ["custom"]  # the one node left (it failed: run again)
    assert serialize_snapshot(snap) == (VERSIONS / "v2.1.0.json").read_bytes()


def test_frozen_v2_1_sample_reads_and_rewrites_byte_for_byte() -> None:
    data = (VERSIONS / "v2.1.0.json").read_bytes()
    snap = decode_snapshot(data)
    _check_v2_sample(snap)
    assert snap.pending_nodes == ["custom"]
    assert serialize_snapshot(snap) == data


def test_migration_is_pure() -> None:
    doc = load_go("mid_run_orders.json")
    before = copy.deepcopy(doc)
    migrated = v1_to_v2(doc)
    assert doc == before
    assert migrated is not doc
    assert migrated["version"] == "2.0.0"
    assert migrated["cache"]["price"] == {
        "value": 7.0,
        "expiration": "2025-11-01T17:29:59.987654321Z",
    }
    assert migrated["config"]["max_http_calls_per_exec"] == 100
    assert migrated["snapshot_time"] == "2025-11-01T16:30:00.123456789Z"


def test_v2_migration_adds_pending_nodes_and_is_pure() -> None:
    doc = json.loads((VERSIONS / "v2.0.0.json").read_bytes())
    before = copy.deepcopy(doc)
    migrated = v2_to_v2_1(doc)
    assert doc == before and migrated is not doc
    assert migrated == {**doc, "version": "2.1.0", "pending_nodes": ["custom"]}
    assert migrate(doc)["version"] == FORMAT_VERSION
    not_started = {**doc, "completed_nodes": [], "skipped_nodes": [], "status": "pending"}
    assert v2_to_v2_1(not_started)["pending_nodes"] is None  # never ordered
    cycle = {**doc, "edges": [*doc["edges"], {"id": "x", "source": "api", "target": "in"}]}
    assert v2_to_v2_1(cycle)["pending_nodes"] is None  # no order: reported when resumed


def test_current_documents_are_not_migrated() -> None:
    doc = {"version": FORMAT_VERSION, "execution_id": "x"}
    assert migrate(doc) is doc


def test_seed_document_spelling_of_cache_entries_is_accepted() -> None:
    doc = load_go("mid_run_orders.json")
    doc["cache"] = {"k": {"value": 1, "expiration": "2025-11-01T18:00:00Z"}}
    snap = snapshot_from_document(doc)
    assert snap.cache["k"].value == 1.0
    assert snap.cache["k"].expiration == datetime(2025, 11, 1, 18, tzinfo=UTC)


def test_go_nulls_become_empty() -> None:
    doc = load_go("completed_complex.json")
    doc.update(variables=None, context_vars=None, cache=None, config=None, completed_nodes=None)
    snap = snapshot_from_document(doc)
    assert snap.variables == {} and snap.context_vars == {} and snap.cache == {}
    assert snap.config == Config()
    assert snap.completed_nodes == ["1", "2", "3", "4"]  # taken from the results


def test_unorderable_workflow_keeps_sorted_ids_and_level_zero() -> None:
    doc = load_go("completed_complex.json")
    doc["edges"].append({"id": "", "source": "4", "target": "1"})  # a cycle
    snap = snapshot_from_document(doc)
    assert snap.completed_nodes == ["1", "2", "3", "4"]
    assert snap.current_level == 0 and snap.skipped_nodes == [] and snap.status == "paused"


def test_unknown_completed_ids_go_last() -> None:
    doc = load_go("mid_run_orders.json")
    doc["completed_nodes"] = ["zz", "n2", "n1", "aa"]
    snap = snapshot_from_document(doc)
    assert snap.completed_nodes == ["n1", "n2", "aa", "zz"]
    assert snap.current_level == 2


def test_go_execution_order() -> None:
    nodes = [{"id": i} for i in ("2", "10", "a", "b", "c")]
    edges = [
        {"source": "a", "target": "c"},
        {"source": "2", "target": "b"},
        {"source": "b", "target": "c"},
    ]
    # orphans sorted byte-wise ("10" < "2" < "a"), then FIFO
    assert go_execution_order(nodes, edges) == ["10", "2", "a", "b", "c"]
    assert go_execution_order(nodes, [{"source": "a", "target": "ghost"}]) is None
    assert go_execution_order([{"id": "a"}, {"id": "a"}], []) is None  # duplicate ids
    assert go_execution_order([{"id": 1}], []) is None


def test_to_floats_and_utc_text() -> None:
    value = {"a": 1, "b": [2, True, None, "3", 4.5, {"c": -7}]}
    assert to_floats(value) == {"a": 1.0, "b": [2.0, True, None, "3", 4.5, {"c": -7.0}]}
    floats = to_floats(value)
    assert type(floats["b"][1]) is bool and type(floats["b"][5]["c"]) is float
    assert utc_text("2025-11-01T00:30:00.5-02:00") == "2025-11-01T02:30:00.5Z"
    assert utc_text("2025-11-01T00:30:00+01:00") == "2025-10-31T23:30:00Z"
    assert utc_text("2025-11-01T00:30:00Z") == "2025-11-01T00:30:00Z"
    assert utc_text("yesterday") == "yesterday"
    assert utc_text(5) == 5


@pytest.mark.parametrize(
    ("version", "error", "message"),
    [
        (None, SnapshotVersionError, "invalid snapshot: missing version"),
        ("", SnapshotVersionError, "invalid snapshot: missing version"),
        (1, SnapshotVersionError, "version must be a string"),
        (
            "3.0.0",
            SnapshotVersionError,
            r"unsupported snapshot version: 3\.0\.0 \(expected 1\.0\.0\); "
            r"this release reads versions 1\.0\.0, 2\.0\.0, 2\.1\.0 ",
        ),
        ("0.9", SnapshotVersionError, "unsupported snapshot version: 0.9"),
    ],
)
def test_bad_versions(version: Any, error: type[Exception], message: str) -> None:
    doc = load_go("completed_complex.json")
    if version is None:
        del doc["version"]
    else:
        doc["version"] = version
    with pytest.raises(error, match=message):
        decode_snapshot(json.dumps(doc))
    with pytest.raises(error, match=r"^failed to deserialize snapshot: "):
        decode_snapshot(json.dumps(doc))


@pytest.mark.parametrize("execution_id", [None, ""])
def test_missing_execution_id(execution_id: str | None) -> None:
    for doc in (
        load_go("completed_complex.json"),
        json.loads(
            serialize_snapshot(
                decode_snapshot((GO_SNAPSHOTS / "completed_complex.json").read_bytes())
            )
        ),
    ):
        if execution_id is None:
            del doc["execution_id"]
        else:
            doc["execution_id"] = execution_id
        with pytest.raises(SnapshotDecodeError, match="invalid snapshot: missing execution_id"):
            decode_snapshot(json.dumps(doc))


def test_go_type_errors_name_the_field() -> None:
    doc = load_go("completed_complex.json")
    doc["node_execution_count"] = "four"
    with pytest.raises(SnapshotDecodeError, match=r"\$\.node_execution_count: expected `int`"):
        decode_snapshot(json.dumps(doc))
