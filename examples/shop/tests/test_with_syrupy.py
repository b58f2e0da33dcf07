"""Workflow results stored with syrupy's own ``snapshot`` fixture (``--snapshot-update``)."""

import json
from pathlib import Path

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.plugin import WorkflowSnapshotExtension

WORKFLOWS = Path(__file__).resolve().parent.parent / "workflows"


@pytest.fixture
def snapshot(snapshot):
    return snapshot.use_extension(WorkflowSnapshotExtension)


def test_restock_result_matches_syrupy_snapshot(snapshot):
    payload = json.loads((WORKFLOWS / "restock.json").read_text())
    assert engine.new(payload, seed=0).execute() == snapshot
