"""The options and the marker are visible to users (``--help``, ``--markers``)."""

from __future__ import annotations

from tests.plugin.support import WfPytester


def test_help_lists_every_option_and_ini_setting(wf: WfPytester) -> None:
    result = wf.run("--help")
    assert result.ret == 0
    out = result.stdout.str()
    for text in (
        "workflow golden files (pytest-wfsnap)",
        "--wf-record=[MODE]",
        "--wf-fixtures-dir=DIR",
        "--wf-float-tolerance=TOL",
        "--wf-ignore=PATH",
        "--wf-compare=PARTS",
        "--wf-fail-on-unused",
        "--wf-delete-unused",
        "wf_fixtures_dir",
        "wf_record",
        "wf_float_tolerance",
        "wf_ignore_paths",
        "wf_compare",
    ):
        assert text in out, text


def test_marker_is_registered_for_strict_markers(wf: WfPytester) -> None:
    wf.write_test(
        "test_marked",
        """
        import pytest

        @pytest.mark.wf_snapshot(workflow="workflows/calc.json")
        def test_marked():
            pass
        """,
    )
    result = wf.run("--strict-markers", "--strict-config")
    result.assert_outcomes(passed=1)
    markers = wf.run("--markers").stdout.str()
    assert "@pytest.mark.wf_snapshot(workflow=" in markers


def test_report_header_names_mode_and_directory(wf: WfPytester) -> None:
    wf.write_test("test_nothing", "def test_nothing():\n    pass\n")
    assert "wfsnap: replay (never writes), fixtures dir: fixtures" in wf.run().stdout.str()
    header = wf.run("--wf-record=new", "--wf-fixtures-dir=goldens").stdout.str()
    assert "wfsnap: record new goldens (--wf-record=new), fixtures dir: goldens" in header
