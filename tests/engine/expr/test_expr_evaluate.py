"""Boolean evaluation: the steps of ENGINE.md B7.2 in Go's order, comparison (B7.5), fallback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pytest_wfsnap.engine.expr import (
    ExprContext,
    compare_values,
    evaluate,
    evaluate_simple_condition,
)
from pytest_wfsnap.errors import ExpressionError

CTX = ExprContext(
    node_results={"n": {"value": 150.0, "flag": True, "items": [1.0, 2.0]}},
    variables={"limit": 100.0, "on": True, "name": "test", "nums": [1.0, 2.0, 3.0]},
    context={"env": "prod", "max": 10.0},
)


@pytest.mark.parametrize(
    ("expr", "input_value", "want"),
    [
        ("(true)", None, True),
        ("( (false) )", None, False),
        ("((node.n.value > 100))", None, True),
        ("(node.n.value > 100) && (variables.on)", None, True),
        ("true && false || true", None, True),
        ("false || true && false", None, False),
        ("!false && !false", None, True),
        ("! true", None, False),
        ("!(1 > 2)", None, True),
        ("variables.on", None, True),
        ("node.n.flag", None, True),
        ("context.env == 'prod'", None, True),
        ("context.max >= 10", None, True),
        ("variables.name != 'test'", None, False),
        ("node.n.items.length == 2", None, True),
        ("age > 18", {"age": 25.0}, True),
        ("profile.ok", {"profile": {"ok": True}}, True),
        ("input % 2 == 0", 4.0, True),
        ("item * 2 > 5", 3.0, True),
    ],
)
def test_boolean_steps(expr: str, input_value: Any, want: bool) -> None:
    assert evaluate(expr, input_value, CTX) is want


def test_operators_split_without_short_circuit() -> None:
    # Both sides are evaluated; an error on either side abandons the split, and the whole text
    # then falls through to the later steps (here: nothing matches, so false).
    assert evaluate("true || contains(a)", None, CTX) is False
    assert evaluate("contains(a) || true", None, CTX) is False


def test_not_propagates_errors() -> None:
    with pytest.raises(ExpressionError, match=r"^contains\(\) requires exactly 2 arguments$"):
        evaluate("!contains(a)", None, CTX)


def test_contains() -> None:
    assert evaluate("contains(context.env, 'ro')", None, CTX) is True
    assert evaluate("contains(variables.nums, 2)", None, CTX) is True  # %v "[1 2 3]" has "2"
    assert evaluate("contains('a,b', ',')", None, CTX) is True  # commas in quotes do not split
    with pytest.raises(ExpressionError, match="requires exactly 2 arguments"):
        evaluate("contains(max(1, 2), 2)", None, CTX)  # parentheses are not tracked
    with pytest.raises(ExpressionError, match="context variable not found: nope"):
        evaluate("contains(context.nope, 'x')", None, CTX)


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("isNull(node.n.missing_key)", None),
        ("isNull(variables.name)", False),
        ("coalesce(true)", True),
        ("coalesce(false, true)", False),
    ],
)
def test_date_and_null_functions(expr: str, want: bool | None) -> None:
    if want is None:
        with pytest.raises(ExpressionError, match=r"error resolving argument 'node\.n\.missing"):
            evaluate(expr, None, CTX)
    else:
        assert evaluate(expr, None, CTX) is want


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("now()", "function now() did not return a boolean value"),
        ("year('2024-03-01')", "function year() did not return a boolean value"),
        ("year('garbage')", "unable to parse date/time: garbage"),
        ("now(1)", "now() takes no arguments, got 1"),
        ("isNull(1, 2)", "isNull() requires exactly 1 argument, got 2"),
        ("coalesce()", "coalesce() requires at least 1 argument"),
        ("dateDiff('2024-01-02', 5)", "function dateDiff() did not return a boolean value"),
        ("dateDiff('x', 5)", "dateDiff() first argument: unable to parse date/time: x"),
        ("dateAdd('2024-01-02', 'a')", "dateAdd() second argument must be numeric"),
        ("fromEpoch('a')", "fromEpoch() requires numeric argument"),
        ("parseDate(true)", "unsupported date/time type: bool"),
        ("coalesce(variables.nope)", "error resolving argument 'variables.nope': "),
    ],
)
def test_date_function_errors(expr: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate(expr, None, CTX)
    assert str(info.value).startswith(message)


def test_shorthand_comparison_uses_input_and_nested_value_maps() -> None:
    assert evaluate(">=80", {"value": {"value": 85.0}}) is True
    assert evaluate("<= 80", {"value": 85.0}) is False
    assert evaluate("== 'x'", "x") is True


def test_first_comparison_operator_found_is_the_only_one_tried() -> None:
    # "==" is searched first and found inside "<==": left "a <", which cannot be resolved, so
    # the comparison is abandoned and the fallback gives false.
    assert evaluate("1 <== 1") is False
    # quotes are not respected when searching operators
    assert evaluate("'a>b' == 'a>b'") is True
    assert evaluate("variables.name == 'a||b'", None, CTX) is False


def test_comparison_quirks() -> None:
    assert evaluate("input != null", 42.5) is False  # null is not a resolvable literal
    assert evaluate("input - 5 > 0", 10.0) is False  # a lone '-' does not trigger arithmetic
    assert evaluate("input + 5 > 12", 10.0) is True


def test_workflow_variables_named_input_shadow_the_input_in_arithmetic() -> None:
    ctx = ExprContext(variables={"input": 1.0})
    assert evaluate("input > 3", 5.0, ctx) is True  # resolveValue("input") is the argument
    assert evaluate("input + 0 > 3", 5.0, ctx) is False  # arithmetic reads Variables["input"]


def test_fallback_is_the_simple_condition_and_never_errors() -> None:
    assert evaluate(">100", 150.0) is True
    assert evaluate("garbage ((", {"value": 1.0}) is False
    assert evaluate("", None) is False


@pytest.mark.parametrize(
    ("left", "right", "op", "want"),
    [
        (None, None, "==", True),
        (None, 0.0, "==", False),
        (0.0, None, "!=", True),
        ("5", 5.0, "==", True),
        ("1.0", "1", "==", True),
        ("abc", "abc", "==", True),
        ("abc", "abd", "!=", True),
        (True, True, "==", True),
        (True, 1.0, "==", False),
        ([1.0], [1.0], "==", False),
        (3, 3.0, "==", True),
        ("b", "a", ">", False),
        ("10", 9.0, ">", True),
        (float("nan"), 1.0, "<", False),
        (float("nan"), float("nan"), "!=", True),
        (2.0, 2.0, "<=", True),
        (2.0, 2.0, ">=", True),
        (1.0, 2.0, "<", True),
        (1.0, 2.0, "??", False),
    ],
)
def test_compare_values(left: Any, right: Any, op: str, want: bool) -> None:
    assert compare_values(left, right, op) is want


def test_times_compare_by_instant() -> None:
    early = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    same = early.astimezone(__import__("datetime").timezone(timedelta(hours=3)))
    later = early + timedelta(seconds=1)
    ctx = ExprContext(context={"a": early, "b": same, "c": later})
    assert evaluate("context.a == context.b", None, ctx) is True
    assert evaluate("context.a < context.c", None, ctx) is True
    assert evaluate("context.c <= context.a", None, ctx) is False
    assert compare_values(early, later, ">=") is False


@pytest.mark.parametrize(
    ("condition", "value", "want"),
    [
        ("true", None, True),
        ("false", 5.0, False),
        (">5", 10.0, True),
        (">5", 10, False),  # ints are not Go float64s
        (">5", {"value": 10.0}, True),
        (">5", {"value": 10}, False),
        (">5", {"value": {"value": 10.0}}, False),  # one level only
        (">= 5", 5.0, True),
        ("<=5", 5.5, False),
        ("==5", 5.0, True),
        ("!=5", 5.0, False),
        ("<5", 4.0, True),
        ("> 5abc", 6.0, True),  # leading number only
        (">abc", 1.0, True),  # no number: threshold 0
        (">\n5", 1.0, True),  # Sscanf stops at a newline: threshold 0
        (">1e2", 50.0, False),
        (">nan", 1.0, False),
        (">", 1.0, False),
        ("=5", 5.0, False),
        ("5", 5.0, False),
    ],
)
def test_evaluate_simple_condition(condition: str, value: Any, want: bool) -> None:
    assert evaluate_simple_condition(condition, value) is want
