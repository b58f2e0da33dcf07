"""The snapshot API of the engine (ENGINE.md A2/A3): save, serialize, deserialize, load, resume."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine import snapshots
from pytest_wfsnap.engine.checkpoints import enable_checkpoints, recover
from pytest_wfsnap.engine.registry import NodeContext
from pytest_wfsnap.errors import (
    ConfigError,
    SnapshotDecodeError,
    SnapshotError,
    SnapshotLoadError,
    SnapshotVersionError,
    StorageError,
)
from pytest_wfsnap.snapshot import FORMAT_VERSION, SUPPORTED_VERSIONS, Snapshot
from pytest_wfsnap.storage import CheckpointPolicy, FileSystemStore, MemoryStore
from tests.engine import support

GO_SNAPSHOTS = Path(__file__).resolve().parents[1] / "data" / "go_snapshots"
T0 = datetime(2025, 11, 1, 16, 0, tzinfo=UTC)


class Starts(support.Starts):
    """An observer counting node_start events per node (across engines)."""

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.order)


def node(node_id: str, node_type: str | None = None, **data: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node_id, "data": data}
    if node_type is not None:
        out["type"] = node_type
    return out


def edge(source: str, target: str, handle: str | None = None) -> dict[str, Any]:
    out = {"source": source, "target": target}
    if handle is not None:
        out["sourceHandle"] = handle
    return out


STATEFUL = {
    "workflow_id": "stateful",
    "nodes": [
        node("a", value=4),
        node("b", value=6),
        node("sum", "operation", op="add"),
        node("acc", "accumulator", accum_op="sum"),
        node("cnt", "counter", counter_op="increment", delta=1),
        node("var", "variable", var_name="total", var_op="set"),
        node("cache", "cache", cache_op="set", cache_key="k", ttl="1h"),
        node(
            "ctx",
            "context_constant",
            context_values=[{"name": "region", "value": "eu", "type": "string"}],
        ),
        node("out", "visualization", mode="text"),
    ],
    "edges": [
        edge("a", "sum"),
        edge("b", "sum"),
        edge("sum", "acc"),
        edge("acc", "cnt"),
        edge("sum", "var"),
        edge("sum", "cache"),
        edge("var", "out"),
    ],
}


def fixed_clock(moment: datetime = T0) -> Any:
    return lambda: moment


def roundtrip(snap: Snapshot) -> Snapshot:
    return snapshots.deserialize_snapshot(snapshots.serialize_snapshot(snap))


def test_save_serialize_load_and_resume_without_rerunning_nodes() -> None:
    starts = Starts()
    eng = engine.new(STATEFUL, clock=fixed_clock(), observers=[starts])
    paused = eng.execute(stop_after="sum")
    assert paused.status == "paused" and set(paused.node_results) == {"a", "b", "ctx", "sum"}
    data = snapshots.serialize_snapshot(eng.save_snapshot())
    assert data.startswith(b"{\n  ") and json.loads(data)["version"] == FORMAT_VERSION
    snap = snapshots.deserialize_snapshot(data)
    assert snap.execution_id == eng.execution_id and snap.workflow_id == "stateful"
    assert snap.completed_nodes == ["a", "b", "ctx", "sum"] and snap.status == "paused"
    restored = snapshots.load_snapshot(snap, None, clock=fixed_clock(), observers=[starts])
    assert restored.execution_id == eng.execution_id
    assert restored.node_execution_count == 4
    result = restored.execute()
    assert result.status == "completed"
    assert max(starts.counts.values()) == 1  # no node ran twice across both halves
    straight = engine.new(STATEFUL, clock=fixed_clock())
    expected = straight.execute()
    assert result.node_results == expected.node_results
    assert result.final_output == expected.final_output
    assert restored.node_execution_count == straight.node_execution_count == 9
    assert restored.state.variables() == {"total": 10.0}
    assert restored.state.get_counter() == 1.0 and restored.state.get_accumulator() == 10.0
    assert restored.state.context_consts() == {"region": "eu"}


def test_execute_from_snapshot_and_counters_continue() -> None:
    eng = engine.new(STATEFUL, clock=fixed_clock())
    eng.execute(stop_before="cnt")
    snap = eng.save_snapshot()
    result = snapshots.execute_from_snapshot(snap, clock=fixed_clock())
    assert result.node_results["cnt"] == {"operation": "increment", "value": 1.0}
    again = snapshots.load_snapshot(snap, clock=fixed_clock())
    again.execute()
    assert again.node_execution_count == 9  # 7 before the snapshot + 2 after, not 7 + 9


def test_snapshot_is_a_deep_copy() -> None:
    eng = engine.new(STATEFUL, clock=fixed_clock())
    eng.execute(stop_after="var")
    snap = eng.save_snapshot()
    before = snapshots.serialize_snapshot(snap)
    eng.execute()
    assert snapshots.serialize_snapshot(snap) == before
    assert "out" not in snap.results and snap.variables == {"total": 10.0}


def test_load_accepts_bytes_and_documents() -> None:
    eng = engine.new(STATEFUL, clock=fixed_clock())
    eng.execute(stop_after="b")
    data = snapshots.serialize_snapshot(eng.save_snapshot())
    from_bytes = snapshots.load_snapshot(data, clock=fixed_clock())
    from_doc = snapshots.load_snapshot(json.loads(data), clock=fixed_clock())
    assert from_bytes.execute().node_results == from_doc.execute().node_results


def test_binary_compressed_and_encrypted_serialization_round_trip() -> None:
    eng = engine.new(STATEFUL, clock=fixed_clock())
    eng.execute(stop_after="acc")
    snap = eng.save_snapshot()
    key = "A" * 43 + "="
    data = snapshots.serialize_snapshot(
        snap, format="msgpack", compression="zstd", encryption_keys=key
    )
    assert data.startswith(b"WFSE")
    back = snapshots.deserialize_snapshot(data, keys=key)
    assert back == snap


# --- errors ---------------------------------------------------------------------------------


def _document() -> dict[str, Any]:
    eng = engine.new(STATEFUL, clock=fixed_clock())
    eng.execute(stop_after="sum")
    loaded: dict[str, Any] = json.loads(snapshots.serialize_snapshot(eng.save_snapshot()))
    return loaded


def test_not_json_is_a_deserialize_error() -> None:
    with pytest.raises(SnapshotDecodeError, match=r"^failed to deserialize snapshot: not a snap"):
        snapshots.deserialize_snapshot(b"not json at all")
    with pytest.raises(SnapshotDecodeError, match="failed to deserialize snapshot: not valid JSON"):
        snapshots.deserialize_snapshot(b'{"version": "2.0.0",')


def test_missing_version() -> None:
    doc = _document()
    del doc["version"]
    with pytest.raises(SnapshotVersionError) as raised:
        snapshots.deserialize_snapshot(json.dumps(doc))
    assert str(raised.value) == "failed to deserialize snapshot: invalid snapshot: missing version"


def test_unsupported_version_names_the_supported_ones() -> None:
    doc = _document()
    doc["version"] = "99.99.99"
    with pytest.raises(SnapshotVersionError) as raised:
        snapshots.deserialize_snapshot(json.dumps(doc))
    message = str(raised.value)
    assert message.startswith("failed to deserialize snapshot: unsupported snapshot version: 99")
    assert all(version in message for version in SUPPORTED_VERSIONS)


def test_missing_execution_id() -> None:
    doc = _document()
    del doc["execution_id"]
    with pytest.raises(SnapshotDecodeError, match="invalid snapshot: missing execution_id"):
        snapshots.deserialize_snapshot(json.dumps(doc))


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("results", [], "$.results"),
        ("node_execution_count", "five", "$.node_execution_count"),
        ("completed_nodes", "a", "$.completed_nodes"),
        ("counter", "x", "$.counter"),
        ("nodes", [{"id": 5, "data": {}}], "$.nodes[0].id"),
    ],
)
def test_wrong_field_types_name_the_field(field: str, value: Any, where: str) -> None:
    doc = _document()
    doc[field] = value
    with pytest.raises(SnapshotDecodeError) as raised:
        snapshots.deserialize_snapshot(json.dumps(doc))
    assert str(raised.value).startswith("failed to deserialize snapshot: invalid snapshot: ")
    assert where in str(raised.value)


def test_node_that_does_not_decode_is_a_snapshot_error() -> None:
    doc = _document()
    doc["nodes"][0] = {"id": "a", "type": "number", "data": {"value": "four"}}
    with pytest.raises(SnapshotDecodeError) as raised:
        snapshots.deserialize_snapshot(json.dumps(doc))
    assert str(raised.value).startswith(
        "failed to deserialize snapshot: invalid snapshot: failed to unmarshal data for node a "
        "(type number): "
    )


def test_load_errors() -> None:
    with pytest.raises(SnapshotLoadError, match=r"^snapshot cannot be nil$"):
        snapshots.load_snapshot(None)
    with pytest.raises(
        SnapshotLoadError, match=r"^failed to load snapshot: snapshot cannot be nil"
    ):
        snapshots.execute_from_snapshot(None)
    snap = snapshots.deserialize_snapshot(json.dumps(_document()))
    old = snap.model_copy(update={"version": "1.0.0"})
    with pytest.raises(SnapshotVersionError, match=r"unsupported snapshot version: 1\.0\.0"):
        snapshots.load_snapshot(old)
    with pytest.raises(SnapshotVersionError, match=r"^failed to load snapshot: unsupported"):
        snapshots.execute_from_snapshot(old)
    broken = snap.model_copy(update={"nodes": [{"id": "a", "type": "number", "data": 1}]})
    with pytest.raises(SnapshotLoadError, match="invalid snapshot: failed to unmarshal data"):
        snapshots.load_snapshot(broken)
    with pytest.raises(SnapshotError, match="cannot load a snapshot from int"):
        snapshots.load_snapshot(42)  # type: ignore[arg-type]


# --- config and security --------------------------------------------------------------------


def test_network_settings_come_from_the_caller_unless_trusted() -> None:
    permissive = engine.Config(
        allow_http=True,
        allow_localhost=True,
        allowed_domains=["evil.example"],
        max_execution_time=timedelta(seconds=42),
        max_iterations=7,
    )
    eng = engine.new(STATEFUL, permissive, clock=fixed_clock())
    eng.execute(stop_after="a")
    snap = roundtrip(eng.save_snapshot())
    assert snap.config.allow_http is True

    default = snapshots.load_snapshot(snap).config
    assert default.allow_http is False and default.allow_localhost is False
    assert default.allowed_domains == []
    assert default.max_execution_time == timedelta(seconds=42) and default.max_iterations == 7

    mine = engine.Config(allow_http=True, allowed_domains=["api.example"])
    chosen = snapshots.load_snapshot(snap, config=mine).config
    assert chosen.allow_http is True and chosen.allowed_domains == ["api.example"]
    assert chosen.allow_localhost is False and chosen.max_iterations == 7

    trusted = snapshots.load_snapshot(snap, trust_snapshot_config=True).config
    assert trusted == permissive
    with pytest.raises(ConfigError, match="not both"):
        snapshots.load_snapshot(snap, config=mine, trust_snapshot_config=True)


# --- cache TTL with an injected clock --------------------------------------------------------


def test_cache_entries_keep_their_remaining_ttl() -> None:
    eng = engine.new(STATEFUL, clock=fixed_clock())
    eng.execute(stop_after="cache")
    snap = roundtrip(eng.save_snapshot())
    assert snap.cache["k"].expiration == T0 + timedelta(hours=1)

    later = snapshots.load_snapshot(snap, clock=fixed_clock(T0 + timedelta(minutes=45)))
    entry = later.state.cache_entries()["k"]
    assert entry.value == 10.0
    assert entry.expiration - (T0 + timedelta(minutes=45)) == timedelta(minutes=15)
    assert later.state.cache_get("k") == (True, 10.0)

    expired = snapshots.load_snapshot(snap, clock=fixed_clock(T0 + timedelta(hours=1)))
    assert expired.state.cache_entries() == {}


# --- Go engine snapshots ----------------------------------------------------------------------


def test_go_mid_run_snapshot_resumes_only_the_pending_nodes() -> None:
    snap = snapshots.deserialize_snapshot((GO_SNAPSHOTS / "mid_run_orders.json").read_bytes())
    assert snap.completed_nodes == ["n1", "n2", "n5", "n3", "n4"]
    clock = fixed_clock(snap.snapshot_time + timedelta(minutes=30))
    starts = Starts()
    eng = snapshots.load_snapshot(snap, clock=clock, observers=[starts])
    assert eng.execution_id == "c0ffee00deadbeef"
    remaining = eng.state.cache_entries()["price"].expiration - clock()
    exact = timedelta(minutes=29, seconds=59, microseconds=864197.532)
    assert abs(remaining - exact) <= timedelta(microseconds=1)  # datetime has microseconds
    result = eng.execute()
    assert starts.order == ["n6", "n7", "n8"]
    assert result.node_results["n6"] == 12
    assert result.node_results["n7"] == {"operation": "increment", "value": 2}
    assert result.node_results["n8"] == 12 and result.final_output == 12
    assert eng.state.get_accumulator() == 5 and eng.state.get_counter() == 2
    assert eng.node_execution_count == 8
    assert eng.state.context_consts() == {"region": "eu"}


def test_go_snapshot_cache_is_gone_with_todays_clock() -> None:
    snap = snapshots.deserialize_snapshot((GO_SNAPSHOTS / "mid_run_orders.json").read_bytes())
    assert snapshots.load_snapshot(snap).state.cache_entries() == {}


def test_go_completed_snapshot_runs_nothing_again() -> None:
    data = (GO_SNAPSHOTS / "completed_complex.json").read_bytes()
    starts = Starts()
    eng = snapshots.load_snapshot(snapshots.deserialize_snapshot(data), observers=[starts])
    before = dict(eng.results)
    result = eng.execute()
    assert starts.order == [] and result.node_results == before
    assert eng.state.get_counter() == 1 and eng.state.variables() == {"x": 10}
    assert eng.node_execution_count == 4


# --- custom nodes ------------------------------------------------------------------------------


def test_custom_node_data_survives_a_round_trip() -> None:
    seen: list[dict[str, Any]] = []

    def registry() -> engine.Registry:
        reg = engine.default_registry()

        @reg.executor("scale")
        def scale(ctx: NodeContext) -> Any:
            seen.append(ctx.data)
            return ctx.inputs[0] * ctx.data["factor"]

        return reg

    data = {"factor": 3, "label": "x3", "nested": {"tags": ["a", "b"], "on": True}}
    payload = {
        "nodes": [node("n", value=2), {"id": "s", "type": "scale", "data": data}],
        "edges": [edge("n", "s")],
    }
    eng = engine.new(payload, registry=registry())
    eng.execute(stop_before="s")
    snap = roundtrip(eng.save_snapshot())
    assert snap.nodes[1] == {"id": "s", "type": "scale", "data": data}
    result = snapshots.execute_from_snapshot(snap, registry())
    assert result.node_results["s"] == 6 and seen == [data]


# --- pause and resume -------------------------------------------------------------------------


BRANCHING = {
    "nodes": [
        node("x", value=5),
        node("cond", "condition", condition=">3"),
        node("yes", "text_input", text="big"),
        node("no", "text_input", text="small"),
        node("after", "visualization", mode="text"),
    ],
    "edges": [
        edge("x", "cond"),
        edge("cond", "yes", "true"),
        edge("cond", "no", "false"),
        edge("yes", "after"),
    ],
}


@pytest.mark.parametrize("how", ["stop_after", "stop_before"])
def test_pause_then_resume_matches_an_uninterrupted_run(how: str) -> None:
    expected = engine.new(BRANCHING).execute()
    for node_id in ("x", "cond", "yes", "after"):
        starts = Starts()
        eng = engine.new(BRANCHING, observers=[starts])
        paused = eng.execute(**{how: node_id})
        assert paused.status == "paused"
        restored = snapshots.load_snapshot(roundtrip(eng.save_snapshot()), observers=[starts])
        result = restored.execute()
        assert result.status == "completed"
        assert result.node_results == expected.node_results
        assert result.final_output == expected.final_output
        assert "no" not in result.node_results
        assert max(starts.counts.values()) == 1


# --- checkpoints and recovery -----------------------------------------------------------------


def test_checkpoints_and_recover_from_the_latest() -> None:
    store = MemoryStore()
    eng = engine.new(STATEFUL, clock=fixed_clock())
    observer = enable_checkpoints(eng, store)
    eng.execute(stop_after="acc")
    labels = [ref.label for ref in store.list(eng.execution_id)]
    assert labels == ["start", "after:a", "after:b", "after:ctx", "after:sum", "pause"]
    assert store.status(eng.execution_id) == "paused" and observer.errors == []

    resumed = recover(store, clock=fixed_clock())
    assert resumed.execution_id == eng.execution_id
    result = resumed.execute()
    assert result.node_results == engine.new(STATEFUL, clock=fixed_clock()).execute().node_results
    refs = store.list(eng.execution_id)
    assert refs[-1].label == "complete" and store.status(eng.execution_id) == "completed"
    assert refs[-1].meta.completed_count == 9


def test_checkpoint_policy_every_n_nodes() -> None:
    store = MemoryStore()
    eng = engine.new(STATEFUL, clock=fixed_clock())
    enable_checkpoints(eng, store, CheckpointPolicy(every_nodes=4, on_complete=False))
    eng.execute()
    labels = [ref.label for ref in store.list(eng.execution_id)]
    assert labels == ["start", "after:sum", "after:cnt"]
    assert store.status(eng.execution_id) == "completed"


def test_recover_needs_a_single_or_named_execution() -> None:
    store = MemoryStore()
    with pytest.raises(StorageError, match="no checkpoints"):
        recover(store)
    first, second = engine.new(STATEFUL), engine.new(STATEFUL)
    for eng in (first, second):
        enable_checkpoints(eng, store)
        eng.execute(stop_after="a")
    with pytest.raises(StorageError, match="holds 2 executions"):
        recover(store)
    assert recover(store, second.execution_id).execution_id == second.execution_id
    with pytest.raises(StorageError, match="no checkpoint of execution 'nope'"):
        recover(store, "nope")


def test_recover_from_a_directory_with_encrypted_checkpoints(tmp_path: Path) -> None:
    key = "B" * 43 + "="
    eng = engine.new(STATEFUL, clock=fixed_clock())
    enable_checkpoints(eng, tmp_path, compression="gzip", encryption_keys=key)
    eng.execute(stop_after="var")
    with pytest.raises(SnapshotError, match="no key was given"):
        recover(tmp_path)
    resumed = recover(tmp_path, keys=key, clock=fixed_clock())
    resumed.execute()
    refs = FileSystemStore(tmp_path).list(eng.execution_id)
    assert {ref.meta.format for ref in refs} == {"json+gzip+aesgcm"}
