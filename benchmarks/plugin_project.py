"""A generated test project for the plugin benchmarks, run through real pytest subprocesses.

Layout (in a temporary directory)::

    pytest.ini            rootdir marker, no cache provider
    conftest.py           writes each test's setup+call+teardown seconds to a JSON file
    workflows/wf.json     the generated workflow (benchmarks.workloads.generate)
    test_wf.py            K cases: wf_snapshot replays its golden and checks the results
    test_syrupy.py        K cases: run the engine, ``assert result == snapshot`` (syrupy JSON)
    suite/test_*.py       the xdist suite: wf_snapshot tests over the same workflow
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from benchmarks.workloads import generate

REPO = Path(__file__).resolve().parent.parent
DURATIONS_ENV = "WFSNAP_BENCH_DURATIONS"

CONFTEST = f'''"""Collects per-test durations for the benchmark."""

import json
import os

_durations = {{}}


def pytest_runtest_logreport(report):
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("{DURATIONS_ENV}")
    if target and not hasattr(session.config, "workerinput"):
        with open(target, "w", encoding="utf-8") as out:
            json.dump(_durations, out)
'''

WF_TEST = """import pytest


@pytest.mark.wf_snapshot(workflow="{workflow}")
@pytest.mark.parametrize("case", range({cases}))
def test_{name}(wf_snapshot, case):
    result = wf_snapshot.run()
    assert result.status == "completed"
"""

SYRUPY_TEST = """from pathlib import Path

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from pytest_wfsnap import engine

WORKFLOW = Path(__file__).parent / "workflows" / "wf.json"


@pytest.fixture
def snapshot_json(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("case", range({cases}))
def test_syrupy(snapshot_json, case):
    result = engine.new(WORKFLOW.read_bytes()).execute()
    assert result.node_results == snapshot_json
"""


@dataclass
class Session:
    """The outcome of one pytest subprocess."""

    returncode: int
    wall: float
    cpu: float  # user + system seconds of the pytest process and its children (xdist workers)
    durations: dict[str, float]
    output: str

    def passed(self) -> int:
        found = re.search(r"(\d+) passed", self.output)
        return int(found.group(1)) if found else 0


def plugin_via_entry_point() -> bool:
    return any(ep.name == "wfsnap" for ep in entry_points(group="pytest11"))


class Project:
    def __init__(self, root: Path, nodes: int, cases: int, suite_tests: int) -> None:
        self.root = root
        self.cases = cases
        self.suite_tests = suite_tests
        root.mkdir(parents=True, exist_ok=True)
        (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (root / "conftest.py").write_text(CONFTEST, encoding="utf-8")
        (root / "workflows").mkdir(exist_ok=True)
        (root / "workflows" / "wf.json").write_text(json.dumps(generate(nodes)), encoding="utf-8")
        (root / "test_wf.py").write_text(
            WF_TEST.format(workflow="workflows/wf.json", cases=cases, name="wf"), encoding="utf-8"
        )
        (root / "test_syrupy.py").write_text(SYRUPY_TEST.format(cases=cases), encoding="utf-8")
        suite = root / "suite"
        suite.mkdir(exist_ok=True)
        files = 10 if suite_tests >= 20 and suite_tests % 10 == 0 else 1
        for index in range(files):
            (suite / f"test_suite_{index:02d}.py").write_text(
                WF_TEST.format(
                    workflow="../workflows/wf.json", cases=suite_tests // files, name=f"s{index}"
                ),
                encoding="utf-8",
            )

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CI"))}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        # Bytecode caches as users have them (kept out of the repository): without them every
        # process recompiles and re-rewrites every installed pytest plugin before its first test.
        # An inherited PYTHONDONTWRITEBYTECODE would keep the cache empty (every process would
        # compile pytest and its plugins from source again), so it is not passed on.
        env["PYTHONPYCACHEPREFIX"] = str(self.root / ".pycache")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def pytest(self, *args: str) -> Session:
        """Run pytest in the project; wall time includes interpreter start-up."""
        plugin = [] if plugin_via_entry_point() else ["-p", "pytest_wfsnap.plugin.plugin"]
        out = self.root / ".durations.json"
        out.unlink(missing_ok=True)
        env = self.env()
        env[DURATIONS_ENV] = str(out)
        # Unrelated plugins installed in the dev environment (hypothesis, anyio) are switched off
        # for both sides alike: they are start-up cost, not the cost of what is compared.
        unrelated = ["-p", "no:hypothesispytest", "-p", "no:anyio"]
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *unrelated,
            *plugin,
            *args,
        ]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(
            command, cwd=self.root, env=env, capture_output=True, text=True, timeout=1800
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        durations: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
        return Session(proc.returncode, wall, cpu, durations, proc.stdout + proc.stderr)

    def goldens(self) -> list[Path]:
        return sorted((self.root / "fixtures").rglob("*.json"))


__all__ = ["Project", "Session", "plugin_via_entry_point"]
