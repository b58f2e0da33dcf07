"""What loading and saving snapshots reuse instead of redoing, and that it never changes a run.

* ``decode_json_definition`` (the decoder of definitions read from bytes) gives exactly the
  node specs, edges and errors of the payload decoder;
* a snapshot keeps its decoded definition only while it holds the lists it was decoded from;
* a snapshot lists its pending nodes in order, and a resumed run plans only those (in any
  process) when they fit its progress exactly; otherwise it takes its order from an earlier
  plan of the same graph only when its progress is exactly the start of that order, and else
  plans as before;
* saved states and snapshots are deep copies (changing one changes neither the engine nor
  another snapshot), at C speed;
* encoding looks for NaN only in the parts of a snapshot not known to be finite.
"""

from __future__ import annotations

import gc
import json
import random
from collections import OrderedDict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine import definitions, plans, snapshots
from pytest_wfsnap.engine.copying import deep_copy
from pytest_wfsnap.engine.datatypes import ANY, BOOL, FLOAT, INT, STRING, STRINGS, STRUCTS
from pytest_wfsnap.engine.decode import decode_nodes_and_edges, decode_payload
from pytest_wfsnap.engine.definitions import decode_json_definition
from pytest_wfsnap.errors import PayloadError, SnapshotEncodeError, SnapshotLoadError
from pytest_wfsnap.snapshot.document import checked_fields
from tests.engine.support import Starts

CASES = Path(__file__).resolve().parents[1] / "data" / "conformance" / "cases.json"
T0 = datetime(2025, 11, 1, 16, 0, tzinfo=UTC)


def _outcome(decode: Any, nodes: list[Any], edges: list[Any]) -> tuple[str, Any]:
    try:
        specs, decoded = decode(nodes, edges)
    except PayloadError as exc:
        return "error", str(exc)
    # msgspec keeps int and float apart, so the comparison is strict about number types.
    rows = [[spec.id, spec.type, spec.data, spec.params] for spec in specs]
    return "ok", msgspec.json.encode([rows, [list(edge) for edge in decoded]])


def _same_decoding(nodes: list[Any], edges: list[Any]) -> str:
    """Decode JSON-read copies of ``nodes``/``edges`` both ways; fail on any difference."""
    text = msgspec.json.encode({"nodes": nodes, "edges": edges})
    general = msgspec.json.decode(text)
    fast = msgspec.json.decode(text)
    expected = _outcome(decode_nodes_and_edges, general["nodes"], general["edges"])
    got = _outcome(decode_json_definition, fast["nodes"], fast["edges"])
    assert got == expected, (nodes, edges)
    return expected[0]


def test_conformance_payloads_decode_the_same_both_ways() -> None:
    outcomes = {"ok": 0, "error": 0}
    for case in json.loads(CASES.read_text(encoding="utf-8")):
        payload = case["payload"]
        if not isinstance(payload, dict) or not isinstance(payload.get("nodes"), list):
            continue
        edges = payload.get("edges") or []
        if not isinstance(edges, list):
            continue
        outcomes[_same_decoding(payload["nodes"], edges)] += 1
        try:
            decoded = decode_payload(payload)
        except PayloadError:
            continue
        # As a snapshot holds them: type written, data as given, edges in payload form.
        exported = [{"id": n.id, "type": n.type, "data": n.data} for n in decoded.nodes]
        _same_decoding(exported, [edge.to_dict() for edge in decoded.edges])
    assert outcomes["ok"] > 300 and outcomes["error"] > 0


_GOOD: dict[str, list[Any]] = {
    STRING: ["a", "x > 1", ""],
    FLOAT: [1.0, 2.5, 3],
    INT: [2.0, 3, 1.5],
    BOOL: [True, False],
    ANY: [1, "s", 2.5, [1, 2], {"a": 1}, None],
    STRINGS: [["a"], ["a", None], [], None],
}
_ODD = [1, 1.5, "x", "", True, None, [1, "a"], {"k": 1}, ["a", None], 10**400, -3]


def _random_node(rng: random.Random, index: int) -> dict[str, Any]:
    node_type = rng.choice([*STRUCTS, "", "custom_kind"])
    struct = STRUCTS.get(node_type)
    fields = list(struct.fields) if struct else ["label", "foo"]
    data: dict[str, Any] = {}
    for key in rng.sample(fields, min(len(fields), rng.randint(0, 4))):
        kind = struct.fields[key] if struct else ANY
        good = rng.random() < 0.8 and kind in _GOOD
        data[key.upper() if rng.random() < 0.05 else key] = rng.choice(
            _GOOD[kind] if good else _ODD
        )
    node: dict[str, Any] = {"id": f"n{index}", "type": node_type, "data": data}
    roll = rng.random()
    if roll < 0.04:
        del node["type"]
    elif roll < 0.07:
        node["data"] = None
    elif roll < 0.09:
        node["id"] = 5
    elif roll < 0.11:
        node["position"] = {"x": rng.choice([1, 10**400])}
    return node


def _random_edge(rng: random.Random) -> dict[str, Any]:
    edge: dict[str, Any] = {"source": f"n{rng.randint(0, 3)}", "target": f"n{rng.randint(0, 3)}"}
    if rng.random() < 0.3:
        edge["sourceHandle"] = rng.choice(["true", None, 1, 10**400])
    if rng.random() < 0.1:
        edge["weight"] = rng.choice([10**400, [1], "x"])
    return edge


@pytest.mark.parametrize("seed", range(4))
def test_random_definitions_decode_the_same_both_ways(seed: int) -> None:
    rng = random.Random(seed)
    outcomes = {"ok": 0, "error": 0}
    for _ in range(600):
        nodes = [_random_node(rng, index) for index in range(rng.randint(1, 4))]
        edges = [_random_edge(rng) for _ in range(rng.randint(0, 3))]
        outcomes[_same_decoding(nodes, edges)] += 1
    assert outcomes["ok"] > 50 and outcomes["error"] > 50


def test_a_value_refused_anywhere_comes_before_a_decoding_error() -> None:
    nodes = [
        {"id": "a", "type": "number", "data": {"value": "four"}},  # a type error
        {"id": "b", "type": "number", "data": {"value": 1, "x": 10**400}},  # too large
    ]
    assert _same_decoding(nodes, []) == "error"
    with pytest.raises(PayloadError, match=r"number too large: 1\d+ at payload\.nodes\[1\]"):
        decode_json_definition(msgspec.json.decode(msgspec.json.encode(nodes)), [])
    edges = [{"source": "a", "target": "b", "w": 10**400}]
    assert _same_decoding(nodes[:1], edges) == "error"
    with pytest.raises(PayloadError, match=r"at payload\.edges\[0\]\.w"):
        decode_json_definition(msgspec.json.decode(msgspec.json.encode(nodes[:1])), edges)


def test_plain_data_is_shared_and_data_with_integers_is_copied_as_floats() -> None:
    nodes = [
        {"id": "a", "type": "number", "data": {"value": 1.0}},
        {"id": "b", "type": "number", "data": {"value": 2}},
    ]
    specs, _ = decode_json_definition(nodes, [])
    assert specs[0].data is nodes[0]["data"] and specs[0].params == {"label": "", "value": 1.0}
    assert specs[1].data == {"value": 2.0} and type(specs[1].data["value"]) is float
    assert nodes[1]["data"] == {"value": 2} and type(nodes[1]["data"]["value"]) is int


# --- decoded definitions kept for snapshots ----------------------------------------------------

PAYLOAD = {
    "workflow_id": "reuse",
    "nodes": [
        {"id": "a", "data": {"value": 4}},
        {"id": "b", "data": {"value": 6}},
        {"id": "sum", "type": "operation", "data": {"op": "add"}},
        {"id": "gt", "type": "condition", "data": {"condition": ">5"}},
        {"id": "yes", "type": "visualization", "data": {"mode": "text"}},
        {"id": "no", "type": "visualization", "data": {"mode": "text"}},
        {"id": "acc", "type": "accumulator", "data": {"accum_op": "array"}},
        {"id": "var", "type": "variable", "data": {"var_name": "total", "var_op": "set"}},
    ],
    "edges": [
        {"source": "a", "target": "sum"},
        {"source": "b", "target": "sum"},
        {"source": "sum", "target": "gt"},
        {"source": "gt", "target": "yes", "sourceHandle": "true"},
        {"source": "gt", "target": "no", "sourceHandle": "false"},
        {"source": "sum", "target": "acc"},
        {"source": "acc", "target": "var"},
    ],
}


ORDER = ["a", "b", "sum", "gt", "acc", "yes", "no", "var"]


def _paused(**stop: str) -> Any:
    """Paused after gt by default; ``stop_before="var"``: with "no" skipped."""
    eng = engine.new(PAYLOAD, clock=lambda: T0, seed=3)
    assert eng.execute(**(stop or {"stop_after": "gt"})).status == "paused"
    return eng


def _uninterrupted() -> Any:
    return engine.new(PAYLOAD, clock=lambda: T0, seed=3).execute()


def test_a_deserialized_snapshot_keeps_its_decoded_nodes_for_loading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = snapshots.serialize_snapshot(_paused().save_snapshot())
    snap = snapshots.deserialize_snapshot(data)
    kept = definitions.recall(snap)
    assert kept is not None and [spec.id for spec in kept.specs][:3] == ["a", "b", "sum"]

    calls: list[int] = []

    def counting(nodes: Any, edges: Any) -> Any:
        calls.append(len(nodes))
        return decode_nodes_and_edges(nodes, edges)

    monkeypatch.setattr("pytest_wfsnap.engine.persist.decode_nodes_and_edges", counting)
    restored = snapshots.load_snapshot(snap, clock=lambda: T0)
    assert calls == []  # decoded once, by deserialize_snapshot
    assert restored.execute().node_results == _uninterrupted().node_results
    snapshots.load_snapshot(json.loads(data), clock=lambda: T0)  # a document: decoded here
    assert calls == [len(PAYLOAD["nodes"])]


def test_a_snapshot_with_other_lists_is_decoded_again() -> None:
    snap = snapshots.deserialize_snapshot(snapshots.serialize_snapshot(_paused().save_snapshot()))
    broken = snap.model_copy(update={"nodes": [{"id": "a", "type": "number", "data": 1}]})
    assert definitions.recall(broken) is None
    with pytest.raises(SnapshotLoadError, match="failed to unmarshal data for node a"):
        snapshots.load_snapshot(broken)
    grown = snap.model_copy()
    assert definitions.recall(grown) is None  # a copy is another object
    snap.nodes.append({"id": "x", "type": "number", "data": {"value": "x"}})
    assert definitions.recall(snap) is None
    with pytest.raises(SnapshotLoadError, match="failed to unmarshal data for node x"):
        snapshots.load_snapshot(snap)


def test_kept_definitions_go_with_their_snapshot() -> None:
    snap = _paused().save_snapshot()
    key = id(snap)
    assert definitions.recall(snap) is not None and key in definitions._KEPT
    del snap
    gc.collect()
    assert key not in definitions._KEPT


# --- plans of resumed runs -------------------------------------------------------------------


def test_a_resumed_run_starts_after_its_decided_nodes_when_its_graph_was_ordered() -> None:
    paused = _paused()
    snap = snapshots.deserialize_snapshot(snapshots.serialize_snapshot(paused.save_snapshot()))
    starts = Starts()
    restored = snapshots.load_snapshot(snap, clock=lambda: T0, observers=[starts])
    plan = restored._plan
    assert plan is not None
    assert [node.id for node, _, _ in plan.order] == ORDER[4:]
    result = restored.execute()
    assert starts.order == ["acc", "yes", "var"]  # "no" is skipped (gt took "true")
    assert result.node_results == _uninterrupted().node_results
    assert result.final_output == _uninterrupted().final_output


def _without_pending(data: bytes) -> bytes:
    """The snapshot as a document that does not list its pending nodes (as format 2.0.0)."""
    doc = json.loads(data)
    doc["pending_nodes"] = None
    return json.dumps(doc).encode()


def test_a_snapshot_lists_the_nodes_left_in_the_order_they_run() -> None:
    eng = engine.new(PAYLOAD, clock=lambda: T0, seed=3)
    assert eng.save_snapshot().pending_nodes is None  # not ordered yet
    eng.execute(stop_after="gt")
    assert eng.save_snapshot().pending_nodes == ORDER[4:]
    eng.execute(stop_before="var")  # "no" is skipped on the way
    assert eng.save_snapshot().pending_nodes == ["var"]
    eng.execute()
    assert eng.save_snapshot().pending_nodes == []
    assert eng.export_state().pending_nodes == []


def test_a_resumed_run_plans_only_its_pending_nodes_in_any_process() -> None:
    data = snapshots.serialize_snapshot(_paused().save_snapshot())
    expected = _uninterrupted()
    plans.forget_plans()  # as after a restart: no order known in this process
    starts = Starts()
    restored = snapshots.load_snapshot(
        snapshots.deserialize_snapshot(data), clock=lambda: T0, observers=[starts]
    )
    assert restored._plan is not None
    assert [node.id for node, _, _ in restored._plan.order] == ORDER[4:]
    assert plans._KEPT == {}  # the graph was not ordered
    result = restored.execute()
    assert starts.order == ["acc", "yes", "var"]
    assert result.node_results == expected.node_results
    assert result.final_output == expected.final_output
    # A finished run, loaded and executed again: nothing to order, same result.
    done = snapshots.deserialize_snapshot(snapshots.serialize_snapshot(restored.save_snapshot()))
    again = snapshots.load_snapshot(done, clock=lambda: T0)
    assert again._plan is not None and again._plan.order == ()
    assert again.execute().final_output == expected.final_output
    assert plans._KEPT == {}


def test_without_pending_nodes_or_an_earlier_order_the_graph_is_ordered_when_it_runs() -> None:
    data = _without_pending(snapshots.serialize_snapshot(_paused().save_snapshot()))
    plans.forget_plans()
    restored = snapshots.load_snapshot(snapshots.deserialize_snapshot(data), clock=lambda: T0)
    assert restored._plan is None
    assert restored.execute().node_results == _uninterrupted().node_results
    assert restored._plan is not None
    assert [node.id for node, _, _ in restored._plan.order] == ORDER[4:]


def test_deserializing_checks_the_progress_once_for_loading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = snapshots.serialize_snapshot(_paused().save_snapshot())
    checks: list[int] = []
    real = plans.progress_fits

    def counting(count: int, *args: Any) -> bool:
        checks.append(count)
        return real(count, *args)

    monkeypatch.setattr("pytest_wfsnap.engine.snapshots.progress_fits", counting)
    monkeypatch.setattr("pytest_wfsnap.engine.plans.progress_fits", counting)
    snap = snapshots.deserialize_snapshot(data)
    assert checks == [len(PAYLOAD["nodes"])] and definitions.progress_checked(snap)
    restored = snapshots.load_snapshot(snap, clock=lambda: T0)
    assert checks == [len(PAYLOAD["nodes"])]  # not checked again
    assert restored._plan is not None and len(restored._plan.order) == 4
    # Lists changed after deserializing are checked when loaded (and do not fit here).
    snap.skipped_nodes.append("var")
    assert not definitions.progress_checked(snap)
    again = snapshots.load_snapshot(snap, clock=lambda: T0)
    assert len(checks) == 2 and again._plan is None
    other = snap.model_copy(update={"skipped_nodes": []})
    assert not definitions.progress_checked(other)
    assert snapshots.load_snapshot(other, clock=lambda: T0)._plan is not None
    assert len(checks) == 3


def test_progress_that_does_not_fit_is_not_remembered() -> None:
    doc = json.loads(snapshots.serialize_snapshot(_paused().save_snapshot()))
    doc["pending_nodes"] = ["acc", "yes"]  # "var" missing
    snap = snapshots.deserialize_snapshot(json.dumps(doc).encode())
    assert not definitions.progress_checked(snap)
    doc["pending_nodes"] = None
    snap = snapshots.deserialize_snapshot(json.dumps(doc).encode())
    assert not definitions.progress_checked(snap)


@pytest.mark.parametrize(
    "pending",
    [
        ["var", "yes", "acc"],  # "yes" depends on "acc" (through gt's branch): wrong order
        ["acc", "yes"],  # "var" missing
        ["acc", "yes", "var", "var"],  # listed twice
        ["acc", "yes", "ghost"],  # not a node
        ["acc", "yes", "var", "gt"],  # completed already
    ],
)
def test_pending_nodes_that_do_not_fit_the_run_are_not_used(pending: list[str]) -> None:
    doc = json.loads(snapshots.serialize_snapshot(_paused().save_snapshot()))
    doc["pending_nodes"] = pending
    plans.forget_plans()
    restored = snapshots.load_snapshot(
        snapshots.deserialize_snapshot(json.dumps(doc).encode()), clock=lambda: T0
    )
    assert restored._plan is None  # ordered when it runs, as a snapshot without the list
    assert restored.execute().node_results == _uninterrupted().node_results


@pytest.mark.parametrize(
    "change",
    [
        "completed_missing_result",
        "completed_duplicate",
        "completed_out_of_order",
        "extra_result",
        "skipped_not_first",
        "skipped_with_result",
    ],
)
def test_progress_that_is_not_the_start_of_the_order_is_restored_as_before(change: str) -> None:
    eng = _paused(stop_before="var")
    doc = json.loads(snapshots.serialize_snapshot(eng.save_snapshot()))
    assert doc["completed_nodes"] == ["a", "b", "sum", "gt", "acc", "yes"]
    assert doc["skipped_nodes"] == ["no"]
    if change == "completed_missing_result":
        del doc["results"]["yes"]
    elif change == "completed_duplicate":
        doc["completed_nodes"].insert(1, "a")
    elif change == "completed_out_of_order":
        doc["completed_nodes"][0:2] = ["b", "a"]
    elif change == "extra_result":
        doc["results"]["ghost"] = 1.0
    elif change == "skipped_not_first":
        doc["skipped_nodes"] = ["var"]
    else:
        doc["skipped_nodes"] = ["no", "yes"]
    data = json.dumps(doc).encode()
    listed = snapshots.load_snapshot(snapshots.deserialize_snapshot(data), clock=lambda: T0)
    if change != "completed_out_of_order":  # (that one is still the same decided nodes)
        assert listed._plan is None  # such progress does not take the pending nodes' plan
    unlisted = _without_pending(data)
    fast = snapshots.load_snapshot(snapshots.deserialize_snapshot(unlisted), clock=lambda: T0)
    plans.forget_plans()  # the same snapshot, restored without any earlier order
    slow = snapshots.load_snapshot(snapshots.deserialize_snapshot(unlisted), clock=lambda: T0)
    runs = [listed, fast, slow]
    assert len({(tuple(e.completed_nodes), tuple(e.skipped_nodes)) for e in runs}) == 1
    results = [e.execute().node_results for e in runs]
    assert results[0] == results[1] == results[2]
    assert len({(tuple(e.completed_nodes), tuple(e.skipped_nodes)) for e in runs}) == 1


def test_an_order_is_reused_only_for_the_very_same_graph() -> None:
    plans.forget_plans()
    first = engine.new(PAYLOAD)
    first.execute()
    assert len(plans._KEPT) == 1
    other = json.loads(json.dumps(PAYLOAD))
    other["edges"][5] = {"source": "b", "target": "acc"}  # same sample of edges, other graph
    paused = engine.new(other, clock=lambda: T0, seed=3)
    paused.execute(stop_after="gt")
    plans.forget_plans()
    first.execute()  # keeps PAYLOAD's order again; ``other`` is not known
    data = _without_pending(snapshots.serialize_snapshot(paused.save_snapshot()))
    restored = snapshots.load_snapshot(snapshots.deserialize_snapshot(data), clock=lambda: T0)
    assert restored._plan is None
    expected = engine.new(other, clock=lambda: T0, seed=3).execute()
    assert restored.execute().node_results == expected.node_results


def test_kept_orders_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plans, "_KEPT", OrderedDict())
    monkeypatch.setattr(plans, "_KEPT_NODES", [0])
    monkeypatch.setattr(plans, "MAX_KEPT_NODES", 10)
    for run, size in enumerate((4, 4, 4, 20)):
        nodes = [{"id": f"{run}-{i}", "data": {"value": i}} for i in range(size)]
        engine.new({"nodes": nodes}).execute()
    assert [len(key.ids) for key, _ in plans._KEPT.values()] == [4, 4]
    assert plans._KEPT_NODES == [8]


# --- copies ------------------------------------------------------------------------------------


def test_deep_copy_keeps_every_type_and_shares_nothing() -> None:
    value: dict[str, Any] = {"t": (1, [2.0]), "s": {3}, "n": None, "i": 10**30, "l": [{"k": "v"}]}
    copied = deep_copy(value)
    assert copied == value and type(copied["t"]) is tuple and type(copied["s"]) is set
    assert copied["l"][0] is not value["l"][0] and copied["t"][1] is not value["t"][1]

    class Tagged(dict[str, Any]):
        pass

    odd: dict[str, Any] = {"when": datetime(2025, 1, 1, tzinfo=UTC), "tagged": Tagged(a=[1])}
    copied = deep_copy(odd)  # marshal refuses these: copied the slow way
    assert copied == odd and type(copied["tagged"]) is Tagged
    assert copied["tagged"]["a"] is not odd["tagged"]["a"]


def test_saved_snapshots_are_unchanged_by_later_progress_and_by_each_other() -> None:
    eng = _paused()
    first = eng.save_snapshot()
    before = snapshots.serialize_snapshot(first)
    second = eng.save_snapshot()
    second.results["gt"]["value"] = "changed"  # a read-only snapshot, changed anyway
    eng.execute()
    assert eng.results["gt"]["value"] == 10.0 and eng.state.get_accumulator() == [10.0]
    assert first.results["gt"]["value"] == 10.0 and "acc" not in first.results
    assert first.accumulator is None and first.variables == {}
    assert snapshots.serialize_snapshot(first) == before
    third = eng.save_snapshot()
    assert third.accumulator == [10.0] and third.variables == {"total": third.results["acc"]}
    third.variables["total"]["value"].append(1.0)
    assert eng.state.get_variable("total") == {"operation": "array", "value": [10.0]}
    assert eng.results["acc"] == {"operation": "array", "value": [10.0]}


def test_exported_states_do_not_share_the_definition() -> None:
    eng = _paused()
    state = eng.export_state()
    state.nodes[0]["data"]["value"] = "changed"
    state.edges[0]["source"] = "changed"
    again = eng.export_state()
    assert again.nodes[0]["data"] == {"value": 4.0} and again.edges[0]["source"] == "a"
    assert eng.nodes[0].data == {"value": 4.0}


# --- values known to be finite are not looked at again when encoding --------------------------


def test_serializing_still_refuses_nan_in_results_of_a_saved_snapshot() -> None:
    eng = _paused()
    eng._results["gt"] = {"value": float("nan")}  # as an executor might have produced it
    with pytest.raises(SnapshotEncodeError, match=r"\$\.results\.gt\.value is nan"):
        snapshots.serialize_snapshot(eng.save_snapshot())


def test_changed_parts_of_a_read_snapshot_are_looked_at_again() -> None:
    snap = snapshots.deserialize_snapshot(snapshots.serialize_snapshot(_paused().save_snapshot()))
    assert checked_fields(snap) >= {"nodes", "edges", "results", "variables", "cache"}
    other = snap.model_copy(update={"results": {"a": float("inf")}})
    assert checked_fields(other) == frozenset()
    with pytest.raises(SnapshotEncodeError, match=r"\$\.results\.a is inf"):
        snapshots.serialize_snapshot(other)
    saved = _paused().save_snapshot()
    assert checked_fields(saved) == {"nodes", "edges"}
    saved.nodes.append({"id": "z", "type": "number", "data": {"value": float("nan")}})
    assert "nodes" not in checked_fields(saved)
    with pytest.raises(SnapshotEncodeError, match=r"\$\.nodes\[8\]\.data\.value is nan"):
        snapshots.serialize_snapshot(saved)


def test_the_binary_format_still_refuses_values_json_cannot_carry_in_results() -> None:
    eng = _paused()
    eng._results["gt"] = {"tags": {"a", "b"}}  # a set: no JSON value
    snap = eng.save_snapshot()
    with pytest.raises(SnapshotEncodeError, match=r"\$\.results\.gt\.tags is a set"):
        snapshots.serialize_snapshot(snap, format="msgpack")
    plain = _paused().save_snapshot()
    binary = snapshots.serialize_snapshot(plain, format="msgpack")
    assert snapshots.deserialize_snapshot(binary).results == plain.results


def test_a_finished_run_restored_takes_its_order_from_the_earlier_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    eng = engine.new(PAYLOAD, clock=lambda: T0, seed=3)
    expected = eng.execute()
    snap = snapshots.deserialize_snapshot(snapshots.serialize_snapshot(eng.save_snapshot()))

    def no_ordering(*args: Any) -> Any:
        raise AssertionError("the graph was ordered again")

    monkeypatch.setattr(plans, "skeleton", no_ordering)
    restored = snapshots.load_snapshot(snap, clock=lambda: T0)
    result = restored.execute()
    assert restored._plan is not None and restored._plan.order == ()
    assert result.final_output == expected.final_output
    assert result.node_results == expected.node_results
    state = eng.export_state()  # Engine.from_state restores the same way
    again = engine.Engine.from_state(state, clock=lambda: T0)
    assert again.execute().final_output == expected.final_output
