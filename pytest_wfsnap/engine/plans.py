"""Execution plans for runs, and the orders of recently planned workflows kept for resuming.

Ordering a workflow costs one pass over its edges and one over its nodes in Python (a few
hundred milliseconds at 100,000 nodes), far more than running the last few nodes of a resumed
run. So every order computed in this process is kept (a few recent workflows, bounded by their
total size), keyed by the exact node ids and edges, and a run resumed from a snapshot or an
engine state takes the order from there when its workflow was planned before, e.g. by the run
that was paused. The plan of a resumed run starts at the first node it has not decided yet,
so nothing is done again for the nodes before it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from itertools import filterfalse
from operator import attrgetter
from typing import Any

from pytest_wfsnap.engine.decode import Edge
from pytest_wfsnap.engine.graph import Plan, Skeleton, plan_from, skeleton
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


__all__ = ["MAX_KEPT", "MAX_KEPT_NODES", "forget_plans", "make_plan", "resume_plan"]
