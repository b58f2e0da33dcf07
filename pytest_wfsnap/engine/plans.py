"""Execution plans for runs, and the orders of recently planned workflows kept for resuming.

Ordering a workflow costs one pass over its edges and one over its nodes in Python (a few
hundred milliseconds at 100,000 nodes), far more than running the last few nodes of a resumed
run. So every order computed in this process is kept (a few recent workflows, bounded by their
total size), keyed by the exact node ids and edges, and a run resumed from a snapshot or an
engine state takes the order from there when its workflow was planned before, e.g. by the run
that was paused. The plan of a resumed run starts at the first node it has not decided yet,
so nothing is done again for the nodes before it. A run restored from a state that lists
its undecided nodes in order (snapshots since format 2.1.0) needs no kept order at all: its
plan is made of those nodes (:func:`pending_plan`), in any process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from itertools import compress, filterfalse
from operator import attrgetter
from typing import Any

from pytest_wfsnap.engine.decode import Edge
from pytest_wfsnap.engine.graph import Plan, Skeleton, Step, plan_from, skeleton
from pytest_wfsnap.engine.nodes.base import NodeSpec

MAX_KEPT_NODES = 250_000
"""The orders kept hold at most this many nodes in all (the oldest are dropped first)."""
MAX_KEPT = 32
_SAMPLE = 8


class _Key:
    """A workflow graph: its node ids (in node order) and its edges."""

    __slots__ = ("edges", "hash", "ids")

    def __init__(self, ids: tuple[str, ...], edges: tuple[Edge, ...]) -> None:
        self.ids = ids
        self.edges = edges
        # A cheap hash, from a sample: a kept graph with the same hash is compared in full
        # before its order is used.
        self.hash = hash(
            (len(ids), len(edges), ids[:_SAMPLE], ids[-_SAMPLE:], edges[:_SAMPLE], edges[-_SAMPLE:])
        )

    def same(self, other: _Key) -> bool:
        return self.ids == other.ids and self.edges == other.edges


_KEPT: OrderedDict[int, tuple[_Key, Skeleton]] = OrderedDict()
_KEPT_NODES = [0]
_LOCK = threading.Lock()


def _keep(key: _Key, graph: Skeleton) -> None:
    """Keep ``graph`` (the most recent of its hash: an older one is replaced without being
    compared, which costs at most a recomputed order later)."""
    size = len(key.ids)
    if size > MAX_KEPT_NODES:
        return
    with _LOCK:
        old = _KEPT.pop(key.hash, None)
        if old is not None:
            _KEPT_NODES[0] -= len(old[0].ids)
        _KEPT[key.hash] = (key, graph)
        _KEPT_NODES[0] += size
        while len(_KEPT) > MAX_KEPT or _KEPT_NODES[0] > MAX_KEPT_NODES:
            _, (dropped, _) = _KEPT.popitem(last=False)
            _KEPT_NODES[0] -= len(dropped.ids)


def _kept(key: _Key) -> Skeleton | None:
    with _LOCK:
        found = _KEPT.get(key.hash)
    if found is None or not key.same(found[0]):
        return None
    with _LOCK:
        if key.hash in _KEPT:
            _KEPT.move_to_end(key.hash)
    return found[1]


def forget_plans() -> None:
    """Drop every kept order."""
    with _LOCK:
        _KEPT.clear()
        _KEPT_NODES[0] = 0


def _start(
    graph: Skeleton, completed: Sequence[str], skipped: Sequence[str], results: Mapping[str, Any]
) -> int:
    """Where a resumed run's plan starts: after the nodes it has decided, when ``completed``
    (in execution order) holds exactly the first nodes of the order that are not ``skipped``,
    the others of those first nodes are the ``skipped`` ones, and the ``results`` are those of
    the completed nodes; else 0 (then nothing is shown about these lists)."""
    decided = len(completed) + len(skipped)
    if decided <= 0 or decided > len(graph.order) or len(results) != len(completed):
        return 0
    skipped_set = frozenset(skipped)
    if len(skipped_set) != len(skipped):
        return 0
    prefix = graph.order[:decided]
    done = list(filterfalse(skipped_set.__contains__, prefix))
    # Equal lists: ``completed`` holds distinct node ids, and as many skipped nodes as ids
    # left out of the prefix, so the skipped nodes are the rest of it.
    if done != completed or not all(map(results.__contains__, done)):
        return 0
    if any(map(results.__contains__, skipped)):
        return 0
    return decided


_NODE_ID = attrgetter("id")
_TARGET = attrgetter("target")


def progress_fits(
    count: int,
    completed: Sequence[str],
    skipped: Sequence[str],
    pending: Sequence[str],
    results: Mapping[str, Any],
    position: Mapping[str, int],
) -> bool:
    """Whether a run's recorded progress fits a workflow of ``count`` nodes exactly (node id
    -> index ``position``): the completed nodes are distinct and are exactly the keys of
    ``results``; the skipped and the pending nodes are distinct, without a result, and
    disjoint; the three lists together are exactly the (distinct) node ids. Then the run is
    restored the same with or without an order of the whole graph (see :func:`pending_plan`).

    A few C-speed passes over the ids (memory-bound: about 40 ms at 100,000 nodes), so
    ``deserialize_snapshot`` does it once, with the rest of its validation.
    """
    if len(completed) + len(skipped) + len(pending) != count or len(results) != len(completed):
        return False
    if len(position) != count:
        return False  # an id given twice: ordering reports it
    listed = set(pending)
    skipped_set = set(skipped)
    if len(listed) != len(pending) or len(skipped_set) != len(skipped):
        return False
    if any(map(results.__contains__, pending)) or any(map(results.__contains__, skipped)):
        return False
    if not listed.isdisjoint(skipped_set):
        return False
    # As many distinct completed ids as results, all of them results' keys: exactly those.
    done = set(completed)
    if len(done) != len(completed) or done.difference(results):
        return False
    # Three disjoint lists of node ids, as many as the distinct node ids: exactly those.
    if done.difference(position) or skipped_set.difference(position):  # (C-speed lookups)
        return False
    return all(map(position.__contains__, pending))


def pending_plan(
    nodes: Sequence[NodeSpec],
    edges: Sequence[Edge],
    completed: Sequence[str],
    skipped: Sequence[str],
    pending: Sequence[str],
    results: Mapping[str, Any],
    position: Mapping[str, int] | None = None,
    *,
    fits: bool = False,
) -> Plan | None:
    """The plan of a resumed run made of its ``pending`` nodes alone, in that order, without
    ordering the whole graph: Python work for the pending nodes and the edges into them
    (found by one C-speed pass over the edge targets) only.

    ``pending`` is the order the paused run would have gone on in; it is used only when the
    progress fits the workflow exactly (:func:`progress_fits`; ``fits``: checked already) and
    every edge into a pending node comes from a decided node or from a pending node listed
    before it. Then the run is restored exactly as without it (see
    :func:`pytest_wfsnap.engine.persist.restore_engine`). Else None (the caller then orders
    the graph as for any restored run). ``position``: node id -> index in ``nodes``, when
    known.
    """
    if position is None:
        ids = list(map(_NODE_ID, nodes))
        position = dict(zip(ids, range(len(ids)), strict=True))
    if not fits and not progress_fits(len(nodes), completed, skipped, pending, results, position):
        return None
    rank = dict(zip(pending, range(len(pending)), strict=True))
    found = {node_id: nodes[position[node_id]] for node_id in pending}
    incoming: dict[str, list[tuple[str, str | None]]] = {}
    conditional: set[str] = set()
    targets = map(_TARGET, edges)
    for _, source, target, handle, _, condition in compress(edges, map(rank.__contains__, targets)):
        before = rank.get(source)
        if before is not None and before >= rank[target]:
            return None  # a pending node listed before one of its sources
        branch = handle if handle is not None else condition
        if branch is not None:
            conditional.add(target)
        found_edges = incoming.get(target)
        if found_edges is None:
            incoming[target] = [(source, branch)]
        else:
            found_edges.append((source, branch))
    steps: list[Step] = []
    for node_id in pending:
        edges_in = incoming.get(node_id)
        if edges_in is None:
            steps.append((found[node_id], (), False))
        else:
            steps.append((found[node_id], tuple(edges_in), node_id in conditional))
    return Plan(tuple(steps), None, nodes, position, edges)


def _graph_key(
    nodes: Sequence[NodeSpec], edges: Sequence[Edge], node_ids: list[str] | None = None
) -> tuple[list[str], _Key]:
    if node_ids is None:
        node_ids = list(map(_NODE_ID, nodes))
    return node_ids, _Key(tuple(node_ids), tuple(edges))


def make_plan(
    nodes: Sequence[NodeSpec],
    edges: Sequence[Edge],
    *,
    completed: Sequence[str] = (),
    skipped: Sequence[str] = (),
    results: Mapping[str, Any] | None = None,
) -> Plan:
    """The plan of a run over ``nodes`` and ``edges`` (the order is kept for resumed runs).

    A run that has decided nodes already (``completed``, ``skipped``, with ``results``: a
    restored one) takes the order of its graph from an earlier plan when there is one, and
    gets a plan that starts after those nodes when they are the first ones of the order.
    Raises :class:`GraphError` for a graph that cannot be ordered.
    """
    node_ids, key = _graph_key(nodes, edges)
    resumed = results is not None and bool(completed or skipped)
    graph = _kept(key) if resumed else None
    if graph is None:
        graph = skeleton(node_ids, edges)
        _keep(key, graph)
    start = _start(graph, completed, skipped, results) if results is not None and resumed else 0
    return plan_from(graph, nodes, start)


def resume_plan(
    nodes: Sequence[NodeSpec],
    edges: Sequence[Edge],
    completed: Sequence[str],
    skipped: Sequence[str],
    results: Mapping[str, Any],
    node_ids: list[str] | None = None,
) -> Plan | None:
    """The plan of a run resumed with the ``completed`` and ``skipped`` nodes decided and
    ``results``, when its graph was ordered before in this process and those are exactly the
    first nodes of its order with their results (see :func:`_start`): the plan then starts
    after them. Else None. ``node_ids``: the ids of ``nodes``, when known."""
    if not completed and not skipped:
        return None
    _, key = _graph_key(nodes, edges, node_ids)
    graph = _kept(key)
    if graph is None:
        return None
    start = _start(graph, completed, skipped, results)
    return plan_from(graph, nodes, start) if start else None


__all__ = [
    "MAX_KEPT",
    "MAX_KEPT_NODES",
    "forget_plans",
    "make_plan",
    "pending_plan",
    "progress_fits",
    "resume_plan",
]
