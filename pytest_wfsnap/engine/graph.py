"""Execution order and per-node wiring of a workflow graph (ENGINE.md B4.1, B4.3-B4.5).

:func:`skeleton` orders the nodes exactly as the Go engine does (Kahn's algorithm: orphans
sorted byte-wise, FIFO queue, neighbours in edge order) and records, per node, its incoming
edges in payload order, so gathering inputs and deciding skips never scans all edges. It
depends on the node ids and the edges only (one pass over the edges, one over the order).
:func:`build_plan` joins it with the decoded nodes; a plan may start after the nodes a resumed
run has already decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from pytest_wfsnap.engine.datatypes import CONTEXT_TYPES
from pytest_wfsnap.engine.decode import Edge
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.errors import GraphError

CYCLE_MESSAGE = "workflow contains cycles (circular dependencies)"

Incoming = tuple[tuple[str, str | None], ...]
"""Incoming edges of a node in payload order: (source id, branch handle or None)."""


Step = tuple[NodeSpec, Incoming, bool]
"""One node in execution order: the node, its incoming edges, whether any of them is
conditional (has a branch handle). Plain tuples keep the run loop's per-node cost minimal."""

_NO_INPUTS: Incoming = ()
_SOURCE = attrgetter("source")


@dataclass(frozen=True, slots=True)
class Skeleton:
    """The execution order and wiring of a graph, by node id."""

    order: tuple[str, ...]  # node ids in execution order
    incoming: Mapping[str, Sequence[tuple[str, str | None]]]  # node id -> incoming edges
    conditional: frozenset[str]  # ids of nodes with a conditional incoming edge
    sources: frozenset[str]  # ids with an outgoing edge (the others are terminal)
    position: Mapping[str, int]  # node id -> index in the node list


class Plan:
    """The execution order with per-node wiring, and what the final-output rule needs.

    ``order`` holds every node from the first one that was undecided when the plan was made
    (all of them for a new run); the nodes before it never run again. ``sources`` may be left
    to be worked out from ``edges`` when first needed (a resumed run's plan need not go over
    every edge for the nodes it has left).
    """

    __slots__ = ("_by_id", "_edges", "_nodes", "_position", "_sources", "order")

    def __init__(
        self,
        order: tuple[Step, ...],
        sources: frozenset[str] | None,
        nodes: Sequence[NodeSpec],
        position: Mapping[str, int],
        edges: Sequence[Edge] = (),
    ) -> None:
        self.order = order
        self._sources = sources
        self._edges = edges
        self._nodes = nodes
        self._position = position  # node id -> index in ``nodes``
        self._by_id: dict[str, NodeSpec] | None = None

    @property
    def sources(self) -> frozenset[str]:
        """Ids with an outgoing edge (the others are terminal)."""
        if self._sources is None:
            self._sources = frozenset(map(_SOURCE, self._edges))
        return self._sources

    def node(self, node_id: str) -> NodeSpec | None:
        """The node with id ``node_id``, if any."""
        index = self._position.get(node_id)
        return None if index is None else self._nodes[index]

    @property
    def nodes(self) -> Mapping[str, NodeSpec]:
        """Every node by id."""
        if self._by_id is None:
            nodes = self._nodes
            self._by_id = {node_id: nodes[index] for node_id, index in self._position.items()}
        return self._by_id


def skeleton(node_ids: Sequence[str], edges: Sequence[Edge]) -> Skeleton:
    """Go's ``TopologicalSort``, with each node's incoming edges.

    Duplicate node ids and edges from unknown sources make the order shorter than the node
    list, which is reported as a cycle (as in Go). An edge to an unknown node is rejected
    with a :class:`GraphError` naming the edge (Go crashes on it).
    """
    position = {node_id: index for index, node_id in enumerate(node_ids)}
    in_degree: dict[str, int] = dict.fromkeys(position, 0)
    adjacency: dict[str, list[str]] = {}
    incoming: dict[str, list[tuple[str, str | None]]] = {}
    conditional: set[str] = set()
    for index, (_, source, target, handle, _, condition) in enumerate(edges):
        degree = in_degree.get(target)
        if degree is None:
            raise GraphError(
                f"{edges[index].describe(index)} points to unknown node {target!r}: every "
                "edge target must be the id of a node in the payload"
            )
        in_degree[target] = degree + 1
        targets = adjacency.get(source)
        if targets is None:
            adjacency[source] = [target]
        else:
            targets.append(target)
        branch = handle if handle is not None else condition
        if branch is not None:
            conditional.add(target)
        found = incoming.get(target)
        if found is None:
            incoming[target] = [(source, branch)]
        else:
            found.append((source, branch))
    # Python orders str by code point, which is the byte order of their UTF-8 encodings.
    queue = sorted(node_id for node_id, degree in in_degree.items() if degree == 0)
    head = 0
    while head < len(queue):
        targets = adjacency.get(queue[head])
        head += 1
        if targets:
            for target in targets:
                degree = in_degree[target] - 1
                in_degree[target] = degree
                if degree == 0:
                    queue.append(target)
    if len(queue) != len(node_ids):
        raise GraphError(CYCLE_MESSAGE)
    return Skeleton(tuple(queue), incoming, frozenset(conditional), frozenset(adjacency), position)


def topological_order(node_ids: Sequence[str], edges: Sequence[Edge]) -> list[str]:
    """Go's ``TopologicalSort`` (see :func:`skeleton`)."""
    return list(skeleton(node_ids, edges).order)


def plan_from(graph: Skeleton, nodes: Sequence[NodeSpec], start: int = 0) -> Plan:
    """The plan of ``graph`` over ``nodes`` (the node list it was made for), from position
    ``start`` of its order."""
    position = graph.position
    incoming = graph.incoming
    conditional = graph.conditional
    steps: list[Step] = []
    add = steps.append
    for node_id in graph.order[start:] if start else graph.order:
        node = nodes[position[node_id]]
        edges_in = incoming.get(node_id)
        if edges_in is None:
            add((node, _NO_INPUTS, False))
        else:
            add((node, tuple(edges_in), node_id in conditional))
    return Plan(tuple(steps), graph.sources, nodes, position)


def build_plan(nodes: Sequence[NodeSpec], edges: Sequence[Edge]) -> Plan:
    """Order the graph and precompute each node's incoming edges."""
    return plan_from(skeleton([node.id for node in nodes], edges), nodes)


def branch_satisfied(result: Any, handle: str) -> bool:
    """Whether a conditional edge with ``handle`` is taken for its source's ``result``."""
    if not isinstance(result, dict):
        return False
    for key in ("path", "output_path"):
        value = result.get(key)
        if isinstance(value, str) and value == handle:
            return True
    if handle == "true":
        flag, negate = result.get("true_path"), False
    elif handle == "false":
        flag, negate = result.get("false_path"), True
    else:
        return False
    if isinstance(flag, bool):
        return flag
    met = result.get("condition_met")
    if isinstance(met, bool):
        return met != negate
    return False


def should_execute(incoming: Incoming, results: Mapping[str, Any]) -> bool:
    """Go's ``shouldExecuteNode`` (B4.4) for a node with at least one incoming edge."""
    satisfied = False
    for source, handle in incoming:
        if source not in results:
            continue
        if handle is None:
            return True
        if not satisfied and branch_satisfied(results[source], handle):
            satisfied = True
    return satisfied


def final_output(completed: Sequence[str], plan: Plan, results: Mapping[str, Any]) -> Any:
    """The run's final output (ENGINE.md A1).

    Among terminal nodes with a result: the non-context node that completed last; if only
    context nodes qualify, the context node that completed last; otherwise None.
    """
    sources = plan.sources
    fallback: str | None = None
    for node_id in reversed(completed):
        if node_id in sources or node_id not in results:
            continue
        node = plan.node(node_id)
        if node is None:
            continue
        if node.type not in CONTEXT_TYPES:
            return results[node_id]
        if fallback is None:
            fallback = node_id
    return None if fallback is None else results[fallback]


__all__ = [
    "CYCLE_MESSAGE",
    "Incoming",
    "Plan",
    "Skeleton",
    "Step",
    "branch_satisfied",
    "build_plan",
    "final_output",
    "plan_from",
    "should_execute",
    "skeleton",
    "topological_order",
]
