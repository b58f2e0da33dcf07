"""Crash recovery: ``wfsnap run --checkpoint-dir`` killed with SIGKILL, then ``wfsnap resume``.

Each trial kills a real run at a seeded random moment (once the side-effect log has reached a
random length, plus a random jitter), sometimes kills the first resume too, then resumes until
the run completes. The final Result must equal the uninterrupted run's, and the side-effect
log must hold every step exactly once, except at most one extra entry per kill: the node that
was running when the process died runs again (at-least-once for the node in flight,
exactly-once for completed nodes).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXECUTORS = Path(__file__).with_name("side_effect_executors.py")
STEPS = 20
TRIALS = 15

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL and flock")


def workflow(log: Path) -> dict[str, Any]:
    """~40 nodes in a chain: log steps, delays of a few ms, a counter and variables."""
    nodes: list[dict[str, Any]] = [{"id": "start", "data": {"value": 1}}]
    edges: list[dict[str, Any]] = []
    previous = "start"
    for i in range(STEPS):
        step = f"step{i:02d}"
        nodes.append({"id": step, "type": "log_step", "data": {"log": str(log)}})
        edges.append({"source": previous, "target": step})
        if i % 2:
            extra = {"id": f"wait{i:02d}", "type": "delay", "data": {"duration": "3ms"}}
        elif i % 4 == 0:
            extra = {"id": f"count{i:02d}", "type": "counter", "data": {"counter_op": "increment"}}
        else:
            extra = {
                "id": f"keep{i:02d}",
                "type": "variable",
                "data": {"var_name": f"v{i}", "var_op": "set"},
            }
        nodes.append(extra)
        edges.append({"source": step, "target": extra["id"]})
        previous = extra["id"]
    return {"workflow_id": "crash", "nodes": nodes, "edges": edges}


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pytest_wfsnap.cli", *args, "--executors", str(EXECUTORS)]


ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def lines(log: Path) -> list[str]:
    try:
        return log.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return []


def run_until_killed(args: list[str], log: Path, kill_at: int, jitter: float) -> int | None:
    """Start ``args``; SIGKILL it once the log has ``kill_at`` lines (plus ``jitter`` s).
    Returns the exit status, or None when it was killed."""
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, text=True
    )
    give_up = time.monotonic() + 60
    while process.poll() is None and len(lines(log)) < kill_at:
        if time.monotonic() > give_up:
            process.kill()
            raise AssertionError("the run made no progress")
        time.sleep(0.001)
    if process.poll() is None:
        time.sleep(jitter)
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    return None if process.returncode == -signal.SIGKILL else process.returncode


def finish(directory: Path) -> dict[str, Any]:
    """``wfsnap resume DIR`` until the run completes; returns the final Result."""
    for _ in range(5):
        done = subprocess.run(
            command("resume", str(directory), "--compact"),
            capture_output=True,
            text=True,
            env=ENV,
            timeout=120,
            check=False,
        )
        if done.returncode == 0:
            result: dict[str, Any] = json.loads(done.stdout)
            return result
        assert "wfsnap: error:" in done.stderr and "Traceback" not in done.stderr
    raise AssertionError(f"resume did not complete: {done.stderr}")


def trial(index: int, base: Path, expected: dict[str, Any]) -> tuple[int, int]:
    """One kill-and-recover trial; returns (kills that hit a running process, extra log lines)."""
    rng = random.Random(1000 + index)
    directory, log = base / f"trial{index}", base / f"trial{index}.log"
    payload = base / f"trial{index}.json"
    payload.write_text(json.dumps(workflow(log)))
    run = command("run", str(payload), "--checkpoint-dir", str(directory), "--compact")
    kills = 0
    status = run_until_killed(run, log, rng.randint(1, STEPS - 1), rng.uniform(0, 0.004))
    kills += status is None
    if not directory.exists() or not any(directory.iterdir()):
        status = run_until_killed(run, log, STEPS + 1, 0)  # killed before the first checkpoint
    if status is None and rng.random() < 0.4:  # kill the first resume as well
        resume = command("resume", str(directory), "--compact")
        target = min(len(lines(log)) + rng.randint(1, 5), STEPS - 1)
        kills += run_until_killed(resume, log, target, rng.uniform(0, 0.004)) is None
    result = finish(directory)
    assert result["status"] == "completed"
    assert result["node_results"] == expected["node_results"]
    assert result["final_output"] == expected["final_output"]
    seen = lines(log)
    counts = Counter(seen)
    assert set(counts) == {f"step{i:02d}" for i in range(STEPS)}
    extra = len(seen) - STEPS
    assert extra <= kills, f"trial {index}: {counts.most_common(3)} after {kills} kill(s)"
    assert list(dict.fromkeys(seen)) == sorted(counts), "steps ran in order"
    return kills, extra


def test_killed_runs_resume_to_the_uninterrupted_result(tmp_path: Path) -> None:
    log = tmp_path / "straight.log"
    payload = tmp_path / "straight.json"
    payload.write_text(json.dumps(workflow(log)))
    straight = subprocess.run(
        command("run", str(payload), "--compact"),
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert straight.returncode == 0, straight.stderr
    expected = json.loads(straight.stdout)
    assert lines(log) == [f"step{i:02d}" for i in range(STEPS)]
    assert len(expected["node_results"]) == 1 + 2 * STEPS
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda i: trial(i, tmp_path, expected), range(TRIALS)))
    kills = sum(k for k, _ in outcomes)
    assert kills >= TRIALS  # every trial killed a running process at least once
