"""A golden recorded from another workflow definition or config is a stale fixture."""

from __future__ import annotations

import json

from tests.plugin.support import CALC_TEST, CALC_WORKFLOW, WfPytester


def test_changed_workflow_is_reported_as_stale(wf: WfPytester, mode: str) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    changed = json.loads(json.dumps(CALC_WORKFLOW))
    changed["nodes"][1]["data"]["value"] = 6
    wf.write_workflow("calc", changed)
    result = wf.run_mode(mode, "test_calc.py::test_calc")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*stale fixture: fixtures/test_calc/test_calc.golden.json no longer matches "
            "workflows/calc.json: the workflow definition changed (fingerprint * -> *).",
            "definition changes:",
            "  node b: data.value: 5.0 -> 6.0",
            "effect on the recorded run (the changed workflow run from the start):",
            "node sum:",
            "  ~ $.results.sum: 15.0 -> 16.0",
            "*This is a stale fixture, not a regression check: record the golden again*",
            "*re-record this test with: pytest --wf-record 'test_calc.py::test_calc'",
        ]
    )


def test_stale_fixture_lists_added_and_removed_nodes_and_edges(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    changed = json.loads(json.dumps(CALC_WORKFLOW))
    changed["nodes"] = [n for n in changed["nodes"] if n["id"] != "count"]
    changed["nodes"].append({"id": "audit", "type": "counter", "data": {"counter_op": "get"}})
    changed["edges"] = [e for e in changed["edges"] if e["target"] != "count"]
    changed["edges"].append({"source": "total", "target": "audit"})
    wf.write_workflow("calc", changed)
    result = wf.run("test_calc.py::test_calc")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "  node removed: count (type counter)",
            "  node added: audit (type counter)",
            "  edge removed: total -> count",
            "  edge added: total -> audit",
        ]
    )


def test_changed_config_is_reported_as_stale(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    wf.write_test(
        "test_calc",
        CALC_TEST.replace(
            'workflow="workflows/calc.json"',
            'workflow="workflows/calc.json", config={"max_nodes": 50}',
        ),
    )
    result = wf.run()
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(["*stale fixture: *the engine config changed (max_nodes)*"])


def test_layout_changes_are_not_stale(wf: WfPytester) -> None:
    """Node order, positions and labels do not change a run: the golden still applies."""
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    moved = json.loads(json.dumps(CALC_WORKFLOW))
    moved["nodes"].reverse()
    for index, node in enumerate(moved["nodes"]):
        node["position"] = {"x": index * 100, "y": 0}
    wf.write_workflow("calc", moved)
    wf.run().assert_outcomes(passed=4)
