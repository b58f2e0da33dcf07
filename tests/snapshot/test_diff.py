"""Structured snapshot differences and workflow fingerprints."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.snapshot import SnapshotCacheEntry, diff_snapshots, workflow_fingerprint
from pytest_wfsnap.snapshot.diff import SECTIONS, VOLATILE_PATHS, Change
from tests.snapshot.support import T0, rich_snapshot


def paths(diff: object) -> list[str]:
    return [change.path for change in diff.changes]  # type: ignore[attr-defined]


def test_equal_snapshots() -> None:
    diff = diff_snapshots(rich_snapshot(), rich_snapshot())
    assert diff.equal and not diff and len(diff) == 0
    assert diff.to_text() == "snapshots are equal"
    assert json.loads(diff.to_json())["equal"] is True


def test_result_changes_are_grouped_by_node() -> None:
    a = rich_snapshot()
    results = dict(a.results)
    results["cond"] = {**results["cond"], "value": 11.0, "extra": [1]}
    del results["yes"]
    results["new"] = "hi"
    b = rich_snapshot(results=results)
    diff = diff_snapshots(a, b)
    assert diff.changes == (
        Change("results", "$.results.cond.extra", "added", None, [1], "cond"),
        Change("results", "$.results.cond.value", "changed", 10.0, 11.0, "cond"),
        Change("results", "$.results.new", "added", None, "hi", "new"),
        Change("results", "$.results.yes", "removed", "große Bestellung", None, "yes"),
    )
    assert list(diff.by_node()) == ["cond", "new", "yes"]
    text = diff.to_text()
    assert text.splitlines() == [
        "snapshots differ: 4 changes (results 4)",
        "node cond:",
        "  + $.results.cond.extra: [1]",
        "  ~ $.results.cond.value: 10.0 -> 11.0",
        "node new:",
        '  + $.results.new: "hi"',
        "node yes:",
        '  - $.results.yes: "große Bestellung"',
    ]


def test_every_section() -> None:
    a = rich_snapshot()
    b = rich_snapshot(
        workflow_id="other",
        completed_nodes=["in", "cond", "yes", "api", "no"],
        skipped_nodes=[],
        pending_nodes=[],
        status="completed",
        variables={**a.variables, "x": 11.0},
        counter=3.0,
        cache={**a.cache, "price": SnapshotCacheEntry(value=7.0, expiration=T0)},
        context_consts={"region": "us", "pi": 3.14159},
        config=a.config.replace(allow_http=False),
        http_recordings={},
    )
    diff = diff_snapshots(a, b)
    assert diff.sections() == {
        "metadata": 1,
        "progress": 4,
        "variables": 1,
        "counters": 1,
        "cache": 1,
        "context": 1,
        "config": 1,
        "recordings": 1,
    }
    assert list(diff.sections()) == [s for s in SECTIONS if s in diff.sections()]
    found = {change.path: change for change in diff.changes}
    assert found["$.completed_nodes"].kind == "added" and found["$.completed_nodes"].new == "no"
    assert found["$.skipped_nodes"].kind == "removed" and found["$.skipped_nodes"].node_id == "no"
    pending = found["$.pending_nodes[0]"]
    assert pending.kind == "removed" and pending.old == "custom"
    assert found["$.cache.price.expiration"].old == "2026-03-01T10:29:00.250000Z"
    assert found["$.config.allow_http"].old is True and found["$.config.allow_http"].new is False
    assert found["$.http_recordings.api"].kind == "removed"
    assert found["$.context_consts.region"].new == "us"


def test_completed_order_change() -> None:
    a = rich_snapshot()
    b = rich_snapshot(completed_nodes=["cond", "in", "yes", "api"])
    (change,) = diff_snapshots(a, b).changes
    assert change.path == "$.completed_nodes" and change.kind == "changed"
    assert change.new == ["cond", "in", "yes", "api"]


def test_types_tolerance_and_ignored_paths() -> None:
    a = rich_snapshot(results={"x": 1.0, "y": 100.0, "z": 1, "when": "t1"})
    b = rich_snapshot(results={"x": 1, "y": 100.0000001, "z": True, "when": "t2"})
    assert paths(diff_snapshots(a, b)) == [
        "$.results.when",
        "$.results.x",
        "$.results.y",
        "$.results.z",
    ]
    loose = diff_snapshots(a, b, rel_tol=1e-6, strict_types=False, ignore_paths=["$.results.wh*"])
    assert paths(loose) == ["$.results.z"]  # True is never the number 1


def test_volatile_paths() -> None:
    a = rich_snapshot()
    b = rich_snapshot(snapshot_time=T0 + timedelta(hours=1), execution_id="ffff", random_seed=1)
    assert diff_snapshots(a, b).sections() == {"metadata": 3}
    assert diff_snapshots(a, b, ignore_paths=VOLATILE_PATHS).equal


def test_workflow_definition_changes() -> None:
    a = rich_snapshot()
    nodes = [dict(node) for node in a.nodes]
    nodes[0] = {"id": "in", "type": "number", "data": {"value": 12.0}}
    nodes.append({"id": "late", "type": "number", "data": {"value": 1.0}})
    edges = [*a.edges[:2], {**a.edges[2], "target": "late"}, a.edges[3]]
    b = rich_snapshot(nodes=nodes, edges=edges)
    diff = diff_snapshots(a, b)
    assert diff.fingerprint_a != diff.fingerprint_b
    assert paths(diff) == ["$.nodes[id=in].data.value", "$.nodes[id=late]", "$.edges[2].target"]
    assert diff.changes[0].node_id == "in"
    assert "workflow definition changed: " in diff.to_text()


def test_fingerprint_canonical_form() -> None:
    nodes: list[dict[str, Any]] = [{"id": "b", "data": {"value": 10}}, {"id": "a", "type": "x"}]
    edges = [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}]
    base = workflow_fingerprint(nodes, edges)
    assert len(base) == 64 and int(base, 16) >= 0
    # node order and key order do not matter, nor 10 vs 10.0 (both are float64 in a payload)
    same: list[dict[str, Any]] = [{"type": "x", "id": "a"}, {"data": {"value": 10.0}, "id": "b"}]
    assert workflow_fingerprint(same, edges) == base
    # edge order orders a node's inputs: it matters
    assert workflow_fingerprint(nodes, edges[::-1]) != base
    assert workflow_fingerprint(nodes, edges[:1]) != base
    assert workflow_fingerprint([{"id": "b", "data": {"value": 10.5}}, nodes[1]], edges) != base


def test_text_is_capped() -> None:
    a = rich_snapshot(results={f"n{i:03d}": i for i in range(200)})
    b = rich_snapshot(
        results={f"n{i:03d}": i + 1 for i in range(200)}, variables={"big": "x" * 5000}
    )
    text = diff_snapshots(a, b).to_text(max_changes=10, max_value_chars=40)
    lines = text.splitlines()
    assert lines[0].startswith("snapshots differ: 205 changes")
    assert lines[-1] == "... 195 more changes"
    assert sum(1 for line in lines if line.startswith("  ")) == 10
    full = diff_snapshots(a, b).to_text(max_changes=1000, max_value_chars=40)
    (big,) = [line for line in full.splitlines() if "$.variables.big" in line]
    assert big.endswith("… (5002 chars)") and len(big) < 120


def test_json_rendering() -> None:
    a = rich_snapshot()
    b = rich_snapshot(counter=5.0, config=Config(max_execution_time=timedelta(minutes=1)))
    doc = json.loads(diff_snapshots(a, b).to_json())
    assert doc["equal"] is False
    assert doc["sections"] == {"counters": 1, "config": 5}
    assert doc["changes"][0] == {
        "section": "counters",
        "path": "$.counter",
        "kind": "changed",
        "old": 2.0,
        "new": 5.0,
    }
    config_paths = [c["path"] for c in doc["changes"] if c["section"] == "config"]
    assert "$.config.max_execution_time" in config_paths
    added = diff_snapshots(a, rich_snapshot(results={**a.results, "q": 1})).to_dict()
    assert added["changes"][0] == {
        "section": "results",
        "path": "$.results.q",
        "kind": "added",
        "node_id": "q",
        "new": 1,
    }
