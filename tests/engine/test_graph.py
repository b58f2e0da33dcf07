"""Execution order, incoming edges, skip decisions and the final-output rule."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.decode import Edge, decode_payload
from pytest_wfsnap.engine.graph import (
    CYCLE_MESSAGE,
    branch_satisfied,
    build_plan,
    final_output,
    should_execute,
    topological_order,
)
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.errors import GraphError


def edges(*pairs: tuple[str, str]) -> list[Edge]:
    return [Edge(f"e{i}", source, target) for i, (source, target) in enumerate(pairs)]


def test_orphans_are_sorted_bytewise_then_fifo_in_edge_order() -> None:
    ids = ["b", "2", "10", "a", "B", "x", "y", "z"]
    order = topological_order(ids, edges(("a", "z"), ("a", "y"), ("10", "x")))
    assert order == ["10", "2", "B", "a", "b", "x", "z", "y"]


def test_non_ascii_ids_sort_by_utf8_bytes() -> None:
    assert topological_order(["é", "z", "Z", "ü"], []) == ["Z", "z", "é", "ü"]


def test_a_node_waits_for_all_its_predecessors() -> None:
    order = topological_order(["c", "a", "b"], edges(("a", "c"), ("b", "c"), ("a", "b")))
    assert order == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("ids", "pairs"),
    [
        (["a"], [("a", "a")]),
        (["a", "b"], [("a", "b"), ("b", "a")]),
        (["a", "a"], []),
        (["a", "b"], [("ghost", "b")]),
    ],
)
def test_cycles_duplicates_and_unknown_sources_report_a_cycle(
    ids: list[str], pairs: list[tuple[str, str]]
) -> None:
    with pytest.raises(GraphError) as raised:
        topological_order(ids, edges(*pairs))
    assert str(raised.value) == CYCLE_MESSAGE


def test_an_edge_to_an_unknown_node_is_named() -> None:
    with pytest.raises(GraphError) as raised:
        topological_order(["a"], [Edge("to-ghost", "a", "ghost")])
    assert "edge to-ghost (a -> ghost)" in str(raised.value)
    assert "'ghost'" in str(raised.value)
    with pytest.raises(GraphError, match=r"edge #1 \(a -> nowhere\)"):
        topological_order(["a"], [Edge("", "a", "a"), Edge("", "a", "nowhere")])


def test_plan_precomputes_incoming_edges_in_payload_order() -> None:
    payload = decode_payload(
        {
            "nodes": [
                {"id": "t", "type": "sink", "data": {}},
                {"id": "a", "type": "src", "data": {}},
                {"id": "b", "type": "context_variable", "data": {"context_name": "x"}},
            ],
            "edges": [
                {"source": "b", "target": "t", "sourceHandle": "true"},
                {"source": "a", "target": "t"},
                {"source": "b", "target": "t"},
            ],
        }
    )
    plan = build_plan(payload.nodes, payload.edges)
    assert [node.id for node, _, _ in plan.order] == ["a", "b", "t"]
    assert plan.order[2][1:] == ((("b", "true"), ("a", None), ("b", None)), True)
    assert plan.order[0][1:] == ((), False)
    assert plan.sources == {"a", "b"}
    assert set(plan.nodes) == {"a", "b", "t"}


@pytest.mark.parametrize(
    ("result", "handle", "taken"),
    [
        ({"path": "true"}, "true", True),
        ({"path": "x"}, "x", True),
        ({"output_path": "success"}, "success", True),
        ({"output_path": "success"}, "failure", False),
        ({"path": 1}, "1", False),
        ({"true_path": True, "condition_met": False}, "true", True),
        ({"true_path": "yes", "condition_met": True}, "true", True),
        ({"condition_met": False}, "false", True),
        ({"false_path": False, "condition_met": False}, "false", False),
        ({"condition_met": "no"}, "false", False),
        ({"condition_met": True}, "other", False),
        ("true", "true", False),
        (None, "true", False),
        (5, "output", False),
    ],
)
def test_branch_rules(result: Any, handle: str, taken: bool) -> None:
    assert branch_satisfied(result, handle) is taken


def test_should_execute() -> None:
    cond = {"path": "true", "condition_met": True}
    assert not should_execute((("a", None),), {})
    assert should_execute((("a", None),), {"a": None})
    assert should_execute((("a", "false"), ("b", None)), {"a": cond, "b": 1})
    assert not should_execute((("a", "false"),), {"a": cond})
    assert should_execute((("a", "false"), ("c", "true")), {"a": cond, "c": cond})
    assert not should_execute((("n", "output"),), {"n": 5})
    assert not should_execute((("a", "true"), ("b", None)), {})


def spec(node_id: str, node_type: str = "x") -> NodeSpec:
    return NodeSpec(node_id, node_type, {}, {})


def test_final_output_is_the_last_completed_terminal_non_context_node() -> None:
    nodes = [spec("a"), spec("t1"), spec("t2"), spec("ctx", "context_constant")]
    plan = build_plan(nodes, edges(("a", "t1"), ("a", "t2")))
    results = {"a": 1, "t1": "one", "t2": "two", "ctx": "c"}
    assert final_output(["a", "t2", "t1", "ctx"], plan, results) == "one"
    assert final_output(["a", "t1", "t2", "ctx"], plan, results) == "two"
    assert final_output(["ctx", "a"], plan, results) == "c"
    assert final_output(["a"], plan, results) is None
    assert final_output(["a", "t1"], plan, {"a": 1, "t1": None}) is None
