"""A workflow that fails is recorded and replayed like any other run: the error is checked."""

from __future__ import annotations

from tests.plugin.support import WfPytester

FAILING = {
    "nodes": [
        {"id": "n", "data": {"value": 1}},
        {"id": "get", "type": "variable", "data": {"var_name": "missing", "var_op": "get"}},
    ],
    "edges": [{"source": "n", "target": "get"}],
}
TEST = """
import pytest
from pytest_wfsnap.errors import ExecutionError

@pytest.mark.wf_snapshot(workflow="workflows/failing.json")
def test_fails(wf_snapshot):
    with pytest.raises(ExecutionError, match="variable 'missing' not found") as info:
        wf_snapshot.run()
    assert info.value.result.status == "failed"
"""


def test_failed_run_is_recorded_and_checked(wf: WfPytester, mode: str) -> None:
    wf.write_workflow("failing", FAILING)
    wf.write_test("test_failing", TEST)
    wf.run("--wf-record").assert_outcomes(passed=1)
    golden = wf.golden("test_failing/test_fails.golden.json")
    assert golden["result"]["status"] == "failed"
    assert golden["result"]["errors"] == ["error executing node get: variable 'missing' not found"]
    assert golden["final"]["failed_node"] == "get"
    wf.run_mode(mode).assert_outcomes(passed=1)


def test_a_new_failure_is_drift(wf: WfPytester) -> None:
    wf.write_workflow("failing", FAILING)
    wf.write_test("test_failing", TEST)
    wf.run("--wf-record").assert_outcomes(passed=1)
    rel = "test_failing/test_fails.golden.json"
    golden = wf.golden(rel)
    golden["result"]["errors"] = []
    golden["result"]["status"] = "completed"
    wf.write_golden(rel, golden)
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*result:",
            "*$.errors[[]0]: added \"error executing node get: variable 'missing' not found\"",
        ]
    )
