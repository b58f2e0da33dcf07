"""Array executors that reshape without expressions: slice, chunk, reverse, flat_map, zip,
sample, range, compact, transpose (ENGINE.md B9.19-9.32).

Array nodes given a non-array ``inputs[0]`` do not fail: they return the
``{"error": "input is not an array", ...}`` map. Where Go builds its result slice with
``append`` on a nil slice, an empty result is ``None`` (JSON null), not ``[]``: flat_map,
chunk, zip, range and compact. Counts are ints; range values are floats.
"""

from __future__ import annotations

import math
from typing import Any

from pytest_wfsnap.engine.gofmt import go_v
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import (
    ArrayExecutor,
    bool_field,
    float_param,
    given,
    number_param,
    positive_count,
    str_field,
    wrap_int64,
)
from pytest_wfsnap.errors import NodeError

RANGE_MAX_ITEMS = 10000


def _clamp_index(index: int, length: int) -> int:
    if index < 0:
        index += length
    return min(max(index, 0), length)


class SliceExecutor(ArrayExecutor):
    """``arr[start:end]`` with negative indices counted from the end, or start + length."""

    node_type = "slice"
    data_struct = "SliceData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        length = len(array)
        start = _clamp_index(number_param(params.get("start")) or 0, length)
        end = number_param(params.get("end"))
        if end is None:
            count = number_param(params.get("length"))
            end = length if count is None else wrap_int64(start + count)
        end = _clamp_index(end, length)
        start = min(start, end)
        sliced = array[start:end]
        return {
            "sliced": sliced,
            "input_count": length,
            "output_count": len(sliced),
            "start": start,
            "end": end,
        }


class ChunkExecutor(ArrayExecutor):
    """Split into chunks of ``size`` (default 10); null when the input is empty."""

    node_type = "chunk"
    data_struct = "ChunkData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        size = positive_count(params, "size", 10, "chunk size")
        chunks = [array[i : i + size] for i in range(0, len(array), size)]
        return {
            "chunks": chunks or None,
            "input_count": len(array),
            "chunk_count": len(chunks),
            "chunk_size": size,
        }


class ReverseExecutor(ArrayExecutor):
    """The elements in reverse order (``[]`` for an empty input)."""

    node_type = "reverse"
    data_struct = "ReverseData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        return {"reversed": array[::-1], "count": len(array)}


class FlatMapExecutor(ArrayExecutor):
    """Splice nested arrays (or ``element[field]`` arrays) into one list."""

    node_type = "flat_map"
    data_struct = "FlatMapData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        field = str_field(params, "field", node)
        flattened: list[Any] = []
        by_field = field not in ("", ".")
        for item in array:
            if by_field:
                if not isinstance(item, dict) or field not in item:
                    continue
                item = item[field]
            if isinstance(item, list):
                flattened.extend(item)
            else:
                flattened.append(item)
        return {
            "flattened": flattened or None,
            "input_count": len(array),
            "output_count": len(flattened),
            "field": field,
        }


class ZipExecutor(Executor):
    """Tuples across ``inputs[0]`` and the array literals of ``arrays``, padded to the longest."""

    node_type = "zip"
    data_struct = "ZipData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        arrays: list[list[Any]] = []
        if inputs and isinstance(inputs[0], list):
            arrays.append(inputs[0])
        configured = params.get("arrays")
        if isinstance(configured, list):
            arrays.extend(item for item in configured if isinstance(item, list))
        if not arrays:
            raise NodeError("zip node requires at least one array")
        fill = params.get("fill_missing")
        max_length = max(len(array) for array in arrays)
        zipped = [
            [array[i] if i < len(array) else fill for array in arrays] for i in range(max_length)
        ]
        return {
            "zipped": zipped or None,
            "array_count": len(arrays),
            "tuple_count": len(zipped),
            "max_length": max_length,
        }


class SampleExecutor(ArrayExecutor):
    """``count`` elements: the first, the last, or a random choice (seeded per node)."""

    node_type = "sample"
    data_struct = "SampleData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        count = positive_count(params, "count", 1, "sample count")
        method = str_field(params, "method", node) if given(node, "method") else "random"
        length = len(array)
        if method == "first":
            sample = array[: min(count, length)]
        elif method == "last":
            sample = array[max(length - count, 0) :]
        elif method == "random":
            if count >= length:
                sample = list(array)
            else:
                # Go's partial Fisher-Yates over the indices, drawing from the node's source.
                rng = rt.random_for(node.id)
                indices = list(range(length))
                for i in range(count):
                    j = i + rng.randrange(length - i)
                    indices[i], indices[j] = indices[j], indices[i]
                sample = [array[indices[i]] for i in range(count)]
        else:
            raise NodeError(
                f"unknown sample method: {method} (must be 'random', 'first', or 'last')"
            )
        return {
            "sample": sample,
            "input_count": length,
            "output_count": len(sample),
            "method": method,
        }


class RangeExecutor(Executor):
    """Numbers from ``start`` to ``end`` (inclusive) by repeated float addition of ``step``."""

    node_type = "range"
    data_struct = "RangeData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        start = float_param(params.get("start"))
        end = float_param(params.get("end"))
        step = float_param(params.get("step"))
        start = 0.0 if start is None else start
        end = 10.0 if end is None else end
        step = 1.0 if step is None else step
        if step == 0:
            raise NodeError("range step cannot be 0")
        if step > 0 and start > end:
            raise NodeError(
                "range with positive step requires start <= end, "
                f"got start={go_v(start)} end={go_v(end)}"
            )
        if step < 0 and start < end:
            raise NodeError(
                "range with negative step requires start >= end, "
                f"got start={go_v(start)} end={go_v(end)}"
            )
        values: list[float] = []
        current = start
        if step > 0:
            while current <= end and len(values) < RANGE_MAX_ITEMS:
                values.append(current)
                current += step
        else:
            while current >= end and len(values) < RANGE_MAX_ITEMS:
                values.append(current)
                current += step
        if len(values) >= RANGE_MAX_ITEMS:
            raise NodeError(
                f"range would generate more than {RANGE_MAX_ITEMS} items, adjust start/end/step"
            )
        return {
            "range": values or None,
            "count": len(values),
            "start": start,
            "end": end,
            "step": step,
        }


class CompactExecutor(ArrayExecutor):
    """Drop nulls and NaN (and "" with ``remove_empty``); null when nothing is kept."""

    node_type = "compact"
    data_struct = "CompactData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        remove_empty = bool_field(params, "remove_empty", node)
        compacted = [
            item
            for item in array
            if not (
                item is None
                or (isinstance(item, float) and math.isnan(item))
                or (remove_empty and item == "" and isinstance(item, str))
            )
        ]
        return {
            "compacted": compacted or None,
            "input_count": len(array),
            "output_count": len(compacted),
            "removed": len(array) - len(compacted),
        }


class TransposeExecutor(ArrayExecutor):
    """Rows become columns; malformed matrices are described in the result, not raised."""

    node_type = "transpose"
    data_struct = "TransposeData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        if not array:
            return {"transposed": [], "rows": 0, "cols": 0}
        first = array[0]
        if not isinstance(first, list):
            return {
                "error": "input is not a 2D array (array of arrays)",
                "first_element": first,
                "expected": "array of arrays",
            }
        rows = len(array)
        cols = len(first)
        for index, row in enumerate(array):
            if not isinstance(row, list):
                return {
                    "error": f"row {index} is not an array",
                    "row_index": index,
                    "row_value": row,
                }
            if len(row) != cols:
                return {
                    "error": "all rows must have the same length",
                    "expected_cols": cols,
                    "row_index": index,
                    "actual_cols": len(row),
                }
        transposed = [[row[col] for row in array] for col in range(cols)]
        return {
            "transposed": transposed,
            "rows": rows,
            "cols": cols,
            "transposed_rows": cols,
            "transposed_cols": rows,
        }


SHAPE_EXECUTORS: list[type[Executor]] = [
    SliceExecutor,
    ChunkExecutor,
    ReverseExecutor,
    FlatMapExecutor,
    ZipExecutor,
    SampleExecutor,
    RangeExecutor,
    CompactExecutor,
    TransposeExecutor,
]

__all__ = [
    "SHAPE_EXECUTORS",
    "ChunkExecutor",
    "CompactExecutor",
    "FlatMapExecutor",
    "RangeExecutor",
    "ReverseExecutor",
    "SampleExecutor",
    "SliceExecutor",
    "TransposeExecutor",
    "ZipExecutor",
]
