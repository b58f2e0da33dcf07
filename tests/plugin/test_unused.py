"""Unused goldens: reported, failed on request, deleted only when asked on a complete run.

Partial selections (-k, -m, node ids, deselection) never judge the goldens of the test files
they narrowed; parametrized cases are goldens of their own.
"""

from __future__ import annotations

import pytest

from tests.plugin.support import WfPytester

SOURCE = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_keep(wf_snapshot):
    wf_snapshot.run()

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_drop(wf_snapshot):
    wf_snapshot.run()

@pytest.mark.parametrize("case", [1, 2, 3])
@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_param(wf_snapshot, case):
    wf_snapshot.run()
"""
LATER = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_keep(wf_snapshot):
    wf_snapshot.run()

@pytest.mark.parametrize("case", [1, 2])
@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_param(wf_snapshot, case):
    wf_snapshot.run()
"""
OTHER = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_other(wf_snapshot):
    wf_snapshot.run()
"""
DROPPED = "test_a/test_drop.golden.json"
CASE3 = "test_a/test_param[3].golden.json"


def lit(text: str) -> str:
    """``text`` as a literal fnmatch pattern (brackets escaped)."""
    return text.replace("[", "[[]")


@pytest.fixture
def recorded(wf: WfPytester) -> WfPytester:
    wf.write_test("test_a", SOURCE)
    wf.write_test("test_b", OTHER)
    wf.run("--wf-record").assert_outcomes(passed=6)
    # the suite moves on: test_drop removed, case 3 of test_param removed
    wf.write_test("test_a", LATER)
    return wf


def test_full_run_reports_unused(recorded: WfPytester, mode: str) -> None:
    result = recorded.run_mode(mode)
    result.assert_outcomes(passed=4)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "*golden files: 0 recorded, 0 updated, 0 unchanged, 4 checked, 0 failed, 2 unused",
            "*2 unused golden file(s) (no selected test uses them):",
            f"*fixtures/{DROPPED}",
            f"*fixtures/{lit(CASE3)}",
            "*delete them with: pytest --wf-delete-unused (whole suite only)",
        ]
    )
    assert len(recorded.goldens()) == 6  # reported, not deleted


@pytest.mark.parametrize(
    ("selection", "judged_a"),
    [
        (["-k", "test_keep or test_param"], True),  # every test of test_a.py selected
        (["-k", "not test_other"], True),
        (["-k", "test_keep"], False),  # test_a.py partly deselected
        (["test_a.py::test_keep"], False),  # narrowed to a node id
        (["test_a.py::test_param[1]", "test_b.py"], False),
        (["-m", "not slow"], True),  # deselects nothing, but is a filter: no deletion
    ],
    ids=["k-whole-file", "k-not", "k-part", "node-id", "param-node-id", "m-expr"],
)
def test_partial_selection_never_deletes(
    recorded: WfPytester, selection: list[str], judged_a: bool
) -> None:
    recorded.pytester.makeini("[pytest]\nmarkers =\n    slow: slow tests\n")
    result = recorded.run("--wf-delete-unused", "--wf-fail-on-unused", *selection)
    out = result.stdout.str()
    if judged_a:
        result.stdout.fnmatch_lines(
            [
                "*2 unused golden file(s) (no selected test uses them):",
                f"*fixtures/{DROPPED}",
                f"*fixtures/{lit(CASE3)}",
                "*not deleted: the selection was partial*",
            ]
        )
        assert result.ret == 1  # --wf-fail-on-unused
    else:
        assert "unused golden" not in out
        assert result.ret == 0
    assert len(recorded.goldens()) == 6


def test_deselected_parametrized_case_is_not_unused(wf: WfPytester) -> None:
    wf.write_test("test_a", SOURCE)
    wf.run("--wf-record").assert_outcomes(passed=5)
    result = wf.run("-k", "not test_param[3]", "--wf-fail-on-unused")
    result.assert_outcomes(passed=4, deselected=1)
    result.stdout.fnmatch_lines(["*golden files: *, 4 checked, 0 failed, 0 unused"])
    assert result.ret == 0


def test_fail_on_unused(recorded: WfPytester, mode: str) -> None:
    result = recorded.run_mode(mode, "--wf-fail-on-unused")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*session failed: unused golden files (--wf-fail-on-unused)"])
    assert result.ret == 1
    assert recorded.run_mode(mode).ret == 0


def test_delete_unused_on_a_complete_run(recorded: WfPytester, mode: str) -> None:
    result = recorded.run_mode(mode, "--wf-delete-unused")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        ["*deleted 2 unused golden file(s):", f"*fixtures/{DROPPED}", f"*fixtures/{lit(CASE3)}"]
    )
    assert set(recorded.goldens()) == {
        "test_a/test_keep.golden.json",
        "test_a/test_param[1].golden.json",
        "test_a/test_param[2].golden.json",
        "test_b/test_other.golden.json",
    }
    again = recorded.run_mode(mode, "--wf-fail-on-unused")
    assert again.ret == 0


def test_delete_refused_on_partial_selection(recorded: WfPytester) -> None:
    result = recorded.run("--wf-delete-unused", "-k", "not test_other")
    result.stdout.fnmatch_lines(
        ["*2 unused golden file(s)*", "*not deleted: the selection was partial*"]
    )
    assert len(recorded.goldens()) == 6


def test_goldens_of_a_deleted_test_file(recorded: WfPytester) -> None:
    (recorded.path / "test_b.py").unlink()
    result = recorded.run()
    result.stdout.fnmatch_lines(
        ["*3 unused golden file(s)*", "*fixtures/test_b/test_other.golden.json"]
    )
    # a run narrowed to another file does not judge it
    narrowed = recorded.run("test_a.py::test_keep")
    assert "test_other.golden.json" not in narrowed.stdout.str()


def test_unrelated_files_in_the_fixtures_dir_are_ignored(recorded: WfPytester) -> None:
    (recorded.path / "fixtures/test_a/notes.json").write_text("{}")
    (recorded.path / "fixtures/test_a/.test_keep.golden.json.1234.tmp").write_text("{")
    result = recorded.run("--wf-delete-unused")
    assert (recorded.path / "fixtures/test_a/notes.json").exists()
    assert "notes.json" not in result.stdout.str() and ".tmp" not in result.stdout.str()
