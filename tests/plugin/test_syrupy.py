"""The syrupy extension stores workflow Results and Snapshots as stable, normalised JSON."""

from __future__ import annotations

import json

from tests.plugin.support import WfPytester

TEST = """
import json
from pathlib import Path

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.plugin import WorkflowSnapshotExtension

PAYLOAD = json.loads((Path(__file__).parent / "workflows" / "calc.json").read_text())

@pytest.fixture
def snapshot(snapshot):
    return snapshot.use_extension(WorkflowSnapshotExtension)

def test_result(snapshot):
    # a fresh random execution id and the real clock on every run
    assert engine.new(PAYLOAD).execute() == snapshot

def test_state(snapshot):
    eng = engine.new(PAYLOAD)
    eng.execute(stop_after="sum")
    assert eng.save_snapshot() == snapshot
"""


def test_snapshot_update_then_compare(wf: WfPytester, mode: str) -> None:
    wf.write_test("test_syr", TEST)
    wf.run().assert_outcomes(failed=2)  # no snapshots yet
    wf.run_mode(mode, "--snapshot-update").assert_outcomes(passed=2)
    stored = wf.path / "__snapshots__/test_syr"
    result = json.loads((stored / "test_result.json").read_text())
    assert "execution_id" not in result
    assert result["final_output"] == {"operation": "increment", "value": 1.0}
    state = json.loads((stored / "test_state.json").read_text())
    assert "snapshot_time" not in state and "execution_id" not in state
    assert state["completed_nodes"] == ["a", "b", "sum"]
    # new execution ids and times on every run, still equal
    wf.run_mode(mode).assert_outcomes(passed=2)


def test_change_is_detected_and_updated(wf: WfPytester) -> None:
    wf.write_test("test_syr", TEST)
    wf.run("--snapshot-update").assert_outcomes(passed=2)
    payload = wf.path / "workflows/calc.json"
    payload.write_text(payload.read_text().replace('"value": 10', '"value": 11'))
    result = wf.run()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(['*-     "a": 10.0,', '*+     "a": 11.0,'])
    wf.run("--snapshot-update").assert_outcomes(passed=2)
    wf.run().assert_outcomes(passed=2)


def test_cache_expiration_is_stored_relative(wf: WfPytester) -> None:
    wf.write_workflow(
        "cache",
        {
            "nodes": [
                {"id": "v", "data": {"value": 7}},
                {
                    "id": "set",
                    "type": "cache",
                    "data": {"cache_op": "set", "cache_key": "k", "ttl": "1h"},
                },
            ],
            "edges": [{"source": "v", "target": "set"}],
        },
    )
    wf.write_test(
        "test_cache",
        TEST.replace("calc.json", "cache.json").replace('stop_after="sum"', 'stop_after="set"'),
    )
    wf.run("--snapshot-update", "-k", "test_state").assert_outcomes(passed=1)
    state = json.loads((wf.path / "__snapshots__/test_cache/test_state.json").read_text())
    assert state["cache"] == {"k": {"expires_in_seconds": 3600, "value": 7.0}}
    wf.run("-k", "test_state").assert_outcomes(passed=1)
