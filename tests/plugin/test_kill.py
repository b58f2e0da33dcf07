"""A recording killed with SIGKILL in the middle of writing a golden leaves no torn file."""

from __future__ import annotations

import json
import signal
import sys

import pytest

from tests.plugin.support import CALC_WORKFLOW, WfPytester

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

TEST = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_calc(wf_snapshot):
    wf_snapshot.run()
"""
# Kills the test process (SIGKILL, no cleanup) after half of a golden's bytes were written.
KILLER = """
import os
import signal

_open, _write = os.open, os.write
_golden_fds = set()

def _tracking_open(path, flags, *args, **kwargs):
    fd = _open(path, flags, *args, **kwargs)
    name = os.fspath(path)
    if ".golden.json." in name and name.endswith(".tmp"):
        _golden_fds.add(fd)
    return fd

def _killing_write(fd, data):
    if fd in _golden_fds:
        _write(fd, bytes(data)[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    return _write(fd, data)

os.open = _tracking_open
os.write = _killing_write
"""
GOLDEN = "fixtures/test_calc/test_calc.golden.json"


def killed_recording(wf: WfPytester) -> pytest.RunResult:
    wf.pytester.makeconftest(KILLER)
    result = wf.run_sub("--wf-record")
    assert result.ret == -signal.SIGKILL
    (wf.path / "conftest.py").unlink()
    return result


def test_killed_first_recording_leaves_no_golden(wf: WfPytester) -> None:
    wf.write_test("test_calc", TEST)
    killed_recording(wf)
    assert not (wf.path / GOLDEN).exists()
    leftovers = list((wf.path / "fixtures/test_calc").iterdir())
    assert [p.name.startswith(".") and p.name.endswith(".tmp") for p in leftovers] == [True]
    # replay: a clean "missing" failure, the leftover is not mistaken for a golden
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*golden file fixtures/test_calc/test_calc.golden.json is missing*"]
    )
    assert "unused" not in result.stdout.str().replace("0 unused", "")
    wf.run("--wf-record").assert_outcomes(passed=1)
    wf.run().assert_outcomes(passed=1)


def test_killed_rerecording_keeps_the_previous_golden(wf: WfPytester) -> None:
    wf.write_test("test_calc", TEST)
    wf.run("--wf-record").assert_outcomes(passed=1)
    before = (wf.path / GOLDEN).read_bytes()
    changed = json.loads(json.dumps(CALC_WORKFLOW))
    changed["nodes"][0]["data"]["value"] = 11
    wf.write_workflow("calc", changed)
    killed_recording(wf)
    assert (wf.path / GOLDEN).read_bytes() == before
    json.loads(before)  # complete, valid JSON
    result = wf.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*stale fixture*"])
