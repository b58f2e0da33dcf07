"""Conformance cases whose nodes all belong to the executors of this directory's modules.

A minimal sequential runner (Kahn order, conditional-edge skipping and edge-order inputs as in
ENGINE.md B4) drives the executors directly, so their results are checked against the corpus
without the engine. Only cases with explicit node types, the default config, no HTTP or
snapshot steps and no graph errors are used; the engine's own test runs the whole corpus.
"""

from __future__ import annotations

import json
import math
from collections import deque
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.engine.nodes import (
    basic,
    control,
    delay,
    inputs,
    parse_format,
    state_nodes,
    transform,
)
from pytest_wfsnap.engine.nodes.base import Executor
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes import FakeRuntime, make_node

CASES_FILE = Path(__file__).resolve().parents[2] / "data" / "conformance" / "cases.json"
MODULES = (inputs, basic, state_nodes, control, transform, parse_format, delay)
EXECUTORS: dict[str, Executor] = {
    cls.node_type: cls() for module in MODULES for cls in module.EXECUTORS
}
CONTEXT_TYPES = ("context_variable", "context_constant")


def _selected() -> list[dict[str, Any]]:
    # Payload numbers are float64 in Go, as they are for the engine's decoder.
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8"), parse_int=float)
    chosen = []
    for case in cases:
        payload = case["payload"]
        if not isinstance(payload, dict) or case.get("fixture") or case.get("snapshot"):
            continue
        if case.get("config_overrides") or case["expect"].get("error_phase") == "parse":
            continue
        if "workflow contains cycles" in (case["expect"].get("error_contains") or ""):
            continue  # a graph error, not an executor's
        nodes = payload.get("nodes") or []
        if nodes and all(node.get("type") in EXECUTORS for node in nodes):
            chosen.append(case)
    return chosen


def _order(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[str]:
    degree = {node["id"]: 0 for node in nodes}
    adjacent: dict[str, list[str]] = {}
    for edge in edges:
        adjacent.setdefault(edge["source"], []).append(edge["target"])
        degree[edge["target"]] += 1
    queue = deque(sorted((nid for nid, d in degree.items() if d == 0), key=str.encode))
    order = []
    while queue:
        current = queue.popleft()
        order.append(current)
        for target in adjacent.get(current, []):
            degree[target] -= 1
            if degree[target] == 0:
                queue.append(target)
    return order


def _satisfied(result: Any, handle: str) -> bool:
    if not isinstance(result, dict):
        return False
    if result.get("path") == handle or result.get("output_path") == handle:
        return True
    if handle in ("true", "false"):
        key = f"{handle}_path"
        if isinstance(result.get(key), bool):
            return bool(result[key])
        if isinstance(result.get("condition_met"), bool):
            return bool(result["condition_met"] == (handle == "true"))
    return False


def _should_run(node_id: str, edges: list[dict[str, Any]], results: dict[str, Any]) -> bool:
    incoming = [edge for edge in edges if edge["target"] == node_id]
    if not incoming:
        return True
    executed = conditional = satisfied = False
    for edge in incoming:
        if edge["source"] not in results:
            continue
        executed = True
        handle = edge.get("sourceHandle") or edge.get("condition")
        if handle is None:
            return True
        conditional = True
        satisfied = satisfied or _satisfied(results[edge["source"]], handle)
    return executed and (not conditional or satisfied)


def _run(case: dict[str, Any]) -> tuple[dict[str, Any], list[str], str | None]:
    payload = case["payload"]
    nodes = {node["id"]: node for node in payload["nodes"]}
    edges = payload.get("edges") or []
    rt = FakeRuntime()
    results: dict[str, Any] = {}
    completed: list[str] = []
    for node_id in _order(payload["nodes"], edges):
        if not _should_run(node_id, edges, results):
            continue
        node = nodes[node_id]
        spec = make_node(node["type"], node.get("data"), node_id)
        given = [
            results[e["source"]] for e in edges if e["target"] == node_id and e["source"] in results
        ]
        try:
            results[node_id] = EXECUTORS[node["type"]].execute(spec, given, rt)
        except NodeError as exc:
            return results, completed, f"error executing node {node_id}: {exc}"
        completed.append(node_id)
    return results, completed, None


def same(left: Any, right: Any) -> bool:
    """JSON equality with int == float but never bool == number."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right or (math.isnan(left) and math.isnan(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same, left, right))
    return type(left) is type(right) and left == right


CASES = _selected()


def test_the_slice_is_substantial() -> None:
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    results, completed, error = _run(case)
    if expect.get("error_contains"):
        assert error is not None and expect["error_contains"] in error
        if expect.get("error_exact"):
            assert error == expect["error_exact"]
        return
    assert error is None
    for node_id, value in expect.get("node_results", {}).items():
        assert node_id in results, node_id
        assert same(results[node_id], value), (node_id, results[node_id], value)
    for node_id in expect.get("node_results_absent", []):
        assert node_id not in results
    if expect.get("node_result_count") is not None:
        assert len(results) == expect["node_result_count"]
    if expect.get("final_output_asserted"):
        sources = {edge["source"] for edge in case["payload"].get("edges") or []}
        types = {node["id"]: node["type"] for node in case["payload"]["nodes"]}
        terminal = [nid for nid in completed if nid not in sources]
        regular = [nid for nid in terminal if types[nid] not in CONTEXT_TYPES]
        chosen = (regular or terminal)[-1:]
        final = results[chosen[0]] if chosen else None
        assert same(final, expect["final_output"])
