"""A golden file edited by hand into something invalid gives a clear error naming the file."""

from __future__ import annotations

import pytest

from tests.plugin.support import CALC_TEST, WfPytester

GOLDEN = "fixtures/test_calc/test_calc.golden.json"


@pytest.fixture
def recorded(wf: WfPytester) -> WfPytester:
    wf.write_test("test_calc", CALC_TEST)
    wf.run("--wf-record").assert_outcomes(passed=4)
    return wf


def test_invalid_json(recorded: WfPytester, mode: str) -> None:
    path = recorded.path / GOLDEN
    path.write_text(path.read_text().replace('"format"', "format", 1))
    result = recorded.run_mode(mode)
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*golden file {GOLDEN} is not valid JSON (line *, column *: *); it may have been "
            "edited by hand",
            "*re-record this test with: pytest --wf-record 'test_calc.py::test_calc'",
        ]
    )


def test_wrong_field_types(recorded: WfPytester) -> None:
    golden = recorded.golden("test_calc/test_calc.golden.json")
    golden["start_states"] = ["not", "a", "mapping"]
    recorded.write_golden("test_calc/test_calc.golden.json", golden)
    result = recorded.run("test_calc.py::test_calc")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*golden file {GOLDEN} is invalid: start_states: *"])


def test_invalid_snapshot_inside(recorded: WfPytester) -> None:
    golden = recorded.golden("test_calc/test_calc.golden.json")
    golden["final"]["node_execution_count"] = "many"
    recorded.write_golden("test_calc/test_calc.golden.json", golden)
    result = recorded.run("test_calc.py::test_calc")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [f"*golden file {GOLDEN}: the final state is not a valid snapshot: *node_execution_count*"]
    )


def test_unknown_version(recorded: WfPytester) -> None:
    golden = recorded.golden("test_calc/test_calc.golden.json")
    golden["version"] = 99
    recorded.write_golden("test_calc/test_calc.golden.json", golden)
    result = recorded.run("test_calc.py::test_calc")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*golden file {GOLDEN} has format version 99 (written by pytest-wfsnap *); this "
            "release (pytest-wfsnap *) reads golden format versions 1, 2; it comes from a newer "
            "release: upgrade pytest-wfsnap to read it"
        ]
    )


def test_rerecording_replaces_an_invalid_golden(recorded: WfPytester) -> None:
    path = recorded.path / GOLDEN
    path.write_text("{ not json")
    result = recorded.run("--wf-record")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*0 recorded, 1 updated, 3 unchanged*"])
    recorded.run().assert_outcomes(passed=4)
