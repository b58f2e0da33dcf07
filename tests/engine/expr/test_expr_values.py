"""Value expressions (ENGINE.md B7.3) and the value functions (B7.9)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pytest_wfsnap.engine.expr import (
    ExprContext,
    FatalExpressionError,
    evaluate,
    evaluate_expression,
)
from pytest_wfsnap.errors import ExpressionError

CTX = ExprContext(
    node_results={"n": {"value": 4.0}},
    variables={
        "a": 2.0,
        "nums": [3.0, 1.0, 2.0],
        "mixed": [3.0, "10", "b", True, None, 2],
        "words": ["pear", "apple", "fig"],
        "acc": 10.0,
        "empty": [],
    },
    context={"rate": 0.5},
)


def ev(expr: str, input_value: Any = None, ctx: ExprContext | None = CTX) -> Any:
    return evaluate_expression(expr, input_value, ctx)


@pytest.mark.parametrize(
    ("expr", "input_value", "want"),
    [
        ("input > 100 ? 'high' : 'low'", 150.0, "high"),
        ("input > 100 ? 'high' : input > 10 ? 'mid' : 'low'", 50.0, "mid"),
        ("true ? 1 + 1 : 0", None, 2.0),
        ("unknown ? 1 : 2", None, 2.0),  # an unresolvable condition is false, not an error
        ("'a?b' : 'c'", None, "c"),  # '?' inside quotes still starts a ternary
        ("item.price * item.qty", {"price": 2.5, "qty": 4.0}, 10.0),
        ("acc + item", 5.0, 15.0),  # bare identifiers resolve inside arithmetic
        ("node.n.value / 2", None, 2.0),
        ("context.rate * 4", None, 2.0),
        ("item", {"k": "v"}, {"k": "v"}),
        ("variables.nums", None, [3.0, 1.0, 2.0]),
        ("'quoted'", None, "quoted"),
        ('"double"', None, "double"),
        ("null", None, None),
        ("true", None, True),
        ("1e3", None, 1000.0),
        ("2024-01-15", None, 2008.0),  # unquoted dates are arithmetic
        ("", 7.0, 7.0),  # an empty field path is the input itself
    ],
)
def test_value_expressions(expr: str, input_value: Any, want: Any) -> None:
    got = ev(expr, input_value)
    assert got == want and type(got) is type(want)


def test_arithmetic_results_are_floats() -> None:
    assert type(ev("1 + 1")) is float
    assert type(ev("item.n * 1", {"n": 3})) is float


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("acc", "could not evaluate expression: acc"),
        ("variables.missing", "could not evaluate expression: variables.missing"),
        ("!contains(a) ? 1 : 2", "ternary condition evaluation failed: contains() requires"),
    ],
)
def test_value_expression_errors(expr: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        ev(expr)
    assert str(info.value).startswith(message)


def test_map_keeps_the_outer_item_for_arithmetic() -> None:
    # Go quirk: map() does not rebind item/input in the variables, so arithmetic inside the
    # item expression sees the outer input, while field paths see the element.
    users = {"users": [{"age": 30.0}, {"age": 25.0}]}
    assert ev("map(item.users, item.age)", users) == [30.0, 25.0]
    assert ev("map(variables.nums, item * 2)", 10.0) == [20.0, 20.0, 20.0]


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("avg(variables.nums)", 2.0),
        ("avg(1, 2, 4)", 7 / 3),
        ("avg(5)", 5.0),
        ("sum(variables.nums)", 6.0),
        ("sum(variables.empty)", 0.0),
        ("sum(1, '2', 3)", 6.0),
        ("min(variables.nums)", 1.0),
        ("max(3, 9, 4)", 9.0),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0),
        ("round(variables.nums)", [3.0, 1.0, 2.0]),
        ("floor(-1.5)", -2.0),
        ("ceil(1.2)", 2.0),
        ("abs(-3)", 3.0),
        ("sort(variables.nums)", [1.0, 2.0, 3.0]),
        ("sort(variables.words)", ["apple", "fig", "pear"]),
        ("reverse(variables.words)", ["fig", "apple", "pear"]),
        ("unique(variables.nums)", [3.0, 1.0, 2.0]),
        ("flatten(item)", [1.0, 2.0, 3.0, 4.0]),
        ("slice(variables.nums, 1)", [1.0, 2.0]),
        ("slice(variables.nums, -1)", [2.0]),
        ("slice(variables.nums, 0, -1)", [3.0, 1.0]),
        ("slice(variables.nums, 5)", []),
        ("slice(variables.nums, 2, 1)", []),
        ("slice(variables.nums, -10, 10)", [3.0, 1.0, 2.0]),
        ("sample(variables.nums, 0)", []),
        ("sample(variables.nums, 1)", [3.0]),
        ("sample(variables.words, 3)", ["pear", "fig", "apple"]),
        ("zip(variables.nums, variables.words)", [[3.0, "pear"], [1.0, "apple"], [2.0, "fig"]]),
        ("zip(variables.empty, slice(variables.nums, 1))", [[None, 1.0], [None, 2.0]]),
        ("map(variables.empty, item)", []),
    ],
)
def test_value_functions(expr: str, want: Any) -> None:
    nested = [[1.0, [2.0, [3.0]]], 4.0]
    got = ev(expr, nested if expr.startswith("flatten") else None)
    if isinstance(want, float):
        assert math.isclose(got, want)
    else:
        assert got == want


def test_unique_uses_go_v_keys() -> None:
    ctx = ExprContext(variables={"v": [1.0, "1", 1, {"b": 1.0}, {"b": 1}, None, "<nil>"]})
    assert ev("unique(variables.v)", None, ctx) == [1.0, {"b": 1.0}, None]


def test_sort_of_mixed_values_replays_the_exchange_sort() -> None:
    # numeric strings compare as numbers, other mixes by %v text; the exchange sort is not
    # stable, which a plain sorted() would not reproduce.
    assert ev("sort(variables.mixed)") == [2, 3.0, "10", None, "b", True]
    ctx = ExprContext(variables={"v": ["2", 2.0, 1.0]})
    assert ev("sort(variables.v)", None, ctx) == [1.0, 2.0, "2"]


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("map(variables.nums)", "map() requires exactly 2 arguments"),
        ("map(variables.a, item)", "map() first argument must be an array, got float64"),
        ("map(variables.nope, item)", "map() first argument evaluation failed: could not"),
        ("map(variables.words, item * 2)", "map() item expression failed: could not"),
        ("avg()", "avg() requires at least 1 argument"),
        ("avg(variables.empty)", "avg() on empty array"),
        ("avg(variables.words)", "avg() encountered non-numeric element: string"),
        ("avg('x')", "avg() requires numeric values, got string"),
        ("sum(1, 'x')", "sum() requires numeric values, got string"),
        ("round(1, 2)", "round() requires exactly 1 argument, got 2"),
        ("floor(variables.words)", "floor() encountered non-numeric element: string"),
        ("ceil('x')", "ceil() requires numeric value, got string"),
        ("min(5)", "min() requires at least 2 arguments or an array, got 1 non-array value"),
        ("max(variables.empty)", "max() on empty array"),
        ("max(1, 'x')", "max() requires numeric values, got string"),
        ("sort(1)", "sort() requires an array, got float64"),
        ("sort(1, 2)", "sort() requires exactly 1 argument, got 2"),
        ("unique(variables.a)", "unique() requires an array, got float64"),
        ("slice(variables.nums)", "slice() requires 2 or 3 arguments (array, start, [end]), got 1"),
        ("slice(1, 2)", "slice() first argument must be an array, got float64"),
        ("slice(variables.nums, 'x')", "slice() start must be numeric, got string"),
        ("slice(variables.nums, 0, 'x')", "slice() end must be numeric, got string"),
        ("sample(variables.nums, -1)", "sample() n must be non-negative, got -1"),
        ("sample(variables.nums)", "sample() requires exactly 2 arguments (array, n), got 1"),
        ("zip(variables.nums)", "zip() requires at least 2 arrays, got 1"),
        ("zip(variables.nums, 1)", "zip() argument 1 must be an array, got float64"),
        ("reverse(variables.nope)", "reverse() argument evaluation failed: could not"),
    ],
)
def test_value_function_errors(expr: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        ev(expr)
    assert str(info.value).startswith(message)


def test_garbled_arguments_of_a_leading_value_function() -> None:
    # "max(a,b) + min(c,d)" matches the value function max with the arguments
    # "a", "b) + min(c", "d" (Go quirk); evaluating "a" fails first.
    with pytest.raises(ExpressionError, match=r"^max\(\) argument evaluation failed"):
        ev("max(a,b) + min(c,d)")
    assert ev("max(1, 2) + 1") == 3.0  # the arithmetic path handles it as math max


@pytest.mark.parametrize(
    "expr", ["upper(x)", "contains(item, 'a')", "isNull(item)", "now()", "upper(x) + 1"]
)
def test_unknown_functions_fail_instead_of_recursing_forever(expr: str) -> None:
    with pytest.raises(FatalExpressionError) as info:
        ev(expr, "abc")
    assert "unknown function" in str(info.value)
    assert isinstance(info.value, ExpressionError)


def test_a_ternary_inside_an_unknown_call_is_not_recursion() -> None:
    # Go evaluates "f(x ? 1 : 2)" as a ternary on the text before '?', so it terminates.
    with pytest.raises(ExpressionError) as info:
        ev("f(x ? 1 : 2)")
    assert not isinstance(info.value, FatalExpressionError)


def test_modulo_by_a_fraction_is_a_clear_error_not_a_crash() -> None:
    # Go panics (integer divide by zero) and the process dies; here the error propagates
    # through every heuristic step instead of being swallowed.
    with pytest.raises(FatalExpressionError, match=r"^modulo by zero$"):
        ev("7 % 0.5")
    with pytest.raises(FatalExpressionError, match=r"^modulo by zero$"):
        evaluate("item % 0.5 == 0", 3.0)
    assert ev("7 % 2.5") == 1.0
    # an exact zero divisor is an ordinary Go error: swallowed, then nothing else matches
    with pytest.raises(ExpressionError, match="could not evaluate expression"):
        ev("7 % 0")
    assert evaluate("item % 0 == 0", 3.0) is False


def test_lone_quote_is_not_a_string_literal() -> None:
    with pytest.raises(ExpressionError, match='could not evaluate expression: "'):
        ev('"')
