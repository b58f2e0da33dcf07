"""Generated workflows for the benchmarks, and a bare-Python loop computing the same results.

``generate(n)`` builds a payload of ``n`` nodes mixing number, operation, text_input,
text_operation, variable, counter, accumulator, cache, condition and visualization nodes, wired
as a DAG whose node list is already in a valid topological order. ``baseline(payload)`` walks
that graph with plain function calls and dict lookups (the "bare loop" the engine is compared
with): same node results, no engine.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

KINDS = (
    "number",
    "operation",
    "text_input",
    "text_operation",
    "variable",
    "counter",
    "accumulator",
    "cache",
    "condition",
    "visualization",
)


def generate(n: int, seed: int = 7) -> dict[str, Any]:
    """A deterministic payload of ``n`` nodes."""
    rng = random.Random(seed)
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    numbers: list[str] = []  # ids whose result is a float
    texts: list[str] = []  # ids whose result is a string
    conditions: list[str] = []
    for i in range(n):
        nid = f"n{i:06d}"
        kind = KINDS[i % len(KINDS)] if i >= 4 else ("number", "number", "text_input", "number")[i]
        data: dict[str, Any]
        if kind == "number":
            data = {"value": float(rng.randint(1, 100))}
            numbers.append(nid)
        elif kind == "operation":
            a, b = rng.choice(numbers[-50:]), rng.choice(numbers[-50:])
            data = {"op": rng.choice(("add", "subtract"))}
            edges += [{"source": a, "target": nid}, {"source": b, "target": nid}]
            numbers.append(nid)
        elif kind == "text_input":
            data = {"text": f"item {i}"}
            texts.append(nid)
        elif kind == "text_operation":
            data = {"text_op": "uppercase"}
            edges.append({"source": rng.choice(texts[-20:]), "target": nid})
            texts.append(nid)
        elif kind == "variable":
            data = {"var_name": f"v{i % 50}", "var_op": "set"}
            edges.append({"source": rng.choice(numbers[-50:]), "target": nid})
        elif kind == "counter":
            data = {"counter_op": "increment", "delta": 1.0}
        elif kind == "accumulator":
            data = {"accum_op": "sum"}
            edges.append({"source": rng.choice(numbers[-50:]), "target": nid})
        elif kind == "cache":
            data = {"cache_op": "set", "cache_key": f"k{i % 100}", "ttl": "1h"}
            edges.append({"source": rng.choice(texts[-20:]), "target": nid})
        elif kind == "condition":
            data = {"condition": ">50"}
            edges.append({"source": rng.choice(numbers[-50:]), "target": nid})
            conditions.append(nid)
        else:  # visualization on a branch of the latest condition
            data = {"mode": "text"}
            handle = rng.choice(("true", "false"))
            edges.append({"source": conditions[-1], "target": nid, "sourceHandle": handle})
        nodes.append({"id": nid, "type": kind, "data": data})
    return {"workflow_id": f"bench-{n}", "nodes": nodes, "edges": edges}


def baseline(payload: dict[str, Any]) -> dict[str, Any]:
    """Compute the node results of ``generate(n)`` with a bare loop (no engine)."""
    nodes = payload["nodes"]
    preds: dict[str, list[tuple[str, str | None]]] = {node["id"]: [] for node in nodes}
    for edge in payload["edges"]:
        preds[edge["target"]].append((edge["source"], edge.get("sourceHandle")))
    results: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    cache: dict[str, tuple[Any, datetime]] = {}
    state = {"counter": 0.0, "acc": None}
    now = datetime.now(UTC)
    by_id = {node["id"]: node for node in nodes}

    def number(d: dict[str, Any], ins: list[Any]) -> Any:
        return d["value"]

    def operation(d: dict[str, Any], ins: list[Any]) -> Any:
        a, b = ins[0], ins[1]
        return a + b if d["op"] == "add" else a - b

    def text_input(d: dict[str, Any], ins: list[Any]) -> Any:
        return d["text"]

    def text_operation(d: dict[str, Any], ins: list[Any]) -> Any:
        return ins[0].upper()

    def variable(d: dict[str, Any], ins: list[Any]) -> Any:
        variables[d["var_name"]] = ins[0]
        return {"var_name": d["var_name"], "operation": "set", "value": ins[0]}

    def counter(d: dict[str, Any], ins: list[Any]) -> Any:
        state["counter"] += d["delta"]
        return {"operation": "increment", "value": state["counter"]}

    def accumulator(d: dict[str, Any], ins: list[Any]) -> Any:
        acc = 0.0 if state["acc"] is None else state["acc"]
        state["acc"] = acc + ins[0]
        return {"operation": "sum", "value": state["acc"]}

    def cache_set(d: dict[str, Any], ins: list[Any]) -> Any:
        cache[d["cache_key"]] = (ins[0], now + timedelta(hours=1))
        return {"operation": "set", "key": d["cache_key"], "value": ins[0], "ttl": d["ttl"]}

    def condition(d: dict[str, Any], ins: list[Any]) -> Any:
        met = ins[0] > 50
        return {
            "value": ins[0],
            "condition_met": met,
            "condition": d["condition"],
            "path": "true" if met else "false",
            "true_path": met,
            "false_path": not met,
        }

    def visualization(d: dict[str, Any], ins: list[Any]) -> Any:
        return ins[0]

    dispatch = {
        "number": number,
        "operation": operation,
        "text_input": text_input,
        "text_operation": text_operation,
        "variable": variable,
        "counter": counter,
        "accumulator": accumulator,
        "cache": cache_set,
        "condition": condition,
        "visualization": visualization,
    }
    for nid in kahn_order(payload):
        node = by_id[nid]
        ins: list[Any] = []
        run = not preds[nid]
        for src, handle in preds[nid]:
            if src in results:
                res = results[src]
                if handle is None or res.get("path") == handle:
                    run = True
                ins.append(res)
        if run:
            results[nid] = dispatch[node["type"]](node["data"], ins)
    return results


def kahn_order(payload: dict[str, Any]) -> list[str]:
    """Kahn's algorithm with byte-wise sorted orphans and a FIFO queue (the engine's order)."""
    indeg = {node["id"]: 0 for node in payload["nodes"]}
    adj: dict[str, list[str]] = {}
    for edge in payload["edges"]:
        adj.setdefault(edge["source"], []).append(edge["target"])
        indeg[edge["target"]] += 1
    queue = sorted(nid for nid, d in indeg.items() if d == 0)
    head = 0
    while head < len(queue):
        nid = queue[head]
        head += 1
        for nxt in adj.get(nid, ()):
            indeg[nxt] -= 1
            if indeg[nxt] == 0:
                queue.append(nxt)
    return queue


# Engine limits lifted so that 100k-node runs are allowed (the Go defaults stop at 10,000 node
# executions); every other setting is the engine default.
UNLIMITED = {"max_node_executions": 0, "max_nodes": 0, "max_edges": 0}


def resume_point(payload: dict[str, Any], results: dict[str, Any], fraction: float) -> str:
    """The first executed node at or after ``fraction`` of the run order (the pause point)."""
    order = kahn_order(payload)
    start = min(int(len(order) * fraction), len(order) - 1)
    for node_id in order[start:]:
        if node_id in results:
            return node_id
    raise ValueError(f"no executed node at or after {fraction:.0%} of the order")
