"""Helpers of the plugin's pytester tests: a small workflow, and runners in and out of process."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.plugin.compare import PART_PATHS
from pytest_wfsnap.plugin.workflow import RunSpec

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_MODULE = "pytest_wfsnap.plugin.plugin"
# Installed plugins the test projects do not use are left out (hypothesis's import is slow,
# and every xdist worker would pay for it).
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:anyio")

CALC_WORKFLOW: dict[str, Any] = {
    "workflow_id": "calc",
    "nodes": [
        {"id": "a", "data": {"value": 10}},
        {"id": "b", "data": {"value": 5}},
        {"id": "sum", "type": "operation", "data": {"op": "add"}},
        {"id": "total", "type": "variable", "data": {"var_name": "total", "var_op": "set"}},
        {"id": "acc", "type": "accumulator", "data": {"accum_op": "sum"}},
        {"id": "count", "type": "counter", "data": {"counter_op": "increment"}},
    ],
    "edges": [
        {"source": "a", "target": "sum"},
        {"source": "b", "target": "sum"},
        {"source": "sum", "target": "total"},
        {"source": "sum", "target": "acc"},
        {"source": "total", "target": "count"},
    ],
}

CALC_TEST = """
import pytest

@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_calc(wf_snapshot):
    result = wf_snapshot.run()
    assert result.node_results["sum"] == 15

@pytest.mark.wf_snapshot(workflow="workflows/calc.json", start_after="sum")
def test_from_sum(wf_snapshot):
    result = wf_snapshot.run()
    assert result.final_output == {"operation": "increment", "value": 1.0}

@pytest.mark.parametrize("case", ["one", "two"])
@pytest.mark.wf_snapshot(workflow="workflows/calc.json")
def test_cases(wf_snapshot, case):
    assert wf_snapshot.run().status == "completed"
"""


def plugin_installed() -> bool:
    return any(ep.name == "wfsnap" for ep in entry_points(group="pytest11"))


class WfPytester:
    """A pytester project with the plugin loaded and a workflow file in ``workflows/``."""

    def __init__(self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pytester = pytester
        self.path = pytester.path
        self.plugin_args = [] if plugin_installed() else ["-p", PLUGIN_MODULE]
        monkeypatch.delenv("CI", raising=False)
        monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
        python_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        monkeypatch.setenv("PYTHONPATH", python_path.rstrip(os.pathsep))
        self.write_workflow("calc", CALC_WORKFLOW)

    def write_workflow(self, name: str, payload: dict[str, Any]) -> Path:
        path = self.path / "workflows" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2))
        return path

    def write_test(self, name: str, source: str) -> Path:
        return self.pytester.makepyfile(**{name: source})

    def run(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest(*self.plugin_args, *QUIET, *args)

    def run_sub(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess(*self.plugin_args, *QUIET, *args)

    def run_mode(self, mode: str, *args: str) -> pytest.RunResult:
        """``serial``: in process; ``xdist``: a subprocess with two workers."""
        if mode == "xdist":
            return self.run_sub("-n", "2", *args)
        return self.run(*args)

    def goldens(self, fixtures: str = "fixtures") -> dict[str, bytes]:
        base = self.path / fixtures
        return {
            p.relative_to(base).as_posix(): p.read_bytes()
            for p in sorted(base.rglob("*.golden.json"))
        }

    def golden(self, rel: str, fixtures: str = "fixtures") -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / fixtures / rel).read_text())
        return data

    def write_golden(self, rel: str, data: dict[str, Any], fixtures: str = "fixtures") -> None:
        text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        (self.path / fixtures / rel).write_text(text)


class JsonServer:
    """A local HTTP server answering every GET with ``body(number of calls so far)`` as JSON."""

    def __init__(self, body: Callable[[int], Any]) -> None:
        self.requests: list[str] = []
        calls = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                calls.append(self.path)
                data = json.dumps(body(len(calls))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/orders"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def spec_for(path: Path, payload: dict[str, Any], **changes: Any) -> RunSpec:
    """The run spec of a workflow written to ``path``, comparing every part (``changes`` set
    other fields), as the fixture would build it."""
    path.write_text(json.dumps(payload))
    fields: dict[str, Any] = {
        "workflow_path": path,
        "workflow_ref": path.name,
        "payload": path.read_bytes(),
        "config": Config(),
        "seed": 0,
        "start_after": None,
        "states": (),
        "float_tolerance": 0.0,
        "ignore": (),
        "compare": tuple(PART_PATHS),
    }
    fields.update(changes)
    return RunSpec(**fields)
