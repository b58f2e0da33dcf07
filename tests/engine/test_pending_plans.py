"""A snapshot's pending nodes never change how its run is restored: property tests.

For random state-node DAGs paused at random points, whose recorded progress is then changed
at random (ids dropped, repeated, moved, unknown ids added, results removed or added), loading
the snapshot must restore exactly what loading it without its ``pending_nodes`` restores (the
engine then orders the whole workflow): the same completed and skipped lists, and the same
results, final output and nodes run when the run goes on. The pending list is only a shortcut.

One thing is taken as recorded, not checked: the order among the pending nodes. A list put in
another order that the edges allow is the order the resumed run follows (checking it against
the workflow's own order would mean ordering the whole workflow, which the list exists to
avoid), so the random edits never reorder the pending list; the last test shows that case.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_wfsnap import engine
from pytest_wfsnap.engine import plans, snapshots
from pytest_wfsnap.errors import WfsnapError
from tests.engine.support import Starts
from tests.engine.test_resume_parity import random_workflow

T0 = datetime(2025, 11, 1, 16, 0, tzinfo=UTC)
PROGRESS = ("completed_nodes", "skipped_nodes", "pending_nodes")


def _paused_document(seed: int, cut: int) -> dict[str, Any]:
    payload = random_workflow(seed)
    eng = engine.new(payload, clock=lambda: T0, seed=7)
    order = engine.new(payload, clock=lambda: T0, seed=7).execute().node_results
    done = list(order)
    eng.execute(stop_after=done[cut % len(done)])
    doc: dict[str, Any] = json.loads(snapshots.serialize_snapshot(eng.save_snapshot()))
    return doc


@st.composite
def changes(draw: st.DrawFn, doc: dict[str, Any]) -> list[tuple[str, Any]]:
    """A few random edits of the document's progress lists and results."""
    ids = [node["id"] for node in doc["nodes"]]
    edits: list[tuple[str, Any]] = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(
            st.sampled_from(
                ["drop", "repeat", "swap", "ghost", "move", "unresult", "result", "none"]
            )
        )
        field = draw(st.sampled_from(PROGRESS))
        if field == "pending_nodes" and kind in ("swap", "move"):
            field = "skipped_nodes"  # (a reordered pending list is followed as given)
        edits.append((kind, (field, draw(st.integers(0, 10**6)), draw(st.sampled_from(ids)))))
    return edits


def _apply(doc: dict[str, Any], edits: list[tuple[str, Any]]) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    for kind, (field, pick, node_id) in edits:
        items = doc[field] if doc[field] is not None else []
        at = pick % (len(items) + 1)
        if kind == "drop" and items:
            del items[pick % len(items)]
        elif kind == "repeat" and items:
            items.insert(at, items[pick % len(items)])
        elif kind == "swap" and len(items) > 1:
            i, j = pick % len(items), (pick // 7) % len(items)
            items[i], items[j] = items[j], items[i]
        elif kind == "ghost":
            items.insert(at, "ghost")
        elif kind == "move":  # a node id moved into this list from wherever it was
            for other in PROGRESS:
                if doc[other] is not None and node_id in doc[other]:
                    doc[other].remove(node_id)
            items.insert(at, node_id)
        elif kind == "unresult":
            doc["results"].pop(node_id, None)
        elif kind == "result":
            doc["results"][node_id] = 1.0
        elif kind == "none":
            doc["pending_nodes"] = None
            continue
        if doc[field] is not None or field != "pending_nodes":
            doc[field] = items
    return doc


def _restore(data: bytes, *, without_pending: bool) -> tuple[Any, ...]:
    if without_pending:
        doc = json.loads(data)
        doc["pending_nodes"] = None
        data = json.dumps(doc).encode()
        plans.forget_plans()
    starts = Starts()
    try:
        restored = snapshots.load_snapshot(
            snapshots.deserialize_snapshot(data), clock=lambda: T0, observers=[starts]
        )
    except WfsnapError as exc:
        return ("load error", type(exc).__name__, str(exc))
    before = (list(restored.completed_nodes), list(restored.skipped_nodes))
    try:
        result = restored.execute()
    except WfsnapError as exc:
        return ("run error", before, type(exc).__name__, str(exc), starts.order)
    after = (restored.completed_nodes, restored.skipped_nodes)
    return (before, after, result.node_results, result.final_output, starts.order)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(seed=st.integers(0, 39), cut=st.integers(0, 10**6), data=st.data())
def test_pending_nodes_are_only_a_shortcut(seed: int, cut: int, data: st.DataObject) -> None:
    doc = _paused_document(seed, cut)
    edited = _apply(doc, data.draw(changes(doc), label="edits"))
    raw = json.dumps(edited).encode()
    assert _restore(raw, without_pending=False) == _restore(raw, without_pending=True)


def test_an_unchanged_snapshot_takes_the_shortcut() -> None:
    doc = _paused_document(3, 5)
    assert doc["pending_nodes"]
    plans.forget_plans()
    snap = snapshots.deserialize_snapshot(json.dumps(doc).encode())
    restored = snapshots.load_snapshot(snap, clock=lambda: T0)
    assert restored._plan is not None
    assert [node.id for node, _, _ in restored._plan.order] == doc["pending_nodes"]
    assert plans._KEPT == {}


def test_a_pending_list_in_another_valid_order_is_followed() -> None:
    doc = _paused_document(0, 0)
    roots = [n for n in doc["pending_nodes"] if not any(e["target"] == n for e in doc["edges"])]
    assert len(roots) >= 2  # two nodes no edge orders: either may go first
    first, second = doc["pending_nodes"].index(roots[0]), doc["pending_nodes"].index(roots[1])
    doc["pending_nodes"][first], doc["pending_nodes"][second] = roots[1], roots[0]
    starts = Starts()
    restored = snapshots.load_snapshot(
        snapshots.deserialize_snapshot(json.dumps(doc).encode()),
        clock=lambda: T0,
        observers=[starts],
    )
    restored.execute()
    assert starts.order.index(roots[1]) < starts.order.index(roots[0])
