"""EvaluateArithmetic: grammar, Go math semantics and error texts (ENGINE.md B7.6)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pytest_wfsnap.engine.expr import ExprContext, FatalExpressionError, evaluate_arithmetic
from pytest_wfsnap.errors import ExpressionError

CTX = ExprContext(
    node_results={"calc": {"value": 6.0, "list": [1.0, 2.0], "my-key": {"v": 3.0}}},
    variables={
        "a": 10.0,
        "n": 3,
        "s": "x",
        "numstr": "2.5",
        "obj": {"in": {"deep": 7.0}},
        "arr": [1.0, 2.0, 3.0],
        "item": {"age": 40.0},
        "input": [{"age": 20.0}, {"age": 40.0}],
    },
    context={"k": 2.0},
)


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("-2*3", -6.0),
        ("2*-3", -6.0),
        ("--5", 5.0),
        ("- - +5", 5.0),
        ("+-+-1", 1.0),
        ("2 + 3 * 4", 14.0),
        ("(2 + 3) * 4", 20.0),
        ("10 - 4 - 3", 3.0),
        ("100 / 10 / 5", 2.0),
        ("7 % 3 * 2", 2.0),
        ("-7 % 3", -1.0),
        ("7 % -3", 1.0),
        ("7.9 % 2.5", 1.0),
        ("1.5 + 1.", 2.5),
        ("\t1 +\n2\r", 3.0),
        ("a * 2", 20.0),
        ("n + 1", 4.0),
        ("numstr * 2", 5.0),
        ("variables.a + variables.n", 13.0),
        ("obj.in.deep", 7.0),
        ("arr[2] * 2", 6.0),
        ("variables.arr[0]", 1.0),
        ("node.calc.value - 1", 5.0),
        ("node.calc.list[1]", 2.0),
        ("node.calc.my-key.v", 3.0),
        ("context.k * 3", 6.0),
        ("item.age + 1", 41.0),
        ("item .age", 40.0),
        ("arr.length * 10", 30.0),
        ("pow(2, 10)", 1024.0),
        ("pow(2, -1)", 0.5),
        ("sqrt(2) * sqrt(2)", 2.0000000000000004),
        ("abs(-3) + floor(2.7) + ceil(2.1) + round(2.5)", 11.0),
        ("round(-0.5)", -1.0),
        ("round(0.49999999999999994)", 0.0),
        ("min(3, 1, 2) + max(3, 1, 2)", 4.0),
        ("sum(variables.arr) + 1", 7.0),
        ("avg(map(input, item.age)) + 0", 30.0),
        ("max (1, 2)", 2.0),
    ],
)
def test_arithmetic(expr: str, want: float) -> None:
    got = evaluate_arithmetic(expr, CTX)
    assert type(got) is float
    assert got == want


@pytest.mark.parametrize(
    ("expr", "check"),
    [
        ("pow(10, 400)", math.inf),
        ("pow(-10, 401)", -math.inf),
        ("pow(0, -1)", math.inf),
        ("pow(-8, 1 / 3)", "nan"),
        ("99999999999999999999 * 99999999999999999999", 1e40),
    ],
)
def test_go_math_edge_values(expr: str, check: Any) -> None:
    got = evaluate_arithmetic(expr)
    if check == "nan":
        assert math.isnan(got)
    else:
        assert got == check


def test_signed_zero_is_kept() -> None:
    assert math.copysign(1.0, evaluate_arithmetic("ceil(0 - 0.5)")) == -1.0
    assert math.copysign(1.0, evaluate_arithmetic("-0")) == -1.0


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("", "empty expression"),
        ("   ", "empty expression"),
        ("+", "unexpected end of expression"),
        ("1 +", "unexpected end of expression"),
        ("10 / 0", "division by zero"),
        ("10 / (1 - 1)", "division by zero"),
        ("10 % 0", "modulo by zero"),
        ("7 % 0.5", "modulo by zero"),
        ("sqrt(-1)", "sqrt() of negative number"),
        ("pow(1)", "pow() requires exactly 2 arguments, got 1"),
        ("sqrt()", "sqrt() requires exactly 1 argument, got 0"),
        ("min(1)", "min() requires at least 2 arguments, got 1"),
        ("(5 + 3", "unmatched parentheses at position 6"),
        ("5 + 3)", "unexpected characters at position 5: )"),
        ("5 # 3", "unexpected characters at position 2: # 3"),
        ("1.2.3", "unexpected characters at position 3: .3"),
        (".5", "unexpected character '.' at position 0"),
        ("# 1", "unexpected character '#' at position 0"),
        ("é + 1", "unexpected character '\u00c3' at position 0"),
        ("'é' + x", "unexpected character ''' at position 0"),
        ("1 + é2", "unexpected character '\u00c3' at position 4"),
        ("é1 ", "unexpected character '\u00c3' at position 0"),
        ("1é", "unexpected characters at position 1: é"),
        ("pow(1, 2", "unmatched parentheses in function call"),
        ("pow(1 2)", "expected ',' or ')' at position 6"),
        ("sum(1", "unmatched parentheses in function call starting at position 0"),
        ("a. + 1", "expected identifier after '.' at position 2"),
        ("arr[] + 1", "expected number in array index at position 4"),
        ("arr[1 + 1", "expected ']' at position 5"),
        ("zz + 1", "unknown identifier 'zz' at position 0 (tried as variables.zz but got: "),
        ("s + 1", "value 'x' at 'variables.s' cannot be converted to number"),
        ("obj.in + 1", "value 'map[deep:7]' at 'obj.in' cannot be converted to number"),
        ("obj.nope", "field not found: nope"),
        ("context.nope + 1", "variable not found: context"),
        ("sort(variables.arr) + 1", "function 'sort' did not return a numeric value"),
        ("sort(arr) + 1", "failed to evaluate function 'sort' in arithmetic expression: sort() "),
        ("avg(s) + 1", "failed to evaluate function 'avg' in arithmetic expression: avg()"),
    ],
)
def test_arithmetic_errors(expr: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate_arithmetic(expr, CTX)
    assert str(info.value).startswith(message), str(info.value)


def test_first_error_in_evaluation_order_wins() -> None:
    # Go evaluates while parsing: the failed lookup of "zz" is reported before the later
    # syntax error, and a syntax error after a valid prefix still evaluates that prefix first.
    with pytest.raises(ExpressionError, match="unknown identifier 'zz'"):
        evaluate_arithmetic("zz + (1", CTX)
    with pytest.raises(ExpressionError, match="unmatched parentheses"):
        evaluate_arithmetic("a + (1", CTX)
    with pytest.raises(ExpressionError, match="division by zero"):
        evaluate_arithmetic("1 / 0 + )", CTX)


def test_positions_count_utf8_bytes() -> None:
    with pytest.raises(ExpressionError, match=r"at position 8: #$"):
        evaluate_arithmetic("(1) + 1 #", CTX)
    call = "sum(slice(map(variables.arr, 'é'), 0, 0))"
    assert evaluate_arithmetic(call, CTX) == 0.0
    with pytest.raises(ExpressionError) as info:
        evaluate_arithmetic(call + " #", CTX)
    assert str(info.value) == f"unexpected characters at position {len(call) + 2}: #"


def test_unknown_function_in_arithmetic_is_a_clear_error() -> None:
    with pytest.raises(FatalExpressionError, match="unknown function 'upper'"):
        evaluate_arithmetic("1 + upper(s)", CTX)
    # reached only when evaluation gets there: an earlier error wins, as in Go
    with pytest.raises(ExpressionError, match="division by zero"):
        evaluate_arithmetic("1 / 0 + upper(s)", CTX)


def test_compiled_programs_are_reused_across_contexts() -> None:
    first = ExprContext(variables={"x": 1.0})
    second = ExprContext(variables={"x": 41.0})
    assert evaluate_arithmetic("x + 1", first) == 2.0
    assert evaluate_arithmetic("x + 1", second) == 42.0
    with pytest.raises(ExpressionError, match="unknown identifier 'x'"):
        evaluate_arithmetic("x + 1")
