"""Replay from a recorded starting state: completed nodes are restored, not run again."""

from __future__ import annotations

from tests.plugin.support import WfPytester

TEST = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json", start_after="sum")
def test_from_sum(wf_snapshot):
    result = wf_snapshot.run()
    assert result.node_results["total"]["value"] == 15
"""
GOLDEN = "test_calc/test_from_sum.golden.json"


def test_replay_starts_from_the_recorded_state(wf: WfPytester, mode: str) -> None:
    wf.write_test("test_calc", TEST)
    wf.run("--wf-record").assert_outcomes(passed=1)
    wf.run_mode(mode).assert_outcomes(passed=1)
    # Change the recorded state after "sum": had the replay run "sum" again it would not see
    # this value; since it restores the state, the change flows into the downstream nodes.
    golden = wf.golden(GOLDEN)
    golden["start_states"]["sum"]["results"]["sum"] = 20.0
    wf.write_golden(GOLDEN, golden)
    result = wf.run_mode(mode)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*node total:", "*$.results.total.value: 15.0 -> 20.0*"])


def test_unknown_start_node_is_a_usage_error(wf: WfPytester) -> None:
    wf.write_test("test_calc", TEST.replace('start_after="sum"', 'start_after="nope"'))
    result = wf.run("--wf-record")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*stop_after names unknown node(s): nope (start_after/states must name nodes of "
            "workflows/calc.json: a, b, sum, total, acc, count)*"
        ]
    )
    assert wf.goldens() == {}


def test_start_state_missing_from_golden(wf: WfPytester) -> None:
    wf.write_test("test_calc", TEST.replace(', start_after="sum"', ""))
    wf.run("--wf-record").assert_outcomes(passed=1)
    wf.write_test("test_calc", TEST)
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden file fixtures/test_calc/test_from_sum.golden.json holds no state after "
            "node 'sum' (recorded states: none); record it again to add it",
            "*re-record this test with: pytest --wf-record 'test_calc.py::test_from_sum'",
        ]
    )


def test_skipped_node_cannot_be_a_start(wf: WfPytester) -> None:
    wf.write_workflow(
        "branch",
        {
            "nodes": [
                {"id": "n", "data": {"value": 1}},
                {"id": "cond", "type": "condition", "data": {"condition": ">5"}},
                {"id": "big", "type": "text_input", "data": {"text": "big"}},
                {"id": "small", "type": "text_input", "data": {"text": "small"}},
            ],
            "edges": [
                {"source": "n", "target": "cond"},
                {"source": "cond", "target": "big", "sourceHandle": "true"},
                {"source": "cond", "target": "small", "sourceHandle": "false"},
            ],
        },
    )
    wf.write_test(
        "test_branch",
        """
        import pytest

        @pytest.mark.wf_snapshot(workflow="workflows/branch.json", start_after="big")
        def test_big(wf_snapshot):
            wf_snapshot.run()
        """,
    )
    result = wf.run("--wf-record")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*no state after node(s) big can be recorded: the node did not run in the recorded "
            "run of workflows/branch.json (it was skipped)*"
        ]
    )
