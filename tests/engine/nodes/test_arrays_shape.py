"""Array executors without expressions: slice, chunk, reverse, flat_map, zip, sample, range,
compact, transpose."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pytest_wfsnap.engine.nodes.arrays_shape import (
    ChunkExecutor,
    CompactExecutor,
    FlatMapExecutor,
    RangeExecutor,
    ReverseExecutor,
    SampleExecutor,
    SliceExecutor,
    TransposeExecutor,
    ZipExecutor,
)
from pytest_wfsnap.engine.nodes.base import Executor
from tests.engine.nodes.fakes_family2 import FakeRuntime, fails_with, run

FIVE = [1.0, 2.0, 3.0, 4.0, 5.0]
ARRAY_NODES: list[tuple[type[Executor], dict[str, Any]]] = [
    (SliceExecutor, {}),
    (ChunkExecutor, {"size": 2.0}),
    (ReverseExecutor, {}),
    (FlatMapExecutor, {}),
    (SampleExecutor, {"count": 1.0}),
    (CompactExecutor, {}),
    (TransposeExecutor, {}),
]


@pytest.mark.parametrize(("executor", "data"), ARRAY_NODES)
@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        ("not an array", "string"),
        ({"range": [1.0]}, "map[string]interface {}"),
        (None, "<nil>"),
        (2.5, "float64"),
        (3, "int"),
        (True, "bool"),
    ],
)
def test_non_array_input_is_described_not_raised(
    executor: type[Executor], data: dict[str, Any], value: Any, type_name: str
) -> None:
    assert run(executor, data, [value]) == {
        "error": "input is not an array",
        "input": value,
        "original_type": type_name,
    }


@pytest.mark.parametrize(("executor", "data"), ARRAY_NODES)
def test_array_nodes_need_an_input(executor: type[Executor], data: dict[str, Any]) -> None:
    with fails_with(f"{executor.node_type} node needs at least 1 input"):
        run(executor, data, [])


@pytest.mark.parametrize(("executor", "_data"), ARRAY_NODES)
def test_missing_data(executor: type[Executor], _data: dict[str, Any]) -> None:
    with fails_with(f"expected {executor.data_struct}, got <nil>"):
        run(executor, None, [[1.0]])


# --- slice ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "sliced", "start", "end"),
    [
        ({"start": 0.0, "end": 3.0}, [1.0, 2.0, 3.0], 0, 3),
        ({"start": 1.0, "length": 2.0}, [2.0, 3.0], 1, 3),
        ({"start": -2.0}, [4.0, 5.0], 3, 5),
        ({"start": 0.0, "end": -1.0}, [1.0, 2.0, 3.0, 4.0], 0, 4),
        ({}, FIVE, 0, 5),
        ({"start": 1.9, "end": 3.7}, [2.0, 3.0], 1, 3),
        ({"start": -1.5}, [5.0], 4, 5),
        ({"start": -99.0, "end": 99.0}, FIVE, 0, 5),
        ({"start": 4.0, "end": 2.0}, [], 2, 2),
        ({"start": 2.0, "end": 4.0, "length": 1.0}, [3.0, 4.0], 2, 4),
        ({"start": -3.0, "length": 10.0}, [3.0, 4.0, 5.0], 2, 5),
        ({"start": "2", "end": True}, FIVE, 0, 5),
        ({"start": 2, "end": 3}, [3.0], 2, 3),
        ({"length": 1e300}, [], 0, 0),
    ],
)
def test_slice(data: dict[str, Any], sliced: list[float], start: int, end: int) -> None:
    result = run(SliceExecutor, data, [FIVE])
    assert result == {
        "sliced": sliced,
        "input_count": 5,
        "output_count": len(sliced),
        "start": start,
        "end": end,
    }
    assert type(result["start"]) is int and type(result["end"]) is int


def test_slice_empty_array() -> None:
    assert run(SliceExecutor, {"start": 0.0, "end": 3.0}, [[]]) == {
        "sliced": [],
        "input_count": 0,
        "output_count": 0,
        "start": 0,
        "end": 0,
    }


# --- chunk ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "chunks", "chunk_size"),
    [
        (2.0, [[1.0, 2.0], [3.0, 4.0], [5.0]], 2),
        (3.0, [[1.0, 2.0, 3.0], [4.0, 5.0]], 3),
        (10.0, [FIVE], 10),
        (2.9, [[1.0, 2.0], [3.0, 4.0], [5.0]], 2),
        (None, [FIVE], 10),
        ("3", [FIVE], 10),
        (4, [[1.0, 2.0, 3.0, 4.0], [5.0]], 4),
    ],
)
def test_chunk(size: Any, chunks: list[list[float]], chunk_size: int) -> None:
    result = run(ChunkExecutor, {"size": size}, [FIVE])
    assert result == {
        "chunks": chunks,
        "input_count": 5,
        "chunk_count": len(chunks),
        "chunk_size": chunk_size,
    }
    assert type(result["chunk_size"]) is int


def test_chunk_empty_input_gives_null() -> None:
    assert run(ChunkExecutor, {"size": 2.0}, [[]]) == {
        "chunks": None,
        "input_count": 0,
        "chunk_count": 0,
        "chunk_size": 2,
    }


@pytest.mark.parametrize(("size", "shown"), [(0.0, "0"), (-1.0, "-1"), (0.5, "0"), (-2.7, "-2")])
def test_chunk_size_must_be_positive(size: float, shown: str) -> None:
    with fails_with(f"chunk size must be greater than 0, got {shown}"):
        run(ChunkExecutor, {"size": size}, [FIVE])


def test_chunk_overflowing_size_behaves_like_go_int_conversion() -> None:
    with fails_with("chunk size must be greater than 0, got -9223372036854775808"):
        run(ChunkExecutor, {"size": 1e300}, [FIVE])


# --- reverse ----------------------------------------------------------------------------------


def test_reverse() -> None:
    assert run(ReverseExecutor, {}, [FIVE]) == {"reversed": FIVE[::-1], "count": 5}
    assert run(ReverseExecutor, {}, [["first", "second"]]) == {
        "reversed": ["second", "first"],
        "count": 2,
    }
    empty = run(ReverseExecutor, {}, [[]])
    assert empty == {"reversed": [], "count": 0}
    assert empty["reversed"] is not None


def test_reverse_returns_a_new_list() -> None:
    original = [1.0, 2.0]
    result = run(ReverseExecutor, {}, [original])
    result["reversed"].append(9.0)
    assert original == [1.0, 2.0]


# --- flat_map ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "items", "flattened"),
    [
        ({}, [[1.0, 2.0], [3.0, 4.0], [5.0]], FIVE),
        ({"field": "."}, [[1.0], 2.0, [[3.0]]], [1.0, 2.0, [3.0]]),
        ({"field": "items"}, [{"items": [1.0, 2.0]}, {"items": [3.0, 4.0, 5.0]}], FIVE),
        ({"field": "v"}, [{"v": 1.0}, {"w": 2.0}, "text", {"v": [2.0, 3.0]}], [1.0, 2.0, 3.0]),
        ({"field": "v", "expression": "ignored"}, [{"v": None}], [None]),
    ],
)
def test_flat_map(data: dict[str, Any], items: list[Any], flattened: list[Any]) -> None:
    assert run(FlatMapExecutor, data, [items]) == {
        "flattened": flattened,
        "input_count": len(items),
        "output_count": len(flattened),
        "field": data.get("field", ""),
    }


@pytest.mark.parametrize(
    ("data", "items"),
    [({}, []), ({}, [[], []]), ({"field": "x"}, [{"y": 1.0}, 3.0])],
)
def test_flat_map_nothing_produced_is_null(data: dict[str, Any], items: list[Any]) -> None:
    result = run(FlatMapExecutor, data, [items])
    assert result["flattened"] is None
    assert result["output_count"] == 0


# --- zip --------------------------------------------------------------------------------------


def test_zip_input_alone() -> None:
    assert run(ZipExecutor, {}, [[1.0, 2.0, 3.0]]) == {
        "zipped": [[1.0], [2.0], [3.0]],
        "array_count": 1,
        "tuple_count": 3,
        "max_length": 3,
    }


def test_zip_with_configured_arrays_and_fill() -> None:
    result = run(ZipExecutor, {"arrays": [["a", "b"]], "fill_missing": "x"}, [[1.0, 2.0, 3.0]])
    assert result == {
        "zipped": [[1.0, "a"], [2.0, "b"], [3.0, "x"]],
        "array_count": 2,
        "tuple_count": 3,
        "max_length": 3,
    }


def test_zip_pads_with_null_and_ignores_non_array_entries() -> None:
    result = run(ZipExecutor, {"arrays": [["a"], "node.ref", 5.0, [True, False]]}, [[1.0, 2.0]])
    assert result["zipped"] == [[1.0, "a", True], [2.0, None, False]]
    assert result["array_count"] == 3


def test_zip_non_array_input_is_ignored() -> None:
    result = run(ZipExecutor, {"arrays": [["a"]]}, ["text"])
    assert result["zipped"] == [["a"]]
    assert result["array_count"] == 1
    assert run(ZipExecutor, {"arrays": [["a"]]}, [])["zipped"] == [["a"]]


def test_zip_empty_arrays_give_null() -> None:
    assert run(ZipExecutor, {}, [[]]) == {
        "zipped": None,
        "array_count": 1,
        "tuple_count": 0,
        "max_length": 0,
    }


@pytest.mark.parametrize(
    ("data", "inputs"),
    [({}, []), ({}, ["x"]), ({"arrays": "x"}, [{"a": 1.0}]), ({"arrays": [1.0]}, [None])],
)
def test_zip_needs_an_array(data: dict[str, Any], inputs: list[Any]) -> None:
    with fails_with("zip node requires at least one array"):
        run(ZipExecutor, data, inputs)


# --- sample -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "sample"),
    [
        ({"count": 2.0, "method": "first"}, [1.0, 2.0]),
        ({"count": 3.0, "method": "last"}, [3.0, 4.0, 5.0]),
        ({"count": 10.0, "method": "first"}, FIVE),
        ({"count": 10.0, "method": "last"}, FIVE),
        ({"count": 5.0, "method": "random"}, FIVE),
        ({"count": 9.0}, FIVE),
        ({"count": 2.8, "method": "first"}, [1.0, 2.0]),
    ],
)
def test_sample_deterministic_methods(data: dict[str, Any], sample: list[float]) -> None:
    result = run(SampleExecutor, data, [FIVE])
    assert result == {
        "sample": sample,
        "input_count": 5,
        "output_count": len(sample),
        "method": data.get("method", "random"),
    }


def test_sample_random_is_seeded_per_node() -> None:
    items = [float(i) for i in range(50)]

    def draw(seed: int, node_id: str) -> list[Any]:
        rt = FakeRuntime(seed=seed)
        return list(run(SampleExecutor, {"count": 5.0}, [items], rt, node_id)["sample"])

    first = draw(1, "s")
    assert first == draw(1, "s")
    assert len(first) == 5
    assert len(set(first)) == 5
    assert set(first) <= set(items)
    assert any(draw(seed, "s") != first for seed in range(2, 6))


def test_sample_random_matches_a_partial_fisher_yates_of_the_node_source() -> None:
    items = ["a", "b", "c", "d", "e", "f"]
    rt = FakeRuntime(seed=3)
    result = run(SampleExecutor, {"count": 3.0, "method": "random"}, [items], rt, "pick")
    rng = FakeRuntime(seed=3).random_for("pick")
    indices = list(range(6))
    for i in range(3):
        j = i + rng.randrange(6 - i)
        indices[i], indices[j] = indices[j], indices[i]
    assert result["sample"] == [items[i] for i in indices[:3]]


@pytest.mark.parametrize(("count", "shown"), [(0.0, "0"), (-3.0, "-3"), (0.9, "0")])
def test_sample_count_must_be_positive(count: float, shown: str) -> None:
    with fails_with(f"sample count must be greater than 0, got {shown}"):
        run(SampleExecutor, {"count": count}, [FIVE])


@pytest.mark.parametrize("method", ["middle", "", "FIRST"])
def test_sample_unknown_method(method: str) -> None:
    with fails_with(f"unknown sample method: {method} (must be 'random', 'first', or 'last')"):
        run(SampleExecutor, {"count": 1.0, "method": method}, [FIVE])


def test_sample_default_count_is_one() -> None:
    assert run(SampleExecutor, {"count": "x", "method": "first"}, [FIVE])["sample"] == [1.0]


# --- range ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "values"),
    [
        ({"start": 0.0, "end": 10.0, "step": 1.0}, [float(i) for i in range(11)]),
        ({"start": 0.0, "end": 10.0, "step": 2.0}, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]),
        ({"start": 10.0, "end": 0.0, "step": -1.0}, [float(i) for i in range(10, -1, -1)]),
        ({"start": 5.0, "end": 5.0, "step": 1.0}, [5.0]),
        ({"start": 1.0, "end": 10.0}, [float(i) for i in range(1, 11)]),
        ({}, [float(i) for i in range(11)]),
        ({"start": "3", "end": None, "step": "2"}, [float(i) for i in range(11)]),
        ({"start": 0.0, "end": 0.35, "step": 0.1}, [0.0, 0.1, 0.2, 0.30000000000000004]),
        ({"start": 0, "end": 2, "step": 1}, [0.0, 1.0, 2.0]),
    ],
)
def test_range(data: dict[str, Any], values: list[float]) -> None:
    result = run(RangeExecutor, data, [])
    assert result["range"] == values
    assert all(type(v) is float for v in result["range"])
    assert result["count"] == len(values)
    assert type(result["count"]) is int
    assert all(type(result[k]) is float for k in ("start", "end", "step"))


def test_range_result_shape() -> None:
    assert run(RangeExecutor, {"start": 1.0, "end": 3.0}, []) == {
        "range": [1.0, 2.0, 3.0],
        "count": 3,
        "start": 1.0,
        "end": 3.0,
        "step": 1.0,
    }


def test_range_errors() -> None:
    with fails_with("range step cannot be 0"):
        run(RangeExecutor, {"start": 0.0, "end": 10.0, "step": 0.0}, [])
    with fails_with("range with positive step requires start <= end, got start=10 end=0"):
        run(RangeExecutor, {"start": 10.0, "end": 0.0, "step": 1.0}, [])
    with fails_with("range with negative step requires start >= end, got start=0.5 end=1e+06"):
        run(RangeExecutor, {"start": 0.5, "end": 1e6, "step": -1.0}, [])


def test_range_item_limit() -> None:
    assert run(RangeExecutor, {"start": 1.0, "end": 9999.0}, [])["count"] == 9999
    with fails_with("range would generate more than 10000 items, adjust start/end/step"):
        run(RangeExecutor, {"start": 0.0, "end": 9999.0}, [])
    with fails_with("range would generate more than 10000 items, adjust start/end/step"):
        run(RangeExecutor, {"start": 0.0, "end": 1e300, "step": 1e-300}, [])


def test_range_with_nothing_produced_is_null() -> None:
    result = run(RangeExecutor, {"start": math.nan, "end": 3.0}, [])
    assert result["range"] is None
    assert result["count"] == 0


# --- compact ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "items", "compacted"),
    [
        ({}, [1.0, None, 3.0, None, 5.0], [1.0, 3.0, 5.0]),
        ({"remove_empty": True}, ["hello", "", "world", ""], ["hello", "world"]),
        ({"remove_empty": False}, ["hello", "", "world"], ["hello", "", "world"]),
        ({}, [math.nan, 0.0, False, [], {}], [0.0, False, [], {}]),
        ({"remove_empty": True}, [0, "", " ", None], [0, " "]),
    ],
)
def test_compact(data: dict[str, Any], items: list[Any], compacted: list[Any]) -> None:
    result = run(CompactExecutor, data, [items])
    assert result == {
        "compacted": compacted,
        "input_count": len(items),
        "output_count": len(compacted),
        "removed": len(items) - len(compacted),
    }


def test_compact_nothing_kept_is_null() -> None:
    assert run(CompactExecutor, {"remove_empty": True}, [[None, "", math.nan]]) == {
        "compacted": None,
        "input_count": 3,
        "output_count": 0,
        "removed": 3,
    }
    assert run(CompactExecutor, {}, [[]])["compacted"] is None


# --- transpose --------------------------------------------------------------------------------


def test_transpose() -> None:
    assert run(TransposeExecutor, {}, [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]) == {
        "transposed": [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]],
        "rows": 2,
        "cols": 3,
        "transposed_rows": 3,
        "transposed_cols": 2,
    }


def test_transpose_degenerate_shapes() -> None:
    assert run(TransposeExecutor, {}, [[]]) == {"transposed": [], "rows": 0, "cols": 0}
    assert run(TransposeExecutor, {}, [[[], []]]) == {
        "transposed": [],
        "rows": 2,
        "cols": 0,
        "transposed_rows": 0,
        "transposed_cols": 2,
    }


def test_transpose_problems_are_results() -> None:
    assert run(TransposeExecutor, {}, [[1.0, 2.0]]) == {
        "error": "input is not a 2D array (array of arrays)",
        "first_element": 1.0,
        "expected": "array of arrays",
    }
    assert run(TransposeExecutor, {}, [[[1.0, 2.0], [3.0]]]) == {
        "error": "all rows must have the same length",
        "expected_cols": 2,
        "row_index": 1,
        "actual_cols": 1,
    }
    assert run(TransposeExecutor, {}, [[[1.0], "row"]]) == {
        "error": "row 1 is not an array",
        "row_index": 1,
        "row_value": "row",
    }
