"""Expression-driven array executors: expression, filter, map, reduce, find, partition."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.nodes import arrays, arrays_group, arrays_shape
from pytest_wfsnap.engine.nodes.arrays import (
    ExpressionExecutor,
    FilterExecutor,
    FindExecutor,
    MapExecutor,
    PartitionExecutor,
    ReduceExecutor,
)
from pytest_wfsnap.errors import ExpressionError, NodeError
from tests.engine.nodes.fakes_family2 import FakeRuntime, fails_with, run

RANGE_OUTPUT = {"range": [1.0, 2.0, 3.0, 4.0], "count": 4, "start": 1.0, "end": 4.0, "step": 1.0}
PEOPLE = [
    {"name": "Alice", "age": 25.0, "status": "active"},
    {"name": "Bob", "age": 17.0, "status": "inactive"},
    {"name": "Charlie", "age": 30.0, "status": "active"},
]


def test_module_lists_every_array_executor() -> None:
    types = {cls.node_type for cls in arrays.EXECUTORS}
    assert types == {
        "expression",
        "filter",
        "map",
        "reduce",
        "find",
        "partition",
        "slice",
        "sort",
        "flat_map",
        "group_by",
        "unique",
        "chunk",
        "reverse",
        "zip",
        "sample",
        "range",
        "compact",
        "transpose",
    }
    assert len(arrays.EXECUTORS) == len(types)
    assert set(arrays_shape.SHAPE_EXECUTORS) | set(arrays_group.GROUP_EXECUTORS) <= set(
        arrays.EXECUTORS
    )


@pytest.mark.parametrize(
    ("executor", "struct"),
    [
        (ExpressionExecutor, "ExpressionData"),
        (FilterExecutor, "FilterData"),
        (MapExecutor, "MapData"),
        (ReduceExecutor, "ReduceData"),
        (FindExecutor, "FindData"),
        (PartitionExecutor, "PartitionData"),
    ],
)
def test_missing_data_names_the_go_struct(executor: Any, struct: str) -> None:
    with pytest.raises(NodeError, match=f"^expected {struct}, got <nil>$"):
        run(executor, None, [[1.0]])


# --- expression -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "value", "expected"),
    [
        ("input * 2", 5.0, 10.0),
        ("input + 10", 15.0, 25.0),
        ("input > 2", 5.0, True),
        ("input > 10", 5.0, False),
        ("input == 5", 5.0, True),
        ("input <= 10", 5.0, True),
        ("input.price * input.quantity", {"price": 10.0, "quantity": 3.0}, 30.0),
        ("input.user.name", {"user": {"name": "Alice"}}, "Alice"),
        ("input.age > 18", {"age": 25.0}, True),
        ("input > 100 ? 'high' : 'low'", 150.0, "high"),
    ],
)
def test_expression_values(expression: str, value: Any, expected: Any) -> None:
    result = run(ExpressionExecutor, {"expression": expression}, [value])
    assert result == expected
    assert type(result) is type(expected)


def test_expression_sees_context_and_variables() -> None:
    rt = FakeRuntime(variables={"factor": 4.0}, context={"maxRetries": 3.0})
    assert run(ExpressionExecutor, {"expression": "input * context.maxRetries"}, [5.0], rt) == 15.0
    assert run(ExpressionExecutor, {"expression": "input * factor"}, [2.0], rt) == 8.0


def test_expression_input_overlays_a_workflow_variable_named_input() -> None:
    rt = FakeRuntime(variables={"input": 100.0})
    assert run(ExpressionExecutor, {"expression": "input + 1"}, [1.0], rt) == 2.0


def test_expression_empty_passes_the_input_through() -> None:
    result = run(ExpressionExecutor, {"expression": ""}, [42.0])
    assert result == {"result": 42.0, "warning": "no expression specified"}
    assert run(ExpressionExecutor, {}, [[1.0]]) == {
        "result": [1.0],
        "warning": "no expression specified",
    }


def test_expression_errors() -> None:
    with fails_with("expression node needs at least 1 input"):
        run(ExpressionExecutor, {"expression": "input * 2"}, [])
    # The value error is reported (the boolean fallback fails too: contains() needs 2 args).
    with pytest.raises(
        NodeError, match=r"^expression evaluation failed: could not evaluate expression: !contains"
    ):
        run(ExpressionExecutor, {"expression": "!contains(input)"}, [1.0])


def test_expression_boolean_fallback_never_errors_on_unknown_references() -> None:
    # Go's Evaluate turns an unresolvable operand into false instead of an error.
    assert run(ExpressionExecutor, {"expression": "node.missing.x"}, [1.0]) is False


def test_expression_that_crashes_go_fails_clearly() -> None:
    with pytest.raises(ExpressionError) as info:
        run(ExpressionExecutor, {"expression": "upper(input)"}, ["x"])
    assert "upper" in str(info.value)


# --- filter -----------------------------------------------------------------------------------


def test_filter_keeps_matching_items_with_counts() -> None:
    result = run(
        FilterExecutor, {"condition": 'item.age >= 18 && item.status == "active"'}, [PEOPLE]
    )
    assert result == {
        "filtered": [PEOPLE[0], PEOPLE[2]],
        "input_count": 3,
        "output_count": 2,
        "skipped_count": 1,
        "error_count": 0,
        "condition": 'item.age >= 18 && item.status == "active"',
        "is_array": True,
    }
    assert all(type(result[k]) is int for k in ("input_count", "output_count", "skipped_count"))


@pytest.mark.parametrize("condition", ["variables.item > 10", "item > 10", ">10"])
def test_filter_condition_forms(condition: str) -> None:
    result = run(FilterExecutor, {"condition": condition}, [[5.0, 15.0, 8.0, 20.0]])
    assert result["filtered"] == [15.0, 20.0]
    assert result["skipped_count"] == 2


def test_filter_index_is_a_float() -> None:
    result = run(FilterExecutor, {"condition": "variables.index == 1"}, [["a", "b", "c"]])
    assert result["filtered"] == ["b"]


def test_filter_unwraps_a_range_map() -> None:
    result = run(FilterExecutor, {"condition": "variables.item % 2 == 0"}, [RANGE_OUTPUT])
    assert result["filtered"] == [2.0, 4.0]
    assert result["input_count"] == 4


def test_filter_unwrap_key_order() -> None:
    data = {"values": [1.0], "items": "not a list", "data": [5.0, 6.0]}
    assert run(FilterExecutor, {"condition": "item > 0"}, [data])["filtered"] == [5.0, 6.0]


def test_filter_non_array_passes_through() -> None:
    for value, type_name in (
        ("text", "string"),
        ({"a": 1.0}, "map[string]interface {}"),
        (None, "<nil>"),
        (3, "int"),
    ):
        assert run(FilterExecutor, {"condition": "item > 1"}, [value]) == {
            "input": value,
            "filtered": value,
            "is_array": False,
            "warning": "input is not an array, passed through unchanged",
            "original_type": type_name,
        }


def test_filter_empty_result_is_a_list() -> None:
    result = run(FilterExecutor, {"condition": "item > 100"}, [[1.0, 2.0]])
    assert result["filtered"] == []
    assert run(FilterExecutor, {"condition": "item > 100"}, [[]])["filtered"] == []


def test_filter_counts_evaluation_errors() -> None:
    result = run(FilterExecutor, {"condition": "contains(item)"}, [[1.0, 2.0]])
    assert result["error_count"] == 2
    assert result["skipped_count"] == 2
    assert result["filtered"] == []


def test_filter_errors() -> None:
    with fails_with("filter node missing condition expression"):
        run(FilterExecutor, {"condition": ""}, [[1.0]])
    with fails_with("filter node needs at least 1 input"):
        run(FilterExecutor, {"condition": "item > 1"}, [])


def test_filter_does_not_copy_the_workflow_context_per_item() -> None:
    rt = FakeRuntime(variables={f"v{i}": float(i) for i in range(50)})
    result = run(FilterExecutor, {"condition": "item > variables.v3"}, [[1.0, 5.0, 9.0]], rt)
    assert result["filtered"] == [5.0, 9.0]
    assert rt.expr_context_calls == 1


# --- map --------------------------------------------------------------------------------------


def test_map_field_mode() -> None:
    items = [{"name": "Alice"}, {"other": 1.0}, "text", {"name": None}]
    assert run(MapExecutor, {"field": "name"}, [items]) == {
        "results": ["Alice", None, None, None],
        "input_count": 4,
        "output_count": 4,
        "successful": 2,
        "failed": 2,
    }


def test_map_expression_mode() -> None:
    result = run(MapExecutor, {"expression": "item * item"}, [[12.0, 14.0, 16.0]])
    assert result == {
        "results": [144.0, 196.0, 256.0],
        "input_count": 3,
        "output_count": 3,
        "successful": 3,
        "failed": 0,
    }


def test_map_string_methods_and_index() -> None:
    people = [{"email": "ALICE@EXAMPLE.COM"}, {"email": "bob@test.com"}]
    result = run(MapExecutor, {"expression": "item.email.toLowerCase()"}, [people])
    assert result["results"] == ["alice@example.com", "bob@test.com"]
    indexed = run(MapExecutor, {"expression": "index * 10"}, [["a", "b"]])
    assert indexed["results"] == [0.0, 10.0]


def test_map_failed_element_contributes_null() -> None:
    result = run(MapExecutor, {"expression": "item.age * 2"}, [[{"age": 2.0}, {"x": 1.0}]])
    assert result["results"] == [4.0, None]
    assert (result["successful"], result["failed"]) == (1, 1)


def test_map_field_wins_over_expression() -> None:
    result = run(MapExecutor, {"field": "a", "expression": "item * 2"}, [[{"a": 3.0}]])
    assert result["results"] == [3.0]


def test_map_without_transformation_and_empty_input() -> None:
    assert run(MapExecutor, {}, [[1.0, 2.0]]) == {
        "results": [1.0, 2.0],
        "input_count": 2,
        "output_count": 2,
        "warning": "no transformation specified",
    }
    assert run(MapExecutor, {"field": "name"}, [[]]) == {
        "results": [],
        "input_count": 0,
        "output_count": 0,
        "successful": 0,
        "failed": 0,
    }


def test_map_errors() -> None:
    with fails_with("map node needs at least 1 input"):
        run(MapExecutor, {"field": "a"}, [])
    with fails_with("map node requires array input, got string"):
        run(MapExecutor, {"field": "a"}, ["not an array"])
    with pytest.raises(NodeError, match=r"^map node requires array input, got map\[string\]"):
        run(MapExecutor, {"field": "a"}, [RANGE_OUTPUT])


def test_map_unknown_function_fails_the_node() -> None:
    with pytest.raises(ExpressionError):
        run(MapExecutor, {"expression": "frobnicate(item)"}, [[1.0]])


# --- reduce -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "items", "expected"),
    [
        ({"expression": "accumulator + item", "initial_value": 0.0}, [1.0, 2.0, 3.0], 6.0),
        ({"expression": "accumulator * item", "initial_value": 1.0}, [2.0, 3.0, 4.0], 24.0),
        ({"expression": "accumulator + item.age"}, [{"age": 25.0}, {"age": 30.0}], 55.0),
    ],
)
def test_reduce_folds(data: dict[str, Any], items: list[Any], expected: float) -> None:
    result = run(ReduceExecutor, data, [items])
    assert result == {
        "result": expected,
        "initial_value": data.get("initial_value"),
        "final_value": expected,
        "input_count": len(items),
        "iterations": len(items),
        "successful": len(items),
        "failed": 0,
    }


def test_reduce_empty_array_keeps_the_initial_value() -> None:
    result = run(ReduceExecutor, {"expression": "accumulator + item", "initial_value": 100.0}, [[]])
    assert result["result"] == 100.0
    assert result["iterations"] == 0
    default = run(ReduceExecutor, {"expression": "accumulator + item"}, [[]])
    assert default["result"] == 0.0
    assert type(default["result"]) is float
    assert default["initial_value"] is None


def test_reduce_failed_step_keeps_the_accumulator() -> None:
    result = run(
        ReduceExecutor,
        {"expression": "accumulator + item.n"},
        [[{"n": 1.0}, {"m": 5.0}, {"n": 2.0}]],
    )
    assert result["result"] == 3.0
    assert (result["iterations"], result["successful"], result["failed"]) == (3, 2, 1)


def test_reduce_errors_in_go_order() -> None:
    with fails_with("reduce node needs at least 1 input"):
        run(ReduceExecutor, {"expression": ""}, [])
    with fails_with("reduce node requires array input, got float64"):
        run(ReduceExecutor, {"expression": ""}, [1.5])
    with fails_with("reduce node requires an expression"):
        run(ReduceExecutor, {"expression": ""}, [[1.0]])


# --- find -------------------------------------------------------------------------------------


def test_find_first_match() -> None:
    assert run(FindExecutor, {"condition": "variables.item > 10"}, [[5.0, 15.0, 8.0, 20.0]]) == {
        "found": 15.0,
        "condition": "variables.item > 10",
    }
    found = run(FindExecutor, {"condition": "item > 10", "return_index": True}, [[5.0, 15.0]])
    assert found == {"found": 15.0, "index": 1, "condition": "item > 10"}
    assert type(found["index"]) is int


def test_find_index_is_an_int_and_items_are_visible() -> None:
    assert (
        run(FindExecutor, {"condition": "variables.index == 2"}, [[1.0, 2.0, 3.0]])["found"] == 3.0
    )
    result = run(FindExecutor, {"condition": "variables.items.length == 2"}, [["a", "b"]])
    assert result["found"] == "a"


def test_find_no_match_and_string_match() -> None:
    assert run(FindExecutor, {"condition": "variables.item > 100"}, [[1.0, 2.0, 3.0]]) == {
        "found": None,
        "not_found": True,
        "condition": "variables.item > 100",
        "input_count": 3,
    }
    result = run(FindExecutor, {"condition": 'variables.item == "apple"'}, [["banana", "apple"]])
    assert result["found"] == "apple"


def test_find_non_array_and_errors() -> None:
    assert run(FindExecutor, {"condition": ""}, ["x"]) == {
        "error": "input is not an array",
        "input": "x",
        "original_type": "string",
    }
    assert run(FindExecutor, {"condition": "item > 1"}, [RANGE_OUTPUT])["error"] == (
        "input is not an array"
    )
    with fails_with("find node missing required 'condition' string"):
        run(FindExecutor, {"condition": ""}, [[1.0]])
    with fails_with("find node needs at least 1 input"):
        run(FindExecutor, {"condition": "item"}, [])


# --- partition --------------------------------------------------------------------------------


def test_partition_splits_with_counts() -> None:
    result = run(
        PartitionExecutor, {"condition": "variables.item > 10"}, [[5.0, 15.0, 8.0, 20.0, 3.0, 12.0]]
    )
    assert result == {
        "passed": [15.0, 20.0, 12.0],
        "failed": [5.0, 8.0, 3.0],
        "passed_count": 3,
        "failed_count": 3,
        "input_count": 6,
        "condition": "variables.item > 10",
    }


def test_partition_empty_sides_are_null() -> None:
    all_fail = run(PartitionExecutor, {"condition": "variables.item > 10"}, [[1.0, 2.0]])
    assert all_fail["passed"] is None
    assert all_fail["failed"] == [1.0, 2.0]
    empty = run(PartitionExecutor, {"condition": "variables.item > 10"}, [[]])
    assert empty["passed"] is None
    assert empty["failed"] is None


def test_partition_unwraps_a_range_map_and_uses_int_index() -> None:
    result = run(PartitionExecutor, {"condition": "variables.item > 2"}, [RANGE_OUTPUT])
    assert result["passed"] == [3.0, 4.0]
    by_index = run(PartitionExecutor, {"condition": "variables.index == 1"}, [["a", "b"]])
    assert by_index["passed"] == ["b"]


def test_partition_errors_go_to_failed() -> None:
    result = run(PartitionExecutor, {"condition": "contains(item)"}, [[1.0, 2.0]])
    assert result["failed"] == [1.0, 2.0]
    assert result["passed"] is None


def test_partition_non_array_and_errors() -> None:
    assert run(PartitionExecutor, {"condition": ""}, [7.0]) == {
        "error": "input is not an array",
        "input": 7.0,
        "original_type": "float64",
    }
    with fails_with("partition node missing required 'condition' string"):
        run(PartitionExecutor, {}, [[1.0]])
    with fails_with("partition node needs at least 1 input"):
        run(PartitionExecutor, {"condition": "x"}, [])


def test_wrong_field_type_is_a_clear_error() -> None:
    with pytest.raises(NodeError, match="field 'condition' must be a string, got float64"):
        run(FilterExecutor, {"condition": 5.0}, [[1.0]])
