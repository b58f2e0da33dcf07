"""Expression-driven array executors: expression, filter, map, reduce, find, partition.

They follow the Go engine exactly (ENGINE.md B7.10, B9.10, B9.15-9.17, B9.21, B9.27): the same
result maps, counts as ints, the same per-element variables (``index`` is a float for filter,
map and reduce but an int for find and partition) and the same error texts. A failing element
never fails the node: filter skips it, map stores null, reduce keeps the accumulator, find moves
on, partition puts it in ``failed``. The exception is an expression on which the Go engine
crashes or hangs (``FatalExpressionError``: an unknown function in a value expression, ``%`` by
a divisor in (0,1), runaway nesting): the node fails with that clear error.

The per-element variables live in one dict that is updated in place for every element (see
:func:`~pytest_wfsnap.engine.nodes.gotypes.item_scope`), so a loop never copies the workflow
variables.

``EXECUTORS`` also lists the shape-only array executors of :mod:`.arrays_shape` and
:mod:`.arrays_group`, so the registry finds every array node type through this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pytest_wfsnap.engine.expr import ExprContext, evaluate, evaluate_expression
from pytest_wfsnap.engine.expr.scope import FatalExpressionError
from pytest_wfsnap.engine.gofmt import go_type
from pytest_wfsnap.engine.nodes.arrays_group import GROUP_EXECUTORS
from pytest_wfsnap.engine.nodes.arrays_shape import SHAPE_EXECUTORS
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import (
    ArrayExecutor,
    bool_field,
    first_input,
    item_scope,
    not_array,
    require_array,
    str_field,
    unwrap_array,
)
from pytest_wfsnap.errors import NodeError

_FAILED: Any = object()
"""What :func:`_per_element` yields for an element whose expression failed."""


def _per_element(
    evaluator: Callable[[str, Any, ExprContext], Any],
    text: str,
    array: list[Any],
    rt: Runtime,
    top: dict[str, Any],
    *,
    float_index: bool,
) -> Iterator[tuple[int, Any, Any]]:
    """Evaluate ``text`` on every element, with ``item`` and ``index`` set in ``top``.

    Yields ``(index, item, outcome)``: the evaluator's result, or :data:`_FAILED` when it
    raised an ordinary NodeError (a :class:`FatalExpressionError` propagates). The caller may
    change ``top`` between elements (reduce's ``accumulator``); ``index`` is a float for
    filter, map and reduce and an int for find and partition, as in Go.
    """
    ctx = item_scope(rt, top)
    for index, item in enumerate(array):
        top["item"] = item
        top["index"] = float(index) if float_index else index
        try:
            outcome = evaluator(text, item, ctx)
        except FatalExpressionError:
            raise
        except NodeError:
            outcome = _FAILED
        yield index, item, outcome


class ExpressionExecutor(Executor):
    """Evaluate a value expression on ``inputs[0]``; fall back to a boolean condition."""

    node_type = "expression"
    data_struct = "ExpressionData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = first_input(inputs, "expression node needs at least 1 input")
        expression = str_field(params, "expression", node)
        if expression == "":
            return {"result": value, "warning": "no expression specified"}
        ctx = item_scope(rt, {"input": value})
        try:
            return evaluate_expression(expression, value, ctx)
        except FatalExpressionError:
            raise
        except NodeError as value_error:
            try:
                return evaluate(expression, value, ctx)
            except FatalExpressionError:
                raise
            except NodeError:
                raise NodeError(f"expression evaluation failed: {value_error}") from None


class FilterExecutor(Executor):
    """Keep the elements for which the condition holds (``item``, float ``index``)."""

    node_type = "filter"
    data_struct = "FilterData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        condition = str_field(params, "condition", node)
        if condition == "":
            raise NodeError("filter node missing condition expression")
        value = first_input(inputs, "filter node needs at least 1 input")
        array = unwrap_array(value)
        if array is None:
            return {
                "input": value,
                "filtered": value,
                "is_array": False,
                "warning": "input is not an array, passed through unchanged",
                "original_type": go_type(value),
            }
        top: dict[str, Any] = {"item": None, "index": 0.0}
        filtered: list[Any] = []
        skipped = 0
        errors = 0
        for _, item, met in _per_element(evaluate, condition, array, rt, top, float_index=True):
            if met is _FAILED:
                errors += 1
                skipped += 1
            elif met:
                filtered.append(item)
            else:
                skipped += 1
        return {
            "filtered": filtered,
            "input_count": len(array),
            "output_count": len(filtered),
            "skipped_count": skipped,
            "error_count": errors,
            "condition": condition,
            "is_array": True,
        }


class MapExecutor(Executor):
    """Transform every element by ``field`` extraction or by a value ``expression``."""

    node_type = "map"
    data_struct = "MapData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = require_array(inputs, "map")
        expression = str_field(params, "expression", node)
        field = str_field(params, "field", node)
        count = len(value)
        if expression == "" and field == "":
            return {
                "results": list(value),
                "input_count": count,
                "output_count": count,
                "warning": "no transformation specified",
            }
        results: list[Any] = []
        successful = 0
        if field != "":
            for item in value:
                if isinstance(item, dict) and field in item:
                    results.append(item[field])
                    successful += 1
                else:
                    results.append(None)
        else:
            top: dict[str, Any] = {"item": None, "index": 0.0, "items": value}
            outcomes = _per_element(
                evaluate_expression, expression, value, rt, top, float_index=True
            )
            for _, _, outcome in outcomes:
                if outcome is _FAILED:
                    results.append(None)
                else:
                    results.append(outcome)
                    successful += 1
        return {
            "results": results,
            "input_count": count,
            "output_count": len(results),
            "successful": successful,
            "failed": count - successful,
        }


class ReduceExecutor(Executor):
    """Fold the array with a value expression over ``accumulator`` and ``item``."""

    node_type = "reduce"
    data_struct = "ReduceData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = require_array(inputs, "reduce")
        initial = params.get("initial_value")
        accumulator: Any = 0.0 if initial is None else initial
        expression = str_field(params, "expression", node)
        if expression == "":
            raise NodeError("reduce node requires an expression")
        top: dict[str, Any] = {
            "accumulator": accumulator,
            "item": None,
            "index": 0.0,
            "items": value,
        }
        successful = 0
        failed = 0
        outcomes = _per_element(evaluate_expression, expression, value, rt, top, float_index=True)
        for _, _, outcome in outcomes:
            if outcome is _FAILED:
                failed += 1
            else:
                accumulator = outcome
                successful += 1
            top["accumulator"] = accumulator  # what the next element's expression sees
        return {
            "result": accumulator,
            "initial_value": initial,
            "final_value": accumulator,
            "input_count": len(value),
            "iterations": successful + failed,
            "successful": successful,
            "failed": failed,
        }


class FindExecutor(ArrayExecutor):
    """The first element for which the condition holds (``item``, int ``index``, ``items``)."""

    node_type = "find"
    data_struct = "FindData"

    def run_array(
        self, array: list[Any], params: dict[str, Any], rt: Runtime, node: NodeSpec
    ) -> Any:
        condition = str_field(params, "condition", node)
        if condition == "":
            raise NodeError("find node missing required 'condition' string")
        return_index = bool_field(params, "return_index", node)
        top: dict[str, Any] = {"item": None, "index": 0, "items": array}
        for index, item, met in _per_element(
            evaluate, condition, array, rt, top, float_index=False
        ):
            if met is not _FAILED and met:
                found: dict[str, Any] = {"found": item, "condition": condition}
                if return_index:
                    found["index"] = index
                return found
        return {"found": None, "not_found": True, "condition": condition, "input_count": len(array)}


class PartitionExecutor(Executor):
    """Split the array into ``passed`` and ``failed`` (null when a side is empty)."""

    node_type = "partition"
    data_struct = "PartitionData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = first_input(inputs, "partition node needs at least 1 input")
        array = unwrap_array(value)
        if array is None:
            return not_array(value)
        condition = str_field(params, "condition", node)
        if condition == "":
            raise NodeError("partition node missing required 'condition' string")
        top: dict[str, Any] = {"item": None, "index": 0, "items": array}
        passed: list[Any] = []
        failed: list[Any] = []
        for _, item, met in _per_element(evaluate, condition, array, rt, top, float_index=False):
            (passed if met is not _FAILED and met else failed).append(item)
        return {
            "passed": passed or None,
            "failed": failed or None,
            "passed_count": len(passed),
            "failed_count": len(failed),
            "input_count": len(array),
            "condition": condition,
        }


EXPR_EXECUTORS: list[type[Executor]] = [
    ExpressionExecutor,
    FilterExecutor,
    MapExecutor,
    ReduceExecutor,
    FindExecutor,
    PartitionExecutor,
]

EXECUTORS: list[type[Executor]] = [*EXPR_EXECUTORS, *SHAPE_EXECUTORS, *GROUP_EXECUTORS]

__all__ = [
    "EXECUTORS",
    "ExpressionExecutor",
    "FilterExecutor",
    "FindExecutor",
    "MapExecutor",
    "PartitionExecutor",
    "ReduceExecutor",
]
