"""Replay drift: a per-node diff (capped), float tolerance, ignored paths, compared parts."""

from __future__ import annotations

from typing import Any

from tests.plugin.support import WfPytester

TEST = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_calc(wf_snapshot):
    wf_snapshot.run()
"""
GOLDEN = "test_calc/test_calc.golden.json"


def record(wf: WfPytester, source: str = TEST) -> dict[str, Any]:
    wf.write_test("test_calc", source)
    wf.run("--wf-record").assert_outcomes(passed=1)
    return wf.golden(GOLDEN)


def pretend_recorded_sum(golden: dict[str, Any], value: Any) -> None:
    """Edit the golden as if the engine had computed ``value`` for node ``sum`` when recording."""
    golden["final"]["results"]["sum"] = value
    golden["result"]["node_results"]["sum"] = value
    golden["final"]["variables"]["total"] = value


def test_drift_diff_names_nodes_paths_and_the_record_command(wf: WfPytester, mode: str) -> None:
    golden = record(wf)
    pretend_recorded_sum(golden, 16.0)
    golden["final"]["counter"] = 3.0
    wf.write_golden(GOLDEN, golden)
    result = wf.run_mode(mode)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*workflow run drifted from the recording in fixtures/test_calc/test_calc.golden.json:",
            "*snapshots differ: 3 changes (results 1, variables 1, counters 1)",
            "*node sum:",
            "*~ $.results.sum: 16.0 -> 15.0",
            "*variables:",
            "*~ $.variables.total: 16.0 -> 15.0",
            "*counters:",
            "*~ $.counter: 3.0 -> 1.0",
            "*re-record this test with: pytest --wf-record 'test_calc.py::test_calc'",
        ]
    )
    result.stdout.fnmatch_lines(["*0 checked, 1 failed*"])
    assert "stale fixture" not in result.stdout.str()


def test_final_output_drift_is_reported_under_result(wf: WfPytester) -> None:
    golden = record(wf)
    golden["result"]["final_output"] = {"operation": "increment", "value": 2.0}
    wf.write_golden(GOLDEN, golden)
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*result:", "*$.final_output.value: 2.0 -> 1.0"])


def test_diff_output_is_capped(wf: WfPytester) -> None:
    golden = record(wf)
    golden["final"]["variables"] = {f"v{i:03}": i for i in range(300)}
    wf.write_golden(GOLDEN, golden)
    result = wf.run()
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    result.stdout.fnmatch_lines(["*... 261 more changes"])
    assert "$.variables.v038" in out and "$.variables.v100" not in out
    assert len(out) < 12_000


def test_float_tolerance_from_marker(wf: WfPytester) -> None:
    golden = record(wf)
    pretend_recorded_sum(golden, 15.0004)
    wf.write_golden(GOLDEN, golden)
    wf.run().assert_outcomes(failed=1)
    wf.write_test("test_calc", TEST.replace('.json")', '.json", float_tolerance=1e-3)'))
    wf.run().assert_outcomes(passed=1)
    # the command line beats the marker
    wf.run("--wf-float-tolerance=0").assert_outcomes(failed=1)


def test_float_tolerance_from_ini(wf: WfPytester) -> None:
    golden = record(wf)
    pretend_recorded_sum(golden, 15.0004)
    wf.write_golden(GOLDEN, golden)
    wf.pytester.makeini("[pytest]\nwf_float_tolerance = 0.01\n")
    wf.run().assert_outcomes(passed=1)
    # the marker beats the ini file
    wf.write_test("test_calc", TEST.replace('.json")', '.json", float_tolerance=0)'))
    wf.run().assert_outcomes(failed=1)


def test_ignore_paths(wf: WfPytester) -> None:
    golden = record(wf)
    pretend_recorded_sum(golden, 99.0)
    wf.write_golden(GOLDEN, golden)
    wf.write_test(
        "test_calc",
        TEST.replace('.json")', ".json\", ignore=['results.sum', '$.variables.*'])"),
    )
    wf.run().assert_outcomes(passed=1)
    wf.run("--wf-ignore=results.sum").assert_outcomes(failed=1)  # variables compared again


def test_compare_selects_parts(wf: WfPytester) -> None:
    golden = record(wf)
    golden["final"]["counter"] = 7.0
    golden["final"]["node_execution_count"] = 60
    wf.write_golden(GOLDEN, golden)
    wf.run().assert_outcomes(failed=1)
    wf.write_test(
        "test_calc",
        TEST.replace('.json")', ".json\", compare=['node_results', 'final_output'])"),
    )
    wf.run().assert_outcomes(passed=1)
    wf.pytester.makeini("[pytest]\nwf_compare = counter\n")
    wf.write_test("test_calc", TEST)
    result = wf.run()
    result.assert_outcomes(failed=1)
    assert "$.counter" in result.stdout.str()
    assert "node_execution_count" not in result.stdout.str()
