"""Array executors that compare or key elements: sort, group_by, unique (ENGINE.md B9.20,
B9.23, B9.24).

Sorting reproduces Go's ``sort.SliceStable`` step for step (insertion sort of blocks of 20,
then SymMerge), driven by the engine's comparator. That matters because the comparator is not
always a strict weak order: mixed types compare by their ``%v`` text, and ``desc`` uses
``!less(a, b)``, under which equal elements count as "less" both ways. Running Go's own
algorithm gives the exact Go order in these cases too (for ``desc``, equal elements end up in
reverse input order), instead of whatever another stable sort would produce.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytest_wfsnap.engine.gofmt import go_v
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import ArrayExecutor, given, str_field
from pytest_wfsnap.errors import NodeError

Less = Callable[[int, int], bool]

# --- Go sort.SliceStable ----------------------------------------------------------------------


def _insertion_sort(data: list[int], a: int, b: int, less: Less) -> None:
    for i in range(a + 1, b):
        j = i
        while j > a and less(data[j], data[j - 1]):
            data[j], data[j - 1] = data[j - 1], data[j]
            j -= 1


def _sym_merge(data: list[int], a: int, m: int, b: int, less: Less) -> None:
    if m - a == 1:
        i, j = m, b
        while i < j:
            h = (i + j) >> 1
            if less(data[h], data[a]):
                i = h + 1
            else:
                j = h
        moved = data[a]  # data[a] travels to i - 1; the others shift left by one
        data[a : i - 1] = data[a + 1 : i]
        data[i - 1] = moved
        return
    if b - m == 1:
        i, j = a, m
        while i < j:
            h = (i + j) >> 1
            if not less(data[m], data[h]):
                i = h + 1
            else:
                j = h
        moved = data[m]  # data[m] travels to i; the others shift right by one
        data[i + 1 : m + 1] = data[i:m]
        data[i] = moved
        return
    mid = (a + b) >> 1
    n = mid + m
    if m > mid:
        start, r = n - b, mid
    else:
        start, r = a, m
    p = n - 1
    while start < r:
        c = (start + r) >> 1
        if not less(data[p - c], data[c]):
            start = c + 1
        else:
            r = c
    end = n - start
    if start < m < end:
        data[start:end] = data[m:end] + data[start:m]  # Go's block-swap rotate
    if a < start < mid:
        _sym_merge(data, a, start, mid, less)
    if mid < end < b:
        _sym_merge(data, mid, end, b, less)


def go_stable_sort(data: list[int], less: Less) -> None:
    """Go's ``sort.Stable`` algorithm, in place, with a ``less`` over the list's items."""
    n = len(data)
    block = 20
    a, b = 0, block
    while b <= n:
        _insertion_sort(data, a, b, less)
        a, b = b, b + block
    _insertion_sort(data, a, n, less)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            _sym_merge(data, a, a + block, b, less)
            a, b = b, b + 2 * block
        m = a + block
        if m < n:
            _sym_merge(data, a, m, n, less)
        block *= 2


def typed_less(a: Any, b: Any) -> bool | None:
    """The engine's ``compareValuesHelper`` up to its last rule: nil first, then same-type
    comparison (float64, int, string, bool). None means "compare the ``%v`` texts"."""
    if a is None:
        return b is not None
    if b is None:
        return False
    kind = type(a)
    if kind is type(b):
        if kind is float or kind is int or kind is str:
            return bool(a < b)
        if kind is bool:
            return not a and bool(b)
    return None


class SortExecutor(ArrayExecutor):
    """Stable sort of a copy, by the element or by ``element[field]``; asc unless "desc"."""

    node_type = "sort"
    data_struct = "SortData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        field = str_field(params, "field", node)
        order = str_field(params, "order", node).lower() if given(node, "order") else "asc"
        if field:
            keys = [item.get(field) if isinstance(item, dict) else None for item in array]
        else:
            keys = list(array)
        texts: dict[int, str] = {}

        def text_of(index: int) -> str:
            cached = texts.get(index)
            if cached is None:
                cached = texts[index] = go_v(keys[index])
            return cached

        def less(i: int, j: int) -> bool:
            result = typed_less(keys[i], keys[j])
            if result is None:
                return text_of(i) < text_of(j)
            return result

        def less_desc(i: int, j: int) -> bool:
            return not less(i, j)

        positions = list(range(len(array)))
        go_stable_sort(positions, less_desc if order == "desc" else less)
        return {
            "sorted": [array[i] for i in positions],
            "count": len(positions),
            "field": field,
            "order": order,
        }


# --- group_by ----------------------------------------------------------------------------------

_AGGREGATE_KEYS = {
    "count": "counts",
    "sum": "sums",
    "avg": "averages",
    "min": "minimums",
    "max": "maximums",
    "values": "values",
}


def _numbers(items: list[Any], value_field: str) -> list[float]:
    """``element[value_field]`` of the map elements whose value is a float64 or int."""
    numbers: list[float] = []
    for item in items:
        if isinstance(item, dict) and value_field in item:
            number = item[value_field]
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                numbers.append(float(number))
    return numbers


def _aggregate(aggregate: str, items: list[Any], value_field: str) -> Any:
    if aggregate == "count":
        return len(items)
    if aggregate == "values":
        return list(items)
    numbers = _numbers(items, value_field)
    if aggregate == "sum":
        total = 0.0
        for number in numbers:
            total += number
        return total
    if aggregate == "avg":
        if not numbers:
            return 0.0
        total = 0.0
        for number in numbers:
            total += number
        return total / len(numbers)
    if not numbers:
        return None
    best = numbers[0]
    for number in numbers[1:]:
        if (number < best) if aggregate == "min" else (number > best):
            best = number
    return best


class GroupByExecutor(ArrayExecutor):
    """Group by ``%v(element[field])`` and aggregate each group."""

    node_type = "group_by"
    data_struct = "GroupByData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        field = str_field(params, "field", node)
        if field == "":
            raise NodeError("group_by node requires 'field' string")
        aggregate = str_field(params, "aggregate", node) if given(node, "aggregate") else "count"
        value_field = str_field(params, "value_field", node)
        groups: dict[str, list[Any]] = {}
        for item in array:
            if isinstance(item, dict):
                key = go_v(item[field]) if field in item else "<missing>"
            else:
                key = go_v(item)
            groups.setdefault(key, []).append(item)
        result_key = _AGGREGATE_KEYS.get(aggregate)
        if result_key is None:
            raise NodeError(f"unknown aggregate function: {aggregate}")
        aggregated = {
            key: _aggregate(aggregate, items, value_field) for key, items in groups.items()
        }
        return {
            "groups": groups,
            "group_count": len(groups),
            "input_count": len(array),
            "field": field,
            "aggregate": aggregate,
            result_key: aggregated,
        }


# --- unique ------------------------------------------------------------------------------------


class UniqueExecutor(ArrayExecutor):
    """First occurrence of each ``%v`` key (of the element or of ``element[field]``)."""

    node_type = "unique"
    data_struct = "UniqueData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        field = str_field(params, "field", node)
        seen: set[str] = set()
        seen_maps: set[int] = set()  # Go keys a map without the field by its pointer
        unique: list[Any] = []
        for item in array:
            if field and isinstance(item, dict) and field not in item:
                identity = id(item)
                if identity not in seen_maps:
                    seen_maps.add(identity)
                    unique.append(item)
                continue
            key = go_v(item[field]) if field and isinstance(item, dict) else go_v(item)
            if key not in seen:
                seen.add(key)
                unique.append(item)
        return {
            "unique": unique or None,
            "input_count": len(array),
            "output_count": len(unique),
            "removed": len(array) - len(unique),
        }


GROUP_EXECUTORS: list[type[Executor]] = [SortExecutor, GroupByExecutor, UniqueExecutor]

__all__ = [
    "GROUP_EXECUTORS",
    "GroupByExecutor",
    "SortExecutor",
    "UniqueExecutor",
    "go_stable_sort",
    "typed_less",
]
