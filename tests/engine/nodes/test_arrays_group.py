"""sort, group_by and unique.

The expected sort orders marked "Go" were produced by Go 1.19's ``sort.SliceStable`` with the
engine's comparator (``compareValuesHelper``), including the non-strict ``!less`` of ``desc``.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from pytest_wfsnap.engine.gofmt import go_type, go_v
from pytest_wfsnap.engine.nodes.arrays_group import (
    GroupByExecutor,
    SortExecutor,
    UniqueExecutor,
    go_stable_sort,
    typed_less,
)
from pytest_wfsnap.engine.nodes.base import Executor
from tests.engine.nodes.fakes_family2 import fails_with, run

MIXED = [2.0, "10", None, True, 1, "b", [1.0], {"q": 1.0}, False]


def _described(values: list[Any]) -> list[str]:
    return [f"{go_type(v)}:{go_v(v)}" for v in values]


@pytest.mark.parametrize("executor", [SortExecutor, GroupByExecutor, UniqueExecutor])
def test_non_array_and_missing_input(executor: type[Executor]) -> None:
    data = {"field": "f"}
    assert run(executor, data, ["x"]) == {
        "error": "input is not an array",
        "input": "x",
        "original_type": "string",
    }
    with fails_with(f"{executor.node_type} node needs at least 1 input"):
        run(executor, data, [])
    with fails_with(f"expected {executor.data_struct}, got <nil>"):
        run(executor, None, [[]])


# --- sort -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "items", "expected"),
    [
        ({"order": "asc"}, [5.0, 2.0, 8.0, 1.0, 9.0], [1.0, 2.0, 5.0, 8.0, 9.0]),
        ({"order": "desc"}, [5.0, 2.0, 8.0, 1.0, 9.0], [9.0, 8.0, 5.0, 2.0, 1.0]),
        ({"order": "asc"}, ["zebra", "apple", "banana"], ["apple", "banana", "zebra"]),
        ({}, [True, False, True], [False, True, True]),
        ({}, ["b", "B", "a", "é"], ["B", "a", "b", "é"]),
    ],
)
def test_sort_values(data: dict[str, Any], items: list[Any], expected: list[Any]) -> None:
    result = run(SortExecutor, data, [items])
    assert result == {
        "sorted": expected,
        "count": len(items),
        "field": "",
        "order": data.get("order", "asc"),
    }


def test_sort_by_field_with_missing_values_first() -> None:
    people = [{"name": "Charlie"}, {"name": "Alice"}, {"age": 3.0}, "text", {"name": "Bob"}]
    result = run(SortExecutor, {"field": "name", "order": "asc"}, [people])
    assert result["sorted"] == [
        {"age": 3.0},
        "text",
        {"name": "Alice"},
        {"name": "Bob"},
        {"name": "Charlie"},
    ]
    assert result["field"] == "name"


def test_sort_order_is_lowercased_and_anything_else_is_ascending() -> None:
    assert run(SortExecutor, {"order": "DESC"}, [[1.0, 3.0, 2.0]])["sorted"] == [3.0, 2.0, 1.0]
    assert run(SortExecutor, {"order": "DESC"}, [[1.0]])["order"] == "desc"
    sideways = run(SortExecutor, {"order": "sideways"}, [[3.0, 1.0]])
    assert sideways["sorted"] == [1.0, 3.0]
    assert sideways["order"] == "sideways"
    explicit_empty = run(SortExecutor, {"order": ""}, [[3.0, 1.0]])
    assert explicit_empty["sorted"] == [1.0, 3.0]
    assert explicit_empty["order"] == ""
    assert run(SortExecutor, {"order": None}, [[1.0]])["order"] == "asc"


def test_sort_desc_puts_equal_elements_in_reverse_input_order() -> None:
    items = [
        {"id": "a", "k": 1.0},
        {"id": "b", "k": 1.0},
        {"id": "c", "k": 0.0},
        {"id": "d", "k": 1.0},
    ]
    result = run(SortExecutor, {"field": "k", "order": "desc"}, [items])
    assert [x["id"] for x in result["sorted"]] == ["d", "b", "a", "c"]  # Go


def test_sort_mixed_types_compare_by_go_text() -> None:
    asc = run(SortExecutor, {}, [MIXED])["sorted"]
    assert _described(asc) == [  # Go
        "<nil>:<nil>",
        "int:1",
        "string:10",
        "float64:2",
        "[]interface {}:[1]",
        "string:b",
        "bool:false",
        "map[string]interface {}:map[q:1]",
        "bool:true",
    ]
    desc = run(SortExecutor, {"order": "desc"}, [MIXED])["sorted"]
    assert _described(desc) == [  # Go
        "bool:true",
        "map[string]interface {}:map[q:1]",
        "bool:false",
        "string:b",
        "[]interface {}:[1]",
        "float64:2",
        "string:10",
        "int:1",
        "<nil>:<nil>",
    ]


def test_sort_across_merge_blocks_matches_go() -> None:
    items = [{"id": i, "k": float((i * 7) % 3)} for i in range(45)]
    desc = run(SortExecutor, {"field": "k", "order": "desc"}, [items])["sorted"]
    assert [x["id"] for x in desc] == [  # Go
        44,
        41,
        38,
        35,
        32,
        29,
        26,
        23,
        20,
        17,
        14,
        11,
        8,
        5,
        2,
        43,
        40,
        37,
        34,
        31,
        28,
        25,
        22,
        19,
        16,
        13,
        10,
        7,
        4,
        1,
        42,
        39,
        36,
        33,
        30,
        27,
        24,
        21,
        18,
        15,
        12,
        9,
        6,
        3,
        0,
    ]
    asc = run(SortExecutor, {"field": "k"}, [items])["sorted"]
    assert [x["id"] for x in asc] == sorted(range(45), key=lambda i: (i * 7) % 3)


def test_sort_mixed_number_types_tie_by_text_in_desc() -> None:
    keys: list[Any] = [None, 2.0, "x", 2]
    items = [{"id": i, "k": keys[i % 4]} for i in range(30)]
    result = run(SortExecutor, {"field": "k", "order": "desc"}, [items])
    assert [x["id"] for x in result["sorted"]] == [  # Go
        26,
        22,
        18,
        14,
        10,
        6,
        2,
        29,
        27,
        25,
        23,
        21,
        19,
        17,
        15,
        13,
        11,
        9,
        7,
        5,
        3,
        1,
        28,
        24,
        20,
        16,
        12,
        8,
        4,
        0,
    ]


def test_sort_does_not_touch_its_input() -> None:
    items = [3.0, 1.0, 2.0]
    result = run(SortExecutor, {}, [items])
    assert items == [3.0, 1.0, 2.0]
    assert result["sorted"] is not items


@pytest.mark.parametrize("size", [0, 1, 19, 20, 21, 40, 41, 99, 500])
def test_go_stable_sort_with_a_strict_order_is_a_stable_sort(size: int) -> None:
    rng = random.Random(size)
    keys = [rng.randrange(7) for _ in range(size)]
    positions = list(range(size))
    go_stable_sort(positions, lambda i, j: keys[i] < keys[j])
    assert positions == sorted(range(size), key=lambda i: keys[i])


def test_typed_less() -> None:
    assert typed_less(None, 1.0) is True
    assert typed_less(None, None) is False
    assert typed_less(1.0, None) is False
    assert typed_less(1.0, 2.0) is True
    assert typed_less(2, 10) is True
    assert typed_less("b", "a") is False
    assert typed_less(False, True) is True
    assert typed_less(True, True) is False
    assert typed_less(1, 2.0) is None
    assert typed_less([1.0], [2.0]) is None


# --- group_by ---------------------------------------------------------------------------------

STATUS = [
    {"name": "Alice", "status": "active"},
    {"name": "Bob", "status": "inactive"},
    {"name": "Charlie", "status": "active"},
]
SALES = [
    {"category": "A", "value": 10.0},
    {"category": "B", "value": 20.0},
    {"category": "A", "value": 15.0},
    {"category": "B", "value": "n/a"},
    {"category": "A", "value": 5},
    {"category": "C"},
    {"category": "A", "value": True},
]


def test_group_by_count() -> None:
    result = run(GroupByExecutor, {"field": "status", "aggregate": "count"}, [STATUS])
    assert result == {
        "groups": {"active": [STATUS[0], STATUS[2]], "inactive": [STATUS[1]]},
        "group_count": 2,
        "input_count": 3,
        "field": "status",
        "aggregate": "count",
        "counts": {"active": 2, "inactive": 1},
    }
    assert type(result["counts"]["active"]) is int


def test_group_by_default_aggregate_is_count() -> None:
    assert run(GroupByExecutor, {"field": "status"}, [STATUS])["counts"] == {
        "active": 2,
        "inactive": 1,
    }


@pytest.mark.parametrize(
    ("aggregate", "key", "expected"),
    [
        ("sum", "sums", {"A": 30.0, "B": 20.0, "C": 0.0}),
        ("avg", "averages", {"A": 10.0, "B": 20.0, "C": 0.0}),
        ("min", "minimums", {"A": 5.0, "B": 20.0, "C": None}),
        ("max", "maximums", {"A": 15.0, "B": 20.0, "C": None}),
    ],
)
def test_group_by_numeric_aggregates(aggregate: str, key: str, expected: dict[str, Any]) -> None:
    data = {"field": "category", "aggregate": aggregate, "value_field": "value"}
    result = run(GroupByExecutor, data, [SALES])
    assert result[key] == expected
    assert all(v is None or type(v) is float for v in result[key].values())
    assert result["group_count"] == 3


def test_group_by_values() -> None:
    items = [{"type": "X", "data": "d1"}, {"type": "Y", "data": "d2"}, {"type": "X", "data": "d3"}]
    result = run(GroupByExecutor, {"field": "type", "aggregate": "values"}, [items])
    assert result["values"] == {"X": [items[0], items[2]], "Y": [items[1]]}
    assert result["groups"] == result["values"]


def test_group_by_keys_use_go_text() -> None:
    items = [{"k": 1e6}, {"k": 2.5}, {"k": None}, {"k": True}, {"other": 1.0}, 7.0, "s", [1.0]]
    result = run(GroupByExecutor, {"field": "k"}, [items])
    assert result["counts"] == {
        "1e+06": 1,
        "2.5": 1,
        "<nil>": 1,
        "true": 1,
        "<missing>": 1,
        "7": 1,
        "s": 1,
        "[1]": 1,
    }


def test_group_by_errors() -> None:
    with fails_with("group_by node requires 'field' string"):
        run(GroupByExecutor, {"field": ""}, [STATUS])
    with fails_with("unknown aggregate function: median"):
        run(GroupByExecutor, {"field": "status", "aggregate": "median"}, [STATUS])
    with fails_with("unknown aggregate function: "):
        run(GroupByExecutor, {"field": "status", "aggregate": ""}, [STATUS])


# --- unique -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "items", "unique"),
    [
        ({}, [1.0, 2.0, 1.0, 3.0, 2.0, 4.0], [1.0, 2.0, 3.0, 4.0]),
        ({}, ["apple", "banana", "apple", "orange"], ["apple", "banana", "orange"]),
        ({}, [1.0, "1", 1, True, "true"], [1.0, True]),
        ({}, [{"a": 1.0}, {"a": 1.0}, [1.0], "[1]"], [{"a": 1.0}, [1.0]]),
        (
            {"field": "id"},
            [{"id": 1.0, "n": "Alice"}, {"id": 2.0, "n": "Bob"}, {"id": 1.0, "n": "Charlie"}],
            [{"id": 1.0, "n": "Alice"}, {"id": 2.0, "n": "Bob"}],
        ),
        ({"field": "id"}, [{"x": 1.0}, {"x": 1.0}, 5.0, "5"], [{"x": 1.0}, {"x": 1.0}, 5.0]),
    ],
)
def test_unique(data: dict[str, Any], items: list[Any], unique: list[Any]) -> None:
    result = run(UniqueExecutor, data, [items])
    assert result == {
        "unique": unique,
        "input_count": len(items),
        "output_count": len(unique),
        "removed": len(items) - len(unique),
    }


def test_unique_same_map_without_field_twice_is_one_element() -> None:
    shared = {"x": 1.0}
    assert run(UniqueExecutor, {"field": "id"}, [[shared, shared]])["unique"] == [shared]


def test_unique_empty_input_is_null() -> None:
    assert run(UniqueExecutor, {}, [[]]) == {
        "unique": None,
        "input_count": 0,
        "output_count": 0,
        "removed": 0,
    }
