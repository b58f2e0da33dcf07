"""pytest-xdist: two workers record exactly what a serial run records; reports are merged."""

from __future__ import annotations

from tests.plugin.support import CALC_TEST, WfPytester

MANY = """
import pytest

@pytest.mark.parametrize("case", range(8))
@pytest.mark.wf_snapshot(workflow="workflows/calc.json", start_after="sum")
def test_many(wf_snapshot, case):
    wf_snapshot.run()
"""


def test_parallel_recording_is_identical_to_serial(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.write_test("test_many", MANY)
    wf.run("--wf-record", "--wf-fixtures-dir=serial").assert_outcomes(passed=12)
    parallel = wf.run_sub("-n", "2", "--wf-record", "--wf-fixtures-dir=parallel")
    parallel.assert_outcomes(passed=12)
    parallel.stdout.fnmatch_lines(["*golden files: 12 recorded, 0 updated, 0 unchanged*"])
    serial_files = wf.goldens("serial")
    assert len(serial_files) == 12

    # The golden clock is the recording time (to the second): compare everything else.
    def without_clock(files: dict[str, bytes]) -> dict[str, list[bytes]]:
        return {
            name: [
                line
                for line in data.splitlines()
                if b'"clock"' not in line and b"snapshot_time" not in line
            ]
            for name, data in files.items()
        }

    assert without_clock(wf.goldens("parallel")) == without_clock(serial_files)


def test_parallel_replay_of_serial_goldens(wf: WfPytester) -> None:
    wf.write_test("test_calc", CALC_TEST)
    wf.write_test("test_many", MANY)
    wf.run("--wf-record").assert_outcomes(passed=12)
    files = wf.goldens()
    result = wf.run_sub("-n", "2")
    result.assert_outcomes(passed=12)
    result.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 0 unchanged, 12 checked*"])
    # and re-recording in parallel over serial goldens changes nothing
    again = wf.run_sub("-n", "2", "--wf-record")
    again.stdout.fnmatch_lines(["*golden files: 0 recorded, 0 updated, 12 unchanged*"])
    assert wf.goldens() == files
