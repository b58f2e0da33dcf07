"""The snapshot subcommands of ``wfsnap``: resume, show, diff, migrate, gc, verify, history,
rollback (in-process through ``main``; a few through a real subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.cli import main
from pytest_wfsnap.engine import snapshots
from pytest_wfsnap.snapshot import FORMAT_VERSION, generate_key
from pytest_wfsnap.storage import FileSystemStore

ROOT = Path(__file__).resolve().parents[2]
GO_MID_RUN = ROOT / "tests" / "data" / "go_snapshots" / "mid_run_orders.json"

PAYLOAD = {
    "workflow_id": "orders",
    "nodes": [
        {"id": "a", "data": {"value": 4}},
        {"id": "b", "data": {"value": 6}},
        {"id": "sum", "type": "operation", "data": {"op": "add"}},
        {"id": "count", "type": "counter", "data": {"counter_op": "increment"}},
        {"id": "keep", "type": "variable", "data": {"var_name": "total", "var_op": "set"}},
    ],
    "edges": [
        {"source": "a", "target": "sum"},
        {"source": "b", "target": "sum"},
        {"source": "sum", "target": "count"},
        {"source": "count", "target": "keep"},
    ],
}
ORDER = ["a", "b", "sum", "count", "keep"]


def wfsnap(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def payload(tmp_path: Path) -> Path:
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(PAYLOAD))
    return path


@pytest.fixture
def paused(tmp_path: Path, payload: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A checkpoint directory of a run paused after ``sum``."""
    directory = tmp_path / "ck"
    code, out, _ = wfsnap(capsys, "run", payload, "--checkpoint-dir", directory, "--stop-after",
                          "sum", "--compact")  # fmt: skip
    assert code == 0 and json.loads(out)["status"] == "paused"
    return directory


def single_execution(directory: Path) -> str:
    (execution,) = FileSystemStore(directory).executions()
    return execution


# --- run / resume -----------------------------------------------------------------------------


def test_resume_a_checkpoint_directory(paused: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = wfsnap(capsys, "resume", paused, "--compact")
    assert code == 0, err
    result = json.loads(out)
    assert result["status"] == "completed"
    counted = {"operation": "increment", "value": 1}
    assert result["node_results"]["keep"] == {
        "var_name": "total",
        "operation": "set",
        "value": counted,
    }
    assert result["execution_id"] == single_execution(paused)
    labels = [ref.label for ref in FileSystemStore(paused).list(result["execution_id"])]
    assert labels[-1] == "complete" and "pause" in labels


def test_resume_a_snapshot_file_and_pause_again(
    tmp_path: Path, payload: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.snap"
    code, out, _ = wfsnap(capsys, "run", payload, "--stop-before", "count", "--snapshot-out",
                          first, "--compress", "zstd")  # fmt: skip
    assert code == 0 and json.loads(out)["status"] == "paused"
    assert first.read_bytes()[:4] == b"\x28\xb5\x2f\xfd"
    second = tmp_path / "second.json"
    code, out, _ = wfsnap(capsys, "resume", first, "--stop-after", "count", "--snapshot-out",
                          second)  # fmt: skip
    assert code == 0 and json.loads(out)["status"] == "paused"
    assert snapshots.deserialize_snapshot(second.read_bytes()).completed_nodes == ORDER[:4]
    code, out, _ = wfsnap(capsys, "resume", second)
    assert code == 0 and set(json.loads(out)["node_results"]) == set(ORDER)


def test_encrypted_checkpoints_need_the_key(
    tmp_path: Path, payload: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = generate_key()
    directory = tmp_path / "secret"
    code, _, _ = wfsnap(capsys, "run", payload, "--checkpoint-dir", directory, "--key", key,
                        "--stop-after", "a")  # fmt: skip
    assert code == 0
    code, _, err = wfsnap(capsys, "resume", directory)
    assert code == 2 and "no key was given" in err and err.count("\n") == 1
    code, out, err = wfsnap(capsys, "resume", directory, "--key", key)
    assert code == 0, err
    assert json.loads(out)["status"] == "completed"
    formats = {
        ref.meta.format for ref in FileSystemStore(directory).list(single_execution(directory))
    }
    assert formats == {"json+aesgcm"}


def test_resume_errors_are_one_line(
    tmp_path: Path, payload: Path, paused: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = wfsnap(capsys, "resume", tmp_path / "missing")
    assert (
        code == 2 and err == f"wfsnap: error: no such file or directory: {tmp_path / 'missing'}\n"
    )
    wfsnap(capsys, "run", payload, "--checkpoint-dir", paused, "--stop-after", "a")
    code, _, err = wfsnap(capsys, "resume", paused)
    assert code == 2 and "holds 2 executions" in err and "choose one" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": "2.0.0"}')
    code, _, err = wfsnap(capsys, "resume", bad)
    assert code == 2 and err.startswith(f"wfsnap: error: {bad}: failed to deserialize snapshot")
    code, _, err = wfsnap(capsys, "run", payload, "--executors", "no_such_module_here")
    assert code == 2 and "--executors: no module named 'no_such_module_here'" in err


def test_failed_run_exits_1_and_resumes_after_a_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failing = {
        "nodes": [{"id": "x", "data": {"value": 1}},
                  {"id": "get", "type": "variable", "data": {"var_name": "nope", "var_op": "get"}}],
        "edges": [{"source": "x", "target": "get"}],
    }  # fmt: skip
    path = tmp_path / "failing.json"
    path.write_text(json.dumps(failing))
    directory = tmp_path / "ck"
    code, out, err = wfsnap(capsys, "run", path, "--checkpoint-dir", directory)
    assert code == 1 and "error executing node get" in err
    assert json.loads(out)["status"] == "failed"
    store = FileSystemStore(directory)
    assert store.list(single_execution(directory))[-1].label == "failure"


def test_crash_of_a_subprocess_reports_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    done = subprocess.run(
        [sys.executable, "-m", "pytest_wfsnap.cli", "show", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "expected an object at the top, got array" in done.stderr


# --- show --------------------------------------------------------------------------------------


def test_show_summarises_the_latest_checkpoint(
    paused: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = wfsnap(capsys, "show", paused)
    assert code == 0
    assert "workflow:   orders" in out and f"execution:  {single_execution(paused)}" in out
    assert "status:     paused" in out
    assert "completed:  a, b, sum" in out and "pending:    count, keep" in out
    assert "node executions 3" in out and "sizes:" in out
    code, out, _ = wfsnap(capsys, "show", paused, "--json", "--seq", "1")
    summary = json.loads(out)
    assert summary["status"] == "running" and summary["completed_nodes"] == []
    assert summary["pending_nodes"] == ORDER and summary["sizes"]["total"] > 0


def test_show_a_go_snapshot(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = wfsnap(capsys, "show", GO_MID_RUN, "--json")
    summary = json.loads(out)
    assert code == 0 and summary["version"] == FORMAT_VERSION
    assert summary["completed_nodes"] == ["n1", "n2", "n5", "n3", "n4"]
    assert summary["pending_nodes"] == ["n6", "n7", "n8"]
    assert summary["counters"]["accumulator"] == 5 and summary["state"]["cache_entries"] == 1


# --- diff --------------------------------------------------------------------------------------


def test_diff_text_json_and_exit_status(
    tmp_path: Path, paused: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    execution = single_execution(paused)
    store = FileSystemStore(paused)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_bytes(store.get(execution, 2))
    new.write_bytes(store.get(execution))
    code, out, _ = wfsnap(capsys, "diff", old, new)
    assert code == 1 and out.startswith("snapshots differ:")
    assert "node sum:" in out and "+ $.results.sum: 10.0" in out
    code, out, _ = wfsnap(capsys, "diff", old, new, "--json", "--ignore-volatile")
    report = json.loads(out)
    assert report["equal"] is False
    paths = {change["path"] for change in report["changes"]}
    assert "$.results.sum" in paths and "$.snapshot_time" not in paths
    code, out, _ = wfsnap(capsys, "diff", new, paused)  # the directory's latest is the same
    assert code == 0 and out.strip() == "snapshots are equal"


# --- migrate -----------------------------------------------------------------------------------


def test_migrate_a_go_snapshot_to_a_path_and_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    go = tmp_path / "go.json"
    shutil.copy(GO_MID_RUN, go)
    target = tmp_path / "out" / "current.json"
    code, out, _ = wfsnap(capsys, "migrate", go, "--output", target)
    assert code == 0 and f"migrated: {go} -> {target} (1.0.0, json -> {FORMAT_VERSION}" in out
    assert json.loads(go.read_text())["version"] == "1.0.0"  # the source is untouched
    assert json.loads(target.read_text())["version"] == FORMAT_VERSION
    code, out, _ = wfsnap(capsys, "migrate", go, "--check")
    assert code == 1 and out.startswith("needs migration:")
    code, out, _ = wfsnap(capsys, "migrate", go)
    assert code == 0 and json.loads(go.read_text())["version"] == FORMAT_VERSION
    code, out, _ = wfsnap(capsys, "migrate", go, "--check")
    assert code == 0 and out.startswith("up to date:")
    before = snapshots.deserialize_snapshot(go.read_bytes())
    code, out, _ = wfsnap(capsys, "migrate", go, "--format", "binary", "--compress", "gzip")
    assert code == 0 and f"json -> {FORMAT_VERSION}, binary+gzip" in out
    assert go.read_bytes()[:2] == b"\x1f\x8b"
    assert snapshots.deserialize_snapshot(go.read_bytes()) == before
    resumed = snapshots.execute_from_snapshot(go.read_bytes())
    assert resumed.node_results["n8"] == 12


def test_migrate_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    shutil.copy(GO_MID_RUN, good)
    bad.write_text('{"version": "9.9.9", "execution_id": "x"}')
    code, out, err = wfsnap(capsys, "migrate", bad, good)
    assert code == 2 and "unsupported snapshot version: 9.9.9" in err and str(bad) in err
    assert f"migrated: {good}" in out  # the other files are still migrated
    code, _, err = wfsnap(capsys, "migrate", bad, good, "--output", tmp_path / "x.json")
    assert code == 2 and "--output needs exactly one FILE" in err


# --- gc, history, rollback ---------------------------------------------------------------------


def test_history_rollback_and_resume(paused: Path, capsys: pytest.CaptureFixture[str]) -> None:
    execution = single_execution(paused)
    code, out, _ = wfsnap(capsys, "history", paused)
    assert code == 0 and f"execution {execution} (workflow orders, status paused" in out
    for label in ("start", "after:a", "after:b", "pause"):
        assert label in out
    code, out, _ = wfsnap(capsys, "history", paused, "--json", "--execution-id", execution)
    (listing,) = json.loads(out)["executions"]
    assert [item["seq"] for item in listing["snapshots"]] == [1, 2, 3, 4]
    code, out, _ = wfsnap(capsys, "rollback", paused, "--execution-id", execution, "--to", "2")
    assert code == 0 and "checkpoint #5 (rollback:2, 1/5 nodes completed) is now the latest" in out
    starts = snapshots.deserialize_snapshot(FileSystemStore(paused).get(execution))
    assert starts.completed_nodes == ["a"]
    code, out, _ = wfsnap(capsys, "resume", paused, "--compact")
    assert code == 0 and set(json.loads(out)["node_results"]) == set(ORDER)
    code, _, err = wfsnap(capsys, "rollback", paused, "--execution-id", execution, "--to", "99")
    assert code == 2 and "no snapshot #99" in err


def test_gc_dry_run_then_collect(paused: Path, capsys: pytest.CaptureFixture[str]) -> None:
    execution = single_execution(paused)
    wfsnap(capsys, "resume", paused)
    store = FileSystemStore(paused)
    total = len(store.list(execution))
    code, out, _ = wfsnap(capsys, "gc", paused, "--keep-last", "2", "--dry-run")
    assert code == 0 and out.count("would remove:") == total - 2
    assert len(store.list(execution)) == total
    code, out, _ = wfsnap(capsys, "gc", paused, "--older-than", "7d")
    assert code == 0 and "removed 0 snapshot(s)" in out
    code, out, _ = wfsnap(capsys, "gc", paused, "--older-than", "1d12h", "--keep-last", "2")
    assert code == 0 and "removed 0" in out  # everything is recent: --older-than keeps it
    code, out, _ = wfsnap(capsys, "gc", paused, "--older-than", "0s", "--keep-last", "2")
    assert code == 0 and f"removed {total - 2} snapshot(s)" in out
    assert [ref.label for ref in store.list(execution)] == ["after:count", "complete"]
    code, _, err = wfsnap(capsys, "gc", paused)
    assert code == 2 and "give a rule" in err
    with pytest.raises(SystemExit):
        main(["gc", str(paused), "--older-than", "soon"])
    assert "invalid age 'soon'" in capsys.readouterr().err


# --- verify ------------------------------------------------------------------------------------


def _golden_like(snaps: dict[str, Any]) -> dict[str, Any]:
    return {"format": "some tool", "version": 1, "states": snaps, "result": {"execution_id": "x"}}


def test_verify_files_and_directories(
    tmp_path: Path, paused: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    execution = single_execution(paused)
    data = FileSystemStore(paused).get(execution)
    fixtures = tmp_path / "fixtures"
    (fixtures / "nested").mkdir(parents=True)
    (fixtures / "one.json").write_bytes(data)
    shutil.copy(GO_MID_RUN, fixtures / "nested" / "go.json")
    doc = json.loads(data)
    (fixtures / "nested" / "golden.json").write_text(json.dumps(_golden_like({"p": doc, "q": doc})))
    (fixtures / "notes.json").write_text('{"hello": "world"}')
    (fixtures / "README.txt").write_text("not a snapshot")
    code, out, _ = wfsnap(capsys, "verify", fixtures, paused)
    assert code == 0, out
    assert f"ok      {fixtures / 'nested' / 'golden.json'} $.states.p" in out
    assert out.strip().endswith("snapshot(s) ok, 0 with problems")
    assert "index.json" not in out

    inconsistent = dict(doc, results={**doc["results"], "ghost": 1})
    (fixtures / "nested" / "golden.json").write_text(
        json.dumps(_golden_like({"p": doc, "q": inconsistent}))
    )
    (fixtures / "broken.json").write_text(
        json.dumps({k: v for k, v in doc.items() if k != "version"})
    )
    code, out, _ = wfsnap(capsys, "verify", fixtures)
    assert code == 1
    assert "$.states.q: results for unknown nodes: ghost" in out
    missing = "failed to deserialize snapshot: invalid snapshot: missing version"
    assert f"FAILED  {fixtures / 'broken.json'}: {missing}" in out
    assert "2 with problems" in out

    code, out, _ = wfsnap(capsys, "verify", fixtures / "notes.json")
    assert code == 1 and "no snapshot found in this JSON file" in out


def test_verify_checks_the_pending_nodes(
    tmp_path: Path, paused: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(FileSystemStore(paused).get(single_execution(paused)))
    pending = doc["pending_nodes"]
    assert len(pending) >= 2
    first = doc["completed_nodes"][0]
    source, target = next(
        (e["source"], e["target"])
        for e in doc["edges"]
        if e["source"] in pending and e["target"] in pending
    )
    swapped = [target, *(n for n in pending if n != target)]
    cases = {
        "ok.json": (pending, None),
        "twice.json": (
            [*pending, pending[0]],
            f"nodes listed twice in pending_nodes: {pending[0]}",
        ),
        "decided.json": ([*pending, first], f"pending nodes already decided: {first}"),
        "ghost.json": ([*pending, "ghost"], "pending nodes that are not in the workflow: ghost"),
        "short.json": (pending[1:], f"undecided nodes missing from pending_nodes: {pending[0]}"),
        "order.json": (swapped, f"pending node {target} is listed before its source {source}"),
    }
    for name, (listed, _) in cases.items():
        (tmp_path / name).write_text(json.dumps({**doc, "pending_nodes": listed}))
    for name, (_, problem) in cases.items():
        code, out, _ = wfsnap(capsys, "verify", tmp_path / name)
        if problem is None:
            assert code == 0, out
        else:
            assert code == 1 and problem in out, out
    code, _, err = wfsnap(capsys, "verify", tmp_path / "nope")
    assert code == 2 and "no such file or directory" in err


# --- custom executors ----------------------------------------------------------------------------


def test_custom_executors_from_a_file_function_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "shouting.py"
    module.write_text(
        "def extra(registry):\n"
        "    registry.register(lambda ctx: str(ctx.inputs[0]).upper() + ctx.data['tail'],"
        " 'shout')\n"
    )
    flow = {
        "nodes": [{"id": "t", "type": "text_input", "data": {"text": "hi"}},
                  {"id": "s", "type": "shout", "data": {"tail": "!"}}],
        "edges": [{"source": "t", "target": "s"}],
    }  # fmt: skip
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(flow))
    code, out, err = wfsnap(capsys, "run", path, "--executors", f"{module}:extra")
    assert code == 0, err
    assert json.loads(out)["node_results"]["s"] == "HI!"
    snap = tmp_path / "paused.json"
    wfsnap(capsys, "run", path, "--executors", f"{module}:extra", "--stop-before", "s",
           "--snapshot-out", snap)  # fmt: skip
    code, _, err = wfsnap(capsys, "resume", snap)
    assert code == 1 and "no executor registered for type: shout" in err
    monkeypatch.setenv("WFSNAP_EXECUTORS", f"{module}:extra")
    code, out, err = wfsnap(capsys, "resume", snap)
    assert code == 0 and json.loads(out)["node_results"]["s"] == "HI!"
    code, _, err = wfsnap(capsys, "run", path, "--executors", f"{module}:missing")
    assert code == 2 and "has no function missing(registry)" in err
