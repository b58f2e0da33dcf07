"""Options, ini settings, marker validation and the precedence rule."""

from __future__ import annotations

import pytest

from tests.plugin.support import CALC_TEST, WfPytester


def test_fixtures_dir_from_ini_is_relative_to_the_rootdir(
    wf: WfPytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.pytester.makeini("[pytest]\nwf_fixtures_dir = goldens/wf\n")
    sub = wf.path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = wf.run("--wf-record", "--rootdir", str(wf.path), str(wf.path))
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*fixtures dir: goldens/wf"])
    assert len(wf.goldens("goldens/wf")) == 4
    assert not (sub / "goldens").exists()


def test_command_line_dir_beats_ini(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.pytester.makeini("[pytest]\nwf_fixtures_dir = from_ini\n")
    wf.run("--wf-record", "--wf-fixtures-dir=from_cli").assert_outcomes(passed=4)
    assert len(wf.goldens("from_cli")) == 4
    assert not (wf.path / "from_ini").exists()
    # the re-record command repeats the directory option
    (wf.path / "from_cli/test_calc/test_calc.golden.json").unlink()
    result = wf.run("--wf-fixtures-dir=from_cli", "test_calc.py::test_calc")
    result.stdout.fnmatch_lines(
        [
            "*re-record this test with: pytest --wf-record --wf-fixtures-dir='from_cli' "
            "'test_calc.py::test_calc'"
        ]
    )


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ('workflow="workflows/calc.json", start="sum"', "unknown argument(s) start"),
        ('"workflows/calc.json"', "takes keyword arguments only"),
        ('workflow="workflows/calc.json", float_tolerance=-1', "float_tolerance must be >= 0"),
        ('workflow="workflows/calc.json", compare=["speed"]', "unknown comparison part(s) speed"),
        (
            'workflow="workflows/calc.json", config={"allow_htp": True}',
            "unknown config field(s) allow_htp",
        ),
        ('workflow="workflows/missing.json"', "workflow file 'workflows/missing.json' not found"),
    ],
)
def test_invalid_marker_arguments(wf: WfPytester, marker: str, message: str) -> None:
    wf.write_test(
        "test_bad",
        f"""
        import pytest

        @pytest.mark.wf_snapshot({marker})
        def test_bad(wf_snapshot):
            wf_snapshot.run()
        """,
    )
    result = wf.run("--wf-record")
    assert result.ret == 1
    out = result.stdout.str()
    assert message in out
    if "not found" not in message:
        # the error lists every accepted argument
        for name in ("workflow:", "start_after:", "config:", "float_tolerance:", "ignore:"):
            assert name in out
    assert wf.goldens() == {}


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        (["--wf-record=bogus"], "", "--wf-record: invalid record mode 'bogus'"),
        ([], "wf_record = sometimes", "ini wf_record: invalid record mode 'sometimes'"),
        ([], "wf_float_tolerance = lots", "ini option wf_float_tolerance: expected a number"),
        (["--wf-compare=speed"], "", "--wf-compare: unknown comparison part(s) speed"),
    ],
)
def test_invalid_settings_are_usage_errors(
    wf: WfPytester, args: list[str], ini: str, message: str
) -> None:
    wf.write_test("test_calc", CALC_TEST)
    if ini:
        wf.pytester.makeini(f"[pytest]\n{ini}\n")
    result = wf.run(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()


def test_markers_merge_and_keywords_override(wf: WfPytester) -> None:
    wf.write_test(
        "test_merge",
        """
        import pytest

        pytestmark = pytest.mark.wf_snapshot(workflow="workflows/calc.json")

        @pytest.mark.wf_snapshot(start_after="sum")
        class TestCalc:
            def test_from_sum(self, wf_snapshot):
                wf_snapshot.run()
                assert set(wf_snapshot.load_golden().start_states) == {"sum"}

            @pytest.mark.wf_snapshot(start_after="total")
            def test_closest_marker_wins(self, wf_snapshot):
                wf_snapshot.run()
                assert set(wf_snapshot.load_golden().start_states) == {"total"}

            def test_keyword_beats_marker(self, wf_snapshot):
                wf_snapshot.run(start_after="acc")
                assert set(wf_snapshot.load_golden().start_states) == {"acc"}
        """,
    )
    wf.run("--wf-record").assert_outcomes(passed=3)
    assert set(wf.goldens()) == {
        "test_merge/TestCalc.test_from_sum.golden.json",
        "test_merge/TestCalc.test_closest_marker_wins.golden.json",
        "test_merge/TestCalc.test_keyword_beats_marker.golden.json",
    }
    wf.run().assert_outcomes(passed=3)
