"""Execution order and per-node wiring of a workflow graph (ENGINE.md B4.1, B4.3-B4.5).

:func:`build_plan` orders the nodes exactly as the Go engine does (Kahn's algorithm: orphans
sorted byte-wise, FIFO queue, neighbours in edge order) and precomputes, per node, its incoming
edges in payload order, so gathering inputs and deciding skips never scans all edges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Plan:
    """The execution order with per-node wiring, and what the final-output rule needs."""

    order: tuple[Step, ...]
    nodes: Mapping[str, NodeSpec]  # by id
    sources: frozenset[str]  # ids with an outgoing edge (the others are terminal)


def topological_order(node_ids: Sequence[str], edges: Sequence[Edge]) -> list[str]:
    """Go's ``TopologicalSort``.

    Duplicate node ids and edges from unknown sources make the order shorter than the node
    list, which is reported as a cycle (as in Go). An edge to an unknown node is rejected
    with a :class:`GraphError` naming the edge (Go crashes on it).
    """
    in_degree: dict[str, int] = dict.fromkeys(node_ids, 0)
    for index, edge in enumerate(edges):
        if edge.target not in in_degree:
            raise GraphError(
                f"{edge.describe(index)} points to unknown node {edge.target!r}: every edge "
                "target must be the id of a node in the payload"
            )
    adjacency: dict[str, list[str]] = {}
    for edge in edges:
        targets = adjacency.get(edge.source)
        if targets is None:
            adjacency[edge.source] = [edge.target]
        else:
            targets.append(edge.target)
        in_degree[edge.target] += 1
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
    return queue


def build_plan(nodes: Sequence[NodeSpec], edges: Sequence[Edge]) -> Plan:
    """Order the graph and precompute each node's incoming edges."""
    order = topological_order([node.id for node in nodes], edges)
    incoming: dict[str, list[tuple[str, str | None]]] = {}
    conditional: set[str] = set()
    sources: set[str] = set()
    for edge in edges:
        sources.add(edge.source)
        branch = edge.branch
        if branch is not None:
            conditional.add(edge.target)
        found = incoming.get(edge.target)
        if found is None:
            incoming[edge.target] = [(edge.source, branch)]
        else:
            found.append((edge.source, branch))
    by_id = {node.id: node for node in nodes}
    empty: Incoming = ()
    steps: list[Step] = []
    for node_id in order:
        edges_in = incoming.get(node_id)
        if edges_in is None:
            steps.append((by_id[node_id], empty, False))
        else:
            steps.append((by_id[node_id], tuple(edges_in), node_id in conditional))
    return Plan(order=tuple(steps), nodes=by_id, sources=frozenset(sources))


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
    nodes = plan.nodes
    sources = plan.sources
    fallback: str | None = None
    for node_id in reversed(completed):
        if node_id in sources or node_id not in results:
            continue
        node = nodes.get(node_id)
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
    "Step",
    "branch_satisfied",
    "build_plan",
    "final_output",
    "should_execute",
    "topological_order",
]
