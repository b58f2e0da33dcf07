"""Replay compares an ended run's own state, and snapshots it only to describe a drift.

* ``final_view`` gives exactly the compared part of the run's snapshot document, for every kind
  of run (completed, failed, restored from a recorded state, holding results of no node).
* ``same_values(..., a_plain=True)`` (the recorded side read by the strict parser) gives the
  answer of the full check.
* A replay that matches its recording takes no snapshot of the run; one that drifts reports
  exactly what the comparison of the snapshots reports.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.snapshots import save_snapshot
from pytest_wfsnap.plugin.compare import (
    PART_PATHS,
    compare_outcome,
    compare_runs,
    same_values,
)
from pytest_wfsnap.plugin.golden import encode_golden, load_golden
from pytest_wfsnap.plugin.record import record_golden, result_doc
from pytest_wfsnap.plugin.replay import golden_snapshot, replay
from pytest_wfsnap.plugin.runs import (
    NEVER_COMPARED,
    final_view,
    fresh_engine,
    pinned_clock,
    restored_engine,
    run_to_end,
)
from pytest_wfsnap.plugin.workflow import RunSpec
from pytest_wfsnap.snapshot import snapshot_to_document
from pytest_wfsnap.snapshot.document import SnapshotDoc
from tests.plugin.support import CALC_WORKFLOW, WfPytester, spec_for

SHOWN = Path("fixtures/test_rich/test_rich.golden.json")
AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# State of every kind: variables, accumulator, counter, cache entries, a skipped branch.
RICH_WORKFLOW: dict[str, Any] = {
    "workflow_id": "rich",
    "nodes": [
        {"id": "a", "type": "number", "data": {"value": 70}},
        {"id": "b", "type": "number", "data": {"value": 5}},
        {"id": "t", "type": "text_input", "data": {"text": "hello"}},
        {"id": "sum", "type": "operation", "data": {"op": "add"}},
        {"id": "var", "type": "variable", "data": {"var_name": "total", "var_op": "set"}},
        {"id": "acc", "type": "accumulator", "data": {"accum_op": "sum"}},
        {"id": "count", "type": "counter", "data": {"counter_op": "increment", "delta": 2.0}},
        {"id": "keep", "type": "cache", "data": {"cache_op": "set", "cache_key": "k", "ttl": "1h"}},
        {"id": "cond", "type": "condition", "data": {"condition": ">50"}},
        {"id": "yes", "type": "visualization", "data": {"mode": "text"}},
        {"id": "no", "type": "visualization", "data": {"mode": "text"}},
    ],
    "edges": [
        {"source": "a", "target": "sum"},
        {"source": "b", "target": "sum"},
        {"source": "sum", "target": "var"},
        {"source": "sum", "target": "acc"},
        {"source": "var", "target": "count"},
        {"source": "t", "target": "keep"},
        {"source": "sum", "target": "cond"},
        {"source": "cond", "target": "yes", "sourceHandle": "true"},
        {"source": "cond", "target": "no", "sourceHandle": "false"},
    ],
}
FAILING_WORKFLOW: dict[str, Any] = {
    "nodes": [
        {"id": "n", "data": {"value": 1}},
        {"id": "get", "type": "variable", "data": {"var_name": "missing", "var_op": "get"}},
    ],
    "edges": [{"source": "n", "target": "get"}],
}


def compared_snapshot_part(outcome_final: Any) -> dict[str, Any]:
    doc = snapshot_to_document(outcome_final)
    return {key: value for key, value in doc.items() if key not in NEVER_COMPARED}


def assert_view_is_the_snapshot(eng: Any) -> None:
    view = final_view(eng)
    assert view is not None, "final_view does not know every field of the snapshot format"
    expected = compared_snapshot_part(save_snapshot(eng))
    assert view.keys() == expected.keys()
    assert same_values(view, expected)
    assert set(SnapshotDoc.__struct_fields__) == view.keys() | NEVER_COMPARED


# --- final_view --------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [CALC_WORKFLOW, RICH_WORKFLOW, FAILING_WORKFLOW])
def test_final_view_is_the_compared_part_of_the_snapshot(
    tmp_path: Path, payload: dict[str, Any]
) -> None:
    spec = spec_for(tmp_path / "wf.json", payload)
    eng = fresh_engine(spec, execution_id="0123456789abcdef", clock=pinned_clock(AT))
    outcome = run_to_end(eng)
    assert outcome.engine is eng and not outcome.final_taken
    assert_view_is_the_snapshot(eng)
    assert eng.status in ("completed", "failed")


def test_final_view_of_a_rich_run_holds_every_kind_of_state(tmp_path: Path) -> None:
    spec = spec_for(tmp_path / "wf.json", RICH_WORKFLOW)
    eng = fresh_engine(spec, execution_id="0123456789abcdef", clock=pinned_clock(AT))
    run_to_end(eng)
    view = final_view(eng)
    assert view is not None
    assert view["variables"] == {"total": 75.0}
    assert view["counter"] == 2.0
    assert view["cache"] == {"k": {"value": "hello", "expiration": "2024-05-01T13:00:00Z"}}
    assert view["skipped_nodes"] == ["no"]
    assert view["current_level"] == len(RICH_WORKFLOW["nodes"])


def test_final_view_of_a_restored_run(tmp_path: Path) -> None:
    spec = spec_for(tmp_path / "wf.json", RICH_WORKFLOW)
    first = fresh_engine(spec, execution_id="0123456789abcdef", clock=pinned_clock(AT))
    first.execute(stop_after="sum")
    state = save_snapshot(first)
    resumed = restored_engine(state, Config(), clock=pinned_clock(AT))
    run_to_end(resumed)
    assert_view_is_the_snapshot(resumed)
    # a restored state holding a result of no node of the workflow (counted apart)
    foreign = state.model_copy(update={"results": {**state.results, "ghost": 1.0}})
    haunted = restored_engine(foreign, Config(), clock=pinned_clock(AT))
    run_to_end(haunted)
    assert_view_is_the_snapshot(haunted)
    view = final_view(haunted)
    assert view is not None and view["results"]["ghost"] == 1.0


def test_final_view_gives_up_while_a_run_is_paused_mid_node(tmp_path: Path) -> None:
    spec = spec_for(tmp_path / "wf.json", CALC_WORKFLOW)
    eng = fresh_engine(spec, execution_id="0123456789abcdef", clock=pinned_clock(AT))
    eng._current = "sum"  # as while a node is in flight
    assert final_view(eng) is None


# --- same_values with the recorded side read by the strict parser -------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ('{"x": 1}', {"x": 1.0}),  # types matter
        ('{"x": 1}', {"x": True}),
        ("[null]", [math.nan]),  # NaN and infinities are written as null
        ("[null]", [math.inf]),
        ('{"x": [1, 2]}', {"x": (1, 2)}),
        ('{"x": 1}', {"x": 2}),
        ('{"x": 1}', {"x": 1, "y": None}),
        ('{"x": 1}', {1: 1}),
    ],
)
def test_same_values_of_a_parsed_document_says_maybe_different(a: str, b: Any) -> None:
    parsed = json.loads(a)
    assert not same_values(parsed, b, a_plain=True)
    assert not same_values(parsed, b)


def test_same_values_of_a_parsed_document_on_identical_values() -> None:
    value = {"b": [1, 2.5, "x", None, True, {"z": -0.0, "e": 1e300}], "a": {"k": {}}}
    parsed = json.loads(json.dumps(value))
    assert same_values(parsed, value, a_plain=True)
    assert same_values(parsed, dict(reversed(list(value.items()))), a_plain=True)


# --- replay: no snapshot when the run matches ------------------------------------------------


@pytest.fixture
def spec(tmp_path: Path) -> RunSpec:
    return spec_for(tmp_path / "rich.json", RICH_WORKFLOW, states=("sum",))


@pytest.fixture
def golden_doc(spec: RunSpec) -> dict[str, Any]:
    golden, _ = record_golden(
        spec, test_id="test_rich.py::test_rich", golden_path=SHOWN, previous=None
    )
    doc: dict[str, Any] = json.loads(encode_golden(golden))
    return doc


@pytest.mark.parametrize("start_after", [None, "sum"])
def test_a_matching_replay_takes_no_snapshot(
    spec: RunSpec, golden_doc: dict[str, Any], start_after: str | None
) -> None:
    loaded = load_golden(json.dumps(golden_doc).encode(), SHOWN)
    replayed = replay(loaded.golden, spec, SHOWN, start_after, finite=loaded.finite)
    assert not replayed.drift
    assert not replayed.outcome.final_taken


@pytest.mark.parametrize(
    ("part", "path", "value"),
    [
        ("results", ("sum",), 76.0),
        ("variables", ("total",), 75),  # an int where the run has a float
        ("cache", ("k", "value"), "bye"),
        ("cache", ("k", "expiration"), "2024-05-01T14:00:00Z"),
        ("counter", (), 3.0),
        ("skipped_nodes", (), []),
        ("http_call_count", (), 4),
    ],
)
def test_a_drifting_replay_reports_what_the_snapshots_diff_reports(
    spec: RunSpec,
    golden_doc: dict[str, Any],
    part: str,
    path: tuple[str, ...],
    value: Any,
) -> None:
    final = golden_doc["final"]
    if path:
        target = final[part]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    else:
        final[part] = value
    loaded = load_golden(json.dumps(golden_doc).encode(), SHOWN)
    replayed = replay(loaded.golden, spec, SHOWN, None, finite=loaded.finite)
    assert replayed.drift
    assert replayed.outcome.final_taken  # taken for the diff
    recorded = golden_snapshot(loaded.golden.final or {}, SHOWN, "the final state")
    assert loaded.golden.result is not None
    expected = compare_runs(
        recorded,
        loaded.golden.result,
        replayed.outcome.final,
        result_doc(replayed.outcome),
        float_tolerance=0.0,
        ignore=(),
        compare=tuple(PART_PATHS),
    )
    assert replayed.drift == expected
    assert f"$.{part}" in replayed.drift.text()


def test_compare_outcome_after_the_snapshot_was_taken(tmp_path: Path) -> None:
    spec = spec_for(tmp_path / "wf.json", RICH_WORKFLOW)
    outcome = run_to_end(
        fresh_engine(spec, execution_id="0123456789abcdef", clock=pinned_clock(AT))
    )
    final = outcome.final  # taken: compared as a snapshot, the same answer
    assert outcome.final_taken and outcome.final is final
    result = result_doc(outcome)
    changed = final.model_copy(update={"variables": {"total": 1.0}})
    drift = compare_outcome(
        changed, result, outcome, result, float_tolerance=0.0, ignore=(), compare=tuple(PART_PATHS)
    )
    assert drift.count == 1 and "$.variables.total: 1.0 -> 75.0" in drift.text()
    assert not compare_outcome(
        final, result, outcome, result, float_tolerance=0.0, ignore=(), compare=tuple(PART_PATHS)
    )


# --- through pytest -------------------------------------------------------------------------


RICH_TEST = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/rich.json")
def test_rich(wf_snapshot):
    result = wf_snapshot.run()
    assert result.node_results["sum"] == 75

@pytest.mark.wf_snapshot(workflow="workflows/rich.json", start_after="sum")
def test_rich_from_sum(wf_snapshot):
    assert wf_snapshot.run().status == "completed"
"""


def test_rich_state_replays_and_its_drift_is_reported(wf: WfPytester) -> None:
    wf.write_workflow("rich", RICH_WORKFLOW)
    wf.write_test("test_rich", RICH_TEST)
    wf.run("--wf-record").assert_outcomes(passed=2)
    wf.run().assert_outcomes(passed=2)
    name = "test_rich/test_rich.golden.json"
    golden = wf.golden(name)
    golden["final"]["cache"]["k"]["value"] = "bye"
    golden["final"]["accumulator"] = 1.0
    wf.write_golden(name, golden)
    result = wf.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*workflow run drifted from the recording in fixtures*test_rich.golden.json:",
            "*snapshots differ: 2 changes (counters 1, cache 1)",
            "*~ $.accumulator: 1.0 -> 75.0",
            "*cache:",
            '*~ $.cache.k.value: "bye" -> "hello"',
            "*re-record this test with: pytest --wf-record *test_rich.py::test_rich*",
        ]
    )
