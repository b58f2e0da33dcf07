"""The fixture's building blocks, used without a marker."""

from __future__ import annotations

from tests.plugin.support import WfPytester

CUSTOM = """
from pytest_wfsnap.errors import ExecutionError

WF = "workflows/calc.json"

def test_run_with_keywords(wf_snapshot):
    result = wf_snapshot.run(workflow=WF, start_after="sum")
    assert result.final_output == {"operation": "increment", "value": 1.0}

def test_building_blocks(wf_snapshot):
    snap = wf_snapshot.start_state(after="total", workflow=WF)
    assert snap.completed_nodes == ["a", "b", "sum", "total"]
    assert snap.variables == {"total": 15.0}
    engine = wf_snapshot.engine_from(snap)
    result = engine.execute()
    # resumed from the recorded state, the run matches the recorded uninterrupted run
    wf_snapshot.assert_matches(result)
    wf_snapshot.assert_matches(result, engine.save_snapshot())
    golden = wf_snapshot.load_golden()
    assert set(golden.start_states) == {"total"}
    assert golden.result["final_output"]["value"] == 1.0
    fresh = wf_snapshot.start_state(workflow=WF)
    assert fresh.completed_nodes == [] and fresh.status == "pending"

def test_record_snapshot(wf_snapshot):
    snap = wf_snapshot.start_state(after="sum", workflow=WF)
    wf_snapshot.record_snapshot("after-sum", snap)
"""


def test_building_blocks_record_then_replay(wf: WfPytester, mode: str) -> None:
    wf.write_test("test_custom", CUSTOM)
    wf.run_mode(mode, "--wf-record").assert_outcomes(passed=3)
    golden = wf.golden("test_custom/test_record_snapshot.golden.json")
    assert set(golden["snapshots"]) == {"after-sum"}
    assert golden["snapshots"]["after-sum"]["completed_nodes"] == ["a", "b", "sum"]
    result = wf.run_mode(mode)
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 0 unchanged, 3 checked*"])


def test_assert_matches_reports_drift(wf: WfPytester) -> None:
    wf.write_test("test_custom", CUSTOM)
    wf.run("--wf-record").assert_outcomes(passed=3)
    golden = wf.golden("test_custom/test_building_blocks.golden.json")
    golden["result"]["node_results"]["count"]["value"] = 5.0
    wf.write_golden("test_custom/test_building_blocks.golden.json", golden)
    result = wf.run("-k", "building_blocks")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*workflow run drifted from the recording in *test_building_blocks.golden.json:",
            "*$.results.count.value: 5.0 -> 1.0",
            "*re-record this test with: pytest --wf-record 'test_custom.py::test_building_blocks'",
        ]
    )


def test_record_snapshot_checks_on_replay(wf: WfPytester) -> None:
    wf.write_test("test_custom", CUSTOM)
    wf.run("--wf-record").assert_outcomes(passed=3)
    rel = "test_custom/test_record_snapshot.golden.json"
    golden = wf.golden(rel)
    golden["snapshots"]["after-sum"]["variables"] = {"x": 1}
    wf.write_golden(rel, golden)
    result = wf.run("-k", "record_snapshot")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*variables:", "*- $.variables.x: 1"])
    wf.write_test("test_custom", CUSTOM.replace('"after-sum", snap', '"other", snap'))
    result = wf.run("-k", "record_snapshot")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*holds no snapshot named 'other' (stored: after-sum)*"])


def test_run_without_workflow_is_a_usage_error(wf: WfPytester) -> None:
    wf.write_test("test_bare", "def test_bare(wf_snapshot):\n    wf_snapshot.run()\n")
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*wf_snapshot: no workflow given; pass workflow=... to @pytest.mark.wf_snapshot*"]
    )
