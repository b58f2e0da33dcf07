"""The ``wfsnap`` command, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def wfsnap(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "pytest_wfsnap.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=60,
        check=False,
    )


def write(tmp_path: Path, payload: Any, name: str = "payload.json") -> str:
    path = tmp_path / name
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload))
    return str(path)


ADDITION = {
    "workflow_id": "sum",
    "nodes": [
        {"id": "1", "data": {"value": 10}},
        {"id": "2", "data": {"value": 5.5}},
        {"id": "3", "data": {"op": "add"}},
    ],
    "edges": [{"source": "1", "target": "3"}, {"source": "2", "target": "3"}],
}


def test_run_prints_the_result_as_go_json(tmp_path: Path) -> None:
    done = wfsnap("run", write(tmp_path, ADDITION))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["node_results"] == {"1": 10, "2": 5.5, "3": 15.5}
    assert result["final_output"] == 15.5
    assert result["workflow_id"] == "sum" and result["status"] == "completed"
    assert list(result) == ["execution_id", "workflow_id", "node_results", "final_output", "status"]
    assert '"1": 10,' in done.stdout  # Go number format, indented
    compact = wfsnap("run", "--compact", write(tmp_path, ADDITION))
    assert compact.stdout.count("\n") == 1 and '"3":15.5' in compact.stdout


def test_run_reads_stdin(tmp_path: Path) -> None:
    done = wfsnap("run", "-", stdin=json.dumps(ADDITION))
    assert done.returncode == 0 and json.loads(done.stdout)["final_output"] == 15.5


def test_a_failed_run_exits_1_with_the_error_and_the_partial_result(tmp_path: Path) -> None:
    payload = {
        "nodes": [{"id": "n", "data": {"value": 1}}, {"id": "op", "data": {"op": "add"}}],
        "edges": [{"source": "n", "target": "op"}],
    }
    done = wfsnap("run", write(tmp_path, payload))
    assert done.returncode == 1
    assert done.stderr.strip() == "error executing node op: operation needs 2 inputs, got 1"
    result = json.loads(done.stdout)
    assert result["status"] == "failed" and result["node_results"] == {"n": 1}
    assert result["errors"] == ["error executing node op: operation needs 2 inputs, got 1"]


def test_config_options_reach_the_engine(tmp_path: Path) -> None:
    path = write(tmp_path, ADDITION)
    limited = wfsnap("run", path, "--config", "MaxNodeExecutions=2")
    assert limited.returncode == 1
    assert "maximum node executions exceeded: 3 (limit: 2)" in limited.stderr
    timed_out = wfsnap(
        "run", path, "--config-preset", "zero_trust", "--config", "max_execution_time=0s"
    )
    assert timed_out.returncode == 1
    assert timed_out.stderr.strip() == "workflow execution timeout: exceeded 0s"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.json"], "payload file not found: missing.json"),
        (
            ["{bad}"],
            "failed to parse payload: invalid character 'b' looking for beginning of object key",
        ),
        (["{good}", "--config-preset", "nope"], "unknown config preset 'nope'"),
        (["{good}", "--config", "allow_http"], "expected KEY=VALUE"),
        (["{good}", "--config", "no_such=1"], "unknown config field 'no_such'"),
        (["{good}", "--config", "allow_http=maybe"], "allow_http: expected true or false"),
    ],
)
def test_bad_input_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    files = {"{bad}": write(tmp_path, "{bad}", "bad.json"), "{good}": write(tmp_path, ADDITION)}
    done = wfsnap("run", *[files.get(arg, arg) for arg in args])
    assert done.returncode == 2
    assert message in done.stderr and done.stdout == ""


def test_help_lists_the_run_command() -> None:
    done = wfsnap("--help")
    assert done.returncode == 0 and "run" in done.stdout
