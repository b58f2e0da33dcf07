"""A missing golden fails, naming the file and the record command; CI never writes."""

from __future__ import annotations

import pytest

from tests.plugin.support import CALC_TEST, WfPytester


def test_missing_golden_fails_with_file_and_command(wf: WfPytester, mode: str) -> None:
    wf.write_test("test_calc", CALC_TEST)
    result = wf.run_mode(mode, "test_calc.py::test_calc")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden file fixtures/test_calc/test_calc.golden.json is missing for "
            "test_calc.py::test_calc*",
            "*re-record this test with: pytest --wf-record 'test_calc.py::test_calc'*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["*golden files: 0 recorded, 0 updated, 0 unchanged, 0 checked, 1 failed*"]
    )
    assert not (wf.path / "fixtures").exists()


def test_ci_never_writes_without_the_flag(
    wf: WfPytester, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.pytester.makeini("[pytest]\nwf_record = new\n")
    monkeypatch.setenv("CI", "true")
    result = wf.run_mode(mode)
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(["*CI set: no writes without --wf-record*"])
    result.stdout.fnmatch_lines(
        [
            "*is missing for test_calc.py::test_calc (CI is set: golden files are only "
            "written with --wf-record)*"
        ]
    )
    assert not (wf.path / "fixtures").exists()
    # an explicit flag is the only way to write in CI
    wf.run_mode(mode, "--wf-record").assert_outcomes(passed=4)
    assert len(wf.goldens()) == 4


def test_ini_record_mode_applies_outside_ci(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.pytester.makeini("[pytest]\nwf_record = new\n")
    result = wf.run()
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*4 recorded*"])


def test_the_printed_command_records_the_test(wf: WfPytester) -> None:
    """``pytest --wf-record '<node id>'``: a bare flag must not swallow the node id."""
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record", "test_calc.py::test_calc").assert_outcomes(passed=1)
    assert set(wf.goldens()) == {"test_calc/test_calc.golden.json"}
    wf.run("test_calc.py::test_calc").assert_outcomes(passed=1)
