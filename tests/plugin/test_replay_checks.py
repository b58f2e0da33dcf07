"""Replay's shortcuts give exactly the answers of the full checks.

* The comparison first checks the compared parts for identity as a whole; when that says
  "maybe different" the structural diff decides, so the reported drift is always the diff's.
* A golden read by the strict JSON parser skips the search for NaN/infinities; one that needs
  the lenient parser (NaN literals, lone surrogates) is validated in full as before.
* A workflow file is decoded once per process, keyed by its bytes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.errors import GoldenFileError
from pytest_wfsnap.plugin.compare import (
    PART_PATHS,
    compare_results,
    compare_runs,
    ignore_patterns,
    same_values,
    wholly_ignored,
)
from pytest_wfsnap.plugin.golden import encode_golden, load_golden
from pytest_wfsnap.plugin.record import record_golden, result_doc
from pytest_wfsnap.plugin.replay import golden_snapshot, replay
from pytest_wfsnap.plugin.runs import workflow_of
from pytest_wfsnap.plugin.workflow import RunSpec
from pytest_wfsnap.snapshot import Snapshot, diff_snapshots, workflow_fingerprint
from tests.plugin.support import CALC_WORKFLOW, WfPytester, spec_for

SHOWN = Path("fixtures/test_calc/test_calc.golden.json")
ALL_PARTS = tuple(PART_PATHS)


@pytest.fixture
def spec(tmp_path: Path) -> RunSpec:
    return spec_for(tmp_path / "calc.json", CALC_WORKFLOW, states=("sum",))


@pytest.fixture
def recorded(spec: RunSpec) -> tuple[dict[str, Any], Snapshot, dict[str, Any]]:
    """The golden document of a recording, its final state and its result."""
    golden, outcome = record_golden(
        spec, test_id="test_calc.py::test_calc", golden_path=SHOWN, previous=None
    )
    doc: dict[str, Any] = json.loads(encode_golden(golden))
    return doc, outcome.final, result_doc(outcome)


# --- same_values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"x": 1}, {"x": 1.0}),  # types matter
        ({"x": True}, {"x": 1}),
        ([None], [math.nan]),  # NaN and null are written alike by JSON encoders
        ([math.nan], [math.nan]),  # two NaNs: left to the diff
        ({"x": [1, 2]}, {"x": (1, 2)}),
        ({"x": 2**70}, {"x": 2**70}),  # past 64 bits: left to the diff
        ({1: "a"}, {1: "a"}),  # non-string keys: left to the diff
        ({"x": 1}, {"x": 2}),
        ({"x": 1}, {"x": 1, "y": None}),
    ],
)
def test_same_values_says_maybe_different(a: Any, b: Any) -> None:
    assert not same_values(a, b)


def test_same_values_on_identical_documents() -> None:
    doc = {"b": [1, 2.5, "x", None, True, {"z": -0.0}], "a": {"k": {}}}
    copy = json.loads(json.dumps(doc))
    assert same_values(doc, copy)
    assert same_values(doc, dict(reversed(list(copy.items()))))  # key order is not compared


@pytest.mark.parametrize(
    ("key", "patterns", "expected"),
    [
        ("config", ("$.config*",), True),
        ("snapshot_time", ("$.snapshot_time",), True),
        ("results", ("$.res*",), True),
        ("results", ("*",), True),
        ("results", ("$.results",), False),  # results are compared per node, below the key
        ("results", ("$.results.*",), False),
        ("results", ("$.results.sum",), False),
        ("variables", ("$.var?ables*",), False),  # only literal prefixes are judged
        ("variables", (), False),
    ],
)
def test_wholly_ignored(key: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert wholly_ignored(key, patterns) is expected


# --- compare_runs: the shortcut never changes the answer ------------------------------------------


def full_diff_count(old: Snapshot, new: Snapshot, tolerance: float, ignore: tuple[str, ...]) -> int:
    patterns = ignore_patterns(ignore, ALL_PARTS)
    return len(diff_snapshots(old, new, abs_tol=tolerance, ignore_paths=patterns).changes)


def changed(snap: Snapshot, **results: Any) -> Snapshot:
    return snap.model_copy(update={"results": {**snap.results, **results}})


@pytest.mark.parametrize(
    ("results", "tolerance", "ignore", "expected"),
    [
        ({}, 0.0, (), 0),
        ({"sum": 15}, 0.0, (), 1),  # int where the recording has a float
        ({"sum": math.nan}, 0.0, (), 1),
        ({"sum": 15.0000001}, 0.0, (), 1),
        ({"sum": 15.0000001}, 0.001, (), 0),  # within the tolerance: no drift
        ({"sum": 16.0}, 0.0, ("results.sum",), 0),  # ignored path
        ({"sum": 16.0, "a": 11.0}, 0.0, ("results.sum",), 1),
    ],
)
def test_compare_runs_matches_the_full_diff(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]],
    results: dict[str, Any],
    tolerance: float,
    ignore: tuple[str, ...],
    expected: int,
) -> None:
    _, final, result = recorded
    new = changed(final, **results)
    drift = compare_runs(
        final, result, new, result, float_tolerance=tolerance, ignore=ignore, compare=ALL_PARTS
    )
    assert drift.count == expected == full_diff_count(final, new, tolerance, ignore)
    assert bool(drift.state_text) is (expected > 0)


def test_compare_runs_reports_volatile_differences_as_none(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]],
) -> None:
    _, final, result = recorded
    other = final.model_copy(update={"execution_id": "f" * 16, "random_seed": 7})
    assert not compare_runs(
        final, result, other, result, float_tolerance=0.0, ignore=(), compare=ALL_PARTS
    )


def test_compare_runs_final_output_type_change(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]],
) -> None:
    _, final, result = recorded
    output = result["final_output"]
    new_result = {**result, "final_output": {**output, "value": int(output["value"])}}
    drift = compare_runs(
        final, result, final, new_result, float_tolerance=0.0, ignore=(), compare=ALL_PARTS
    )
    assert drift.count == 1
    assert drift.result_lines == ("$.final_output.value: 1.0 -> 1",)


def test_compare_results_shortcut(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]],
) -> None:
    _, _, result = recorded
    same = json.loads(json.dumps(result))
    assert not compare_results(result, same, float_tolerance=0.0, ignore=(), compare=ALL_PARTS)
    other = {**same, "node_results": {**same["node_results"], "sum": 15}}
    drift = compare_results(result, other, float_tolerance=0.0, ignore=(), compare=ALL_PARTS)
    assert drift.result_lines == ("$.results.sum: 15.0 -> 15",)


# --- reading goldens ------------------------------------------------------------------------


def test_a_well_formed_golden_replays_without_drift(
    spec: RunSpec, recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]]
) -> None:
    doc, _, _ = recorded
    loaded = load_golden(json.dumps(doc).encode(), SHOWN)
    assert loaded.finite
    replayed = replay(loaded.golden, spec, SHOWN, None, finite=loaded.finite)
    assert not replayed.drift
    assert replayed.outcome.result.node_results["sum"] == 15.0
    from_sum = replay(loaded.golden, spec, SHOWN, "sum", finite=loaded.finite)
    assert not from_sum.drift


def test_nan_in_a_golden_is_still_refused(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]],
) -> None:
    doc, _, _ = recorded
    doc["final"]["results"]["sum"] = math.nan
    loaded = load_golden(json.dumps(doc).encode(), SHOWN)  # json writes the NaN literal
    assert not loaded.finite
    with pytest.raises(GoldenFileError, match=r"the final state is not a valid snapshot: .*sum"):
        golden_snapshot(loaded.golden.final or {}, SHOWN, "the final state", finite=loaded.finite)


def test_integer_past_64_bits_in_a_golden_is_refused(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]],
) -> None:
    doc, _, _ = recorded
    doc["final"]["variables"]["total"] = 2**70
    loaded = load_golden(json.dumps(doc).encode(), SHOWN)
    assert loaded.finite  # a strict parser reads it: the range is checked on decoding
    with pytest.raises(
        GoldenFileError, match=r"\$\.variables\.total is an integer outside the 64-bit range"
    ):
        golden_snapshot(loaded.golden.final or {}, SHOWN, "the final state", finite=True)


def test_nesting_too_deep_in_a_golden_is_refused(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]],
) -> None:
    doc, _, _ = recorded
    deep: list[Any] = []
    for _ in range(300):
        deep = [deep]
    doc["final"]["variables"]["total"] = deep
    loaded = load_golden(json.dumps(doc).encode(), SHOWN)
    with pytest.raises(GoldenFileError, match="nested deeper than 254 levels"):
        golden_snapshot(loaded.golden.final or {}, SHOWN, "the final state", finite=loaded.finite)


def outcome_of(doc: dict[str, Any], finite: bool) -> str:
    try:
        golden_snapshot(doc, SHOWN, "the final state", finite=finite)
    except GoldenFileError as exc:
        return str(exc)
    return "valid"


@pytest.mark.parametrize("depth", [252, 253, 254, 255])
@pytest.mark.parametrize(
    "leaf", [1, 2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1, 1e308, "x", None, {}]
)
def test_strict_check_gives_the_full_checks_answer(
    recorded: tuple[dict[str, Any], Snapshot, dict[str, Any]], depth: int, leaf: Any
) -> None:
    """Nesting limits and integer ranges: the same verdict and message with and without the
    shortcut (the value sits in a container at ``depth`` levels below the document)."""
    doc, _, _ = recorded
    value: Any = [leaf]
    for _ in range(depth - 3):  # $ -> variables -> total: the list at level 3 is depth 3
        value = [value]
    final = {**doc["final"], "variables": {"total": value}}
    assert outcome_of(final, True) == outcome_of(final, False)


def test_golden_parse_errors_name_line_and_column() -> None:
    with pytest.raises(GoldenFileError, match=r"is not valid JSON \(line 2, column \d+: "):
        load_golden(b'{\n  "format" x}', SHOWN)
    with pytest.raises(GoldenFileError, match="is not UTF-8 text"):
        load_golden(b'{"format": "\xff"}', SHOWN)


# --- workflows are decoded once -------------------------------------------------------------


def test_workflow_of_caches_by_content(tmp_path: Path, spec: RunSpec) -> None:
    first = workflow_of(spec)
    assert workflow_of(spec_for(tmp_path / "copy.json", CALC_WORKFLOW)) is first
    changed_payload = {**CALC_WORKFLOW, "nodes": [*CALC_WORKFLOW["nodes"][:1]], "edges": []}
    other = workflow_of(spec_for(tmp_path / "other.json", changed_payload))
    assert other.fingerprint != first.fingerprint
    nodes = [{"id": n.id, "type": n.type, "data": n.data} for n in first.payload.nodes]
    edges = [edge.to_dict() for edge in first.payload.edges]
    assert first.fingerprint == workflow_fingerprint(nodes, edges)


# --- the fixture's run() ------------------------------------------------------------------------

RUN_THEN_LOAD = """
import gc

import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_calc(wf_snapshot):
    assert gc.isenabled()
    result = wf_snapshot.run()
    assert gc.isenabled()  # the collector, paused during the replay, runs again
    assert result.node_results["sum"] == 15
    golden = wf_snapshot.load_golden()  # read again: run() keeps nothing of the golden
    assert golden.result["node_results"]["sum"] == 15
    assert wf_snapshot.load_golden() is golden
    assert wf_snapshot.run().node_results == result.node_results  # uses the loaded golden

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_collector_left_off(wf_snapshot):
    gc.disable()
    try:
        wf_snapshot.run()
        assert not gc.isenabled()  # a paused collector is not resumed by the plugin
    finally:
        gc.enable()
"""


def test_run_then_load_golden(wf: WfPytester) -> None:
    wf.write_test("test_calc", RUN_THEN_LOAD)
    wf.run("--wf-record").assert_outcomes(passed=2)
    result = wf.run()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*0 recorded, 0 updated, 0 unchanged, 2 checked, 0 failed*"])
