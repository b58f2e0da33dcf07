"""Record with ``--wf-record``, replay by default: the golden files and the summary."""

from __future__ import annotations

from pytest_wfsnap.snapshot import FORMAT_VERSION
from tests.plugin.support import CALC_TEST, WfPytester

GOLDENS = {
    "test_calc/test_calc.golden.json",
    "test_calc/test_cases[one].golden.json",
    "test_calc/test_cases[two].golden.json",
    "test_calc/test_from_sum.golden.json",
}


def test_record_then_replay(wf: WfPytester, mode: str) -> None:
    wf.write_test("test_calc", CALC_TEST)
    recorded = wf.run_mode(mode, "--wf-record")
    recorded.assert_outcomes(passed=4)
    recorded.stdout.fnmatch_lines(["*golden files: 4 recorded, 0 updated, 0 unchanged, 0 checked*"])
    files = wf.goldens()
    assert set(files) == GOLDENS

    replayed = wf.run_mode(mode)
    replayed.assert_outcomes(passed=4)
    replayed.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 0 unchanged, 4 checked*"])
    assert wf.goldens() == files  # replay never writes


def test_golden_content(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    golden = wf.golden("test_calc/test_from_sum.golden.json")
    assert golden["format"] == "pytest-wfsnap golden"
    assert golden["version"] == 2
    assert golden["written_by"].startswith("pytest-wfsnap ")
    assert golden["snapshot_version"] == FORMAT_VERSION
    assert golden["test"] == "test_calc.py::test_from_sum"
    assert golden["workflow"]["path"] == "workflows/calc.json"
    assert len(golden["workflow"]["fingerprint"]) == 64
    assert golden["config"]["allow_http"] is False
    assert golden["seed"] == 0
    assert set(golden["start_states"]) == {"sum"}
    after_sum = golden["start_states"]["sum"]
    assert after_sum["completed_nodes"] == ["a", "b", "sum"]
    assert after_sum["status"] == "paused"
    assert golden["final"]["status"] == "completed"
    assert golden["final"]["variables"] == {"total": 15.0}
    assert golden["final"]["counter"] == 1.0
    assert golden["final"]["node_execution_count"] == 6
    assert golden["result"]["final_output"] == {"operation": "increment", "value": 1.0}
    # volatile values are pinned: the execution id is derived from the test id, times are the
    # recording clock
    assert golden["final"]["execution_id"] == golden["result"]["execution_id"]
    assert golden["final"]["snapshot_time"] == golden["clock"]
    # a plain test without start_after records no intermediate state
    assert wf.golden("test_calc/test_calc.golden.json")["start_states"] == {}


def test_rerecord_is_byte_identical(wf: WfPytester, mode: str) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    first = wf.goldens()
    mtimes = {p: (wf.path / "fixtures" / p).stat().st_mtime_ns for p in first}
    again = wf.run_mode(mode, "--wf-record")
    again.assert_outcomes(passed=4)
    again.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 4 unchanged, 0 checked*"])
    assert wf.goldens() == first
    # unchanged files are not even rewritten
    assert {p: (wf.path / "fixtures" / p).stat().st_mtime_ns for p in first} == mtimes


def test_record_new_only_records_missing(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    (wf.path / "fixtures/test_calc/test_calc.golden.json").unlink()
    result = wf.run("--wf-record=new")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*golden files: 1 recorded, 0 updated, 0 unchanged, 3 checked*"])
    assert set(wf.goldens()) == GOLDENS


def test_changed_workflow_is_updated_on_record(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    before = wf.golden("test_calc/test_calc.golden.json")
    payload = wf.path / "workflows/calc.json"
    payload.write_text(payload.read_text().replace('"value": 5', '"value": 5.0'))
    # 5 and 5.0 are the same payload number: same fingerprint, nothing to update
    wf.run("--wf-record").stdout.fnmatch_lines(["*0 updated, 4 unchanged*"])
    payload.write_text(payload.read_text().replace('"value": 5.0', '"value": 6'))
    wf.write_test("test_calc", CALC_TEST.replace("== 15", "== 16"))
    result = wf.run("--wf-record")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*0 recorded, 4 updated, 0 unchanged*"])
    after = wf.golden("test_calc/test_calc.golden.json")
    assert after["result"]["node_results"]["sum"] == 16.0
    assert after["clock"] == before["clock"]  # the recording clock is kept across re-records
