"""Random expressions, inputs and contexts: only WfsnapError comes out, in bounded time."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_wfsnap.engine.expr import (
    ExprContext,
    evaluate,
    evaluate_arithmetic,
    evaluate_expression,
    evaluate_simple_condition,
    resolve_value,
)
from pytest_wfsnap.errors import WfsnapError

TOKENS = [
    "item", "input", "node.", "variables.", "context.", "n1", "v", "c", "a", "b", "value",
    "age", "tags", "length", "true", "false", "null", "map(", "avg(", "sum(", "sort(", "slice(",
    "sample(", "unique(", "zip(", "reverse(", "flatten(", "pow(", "sqrt(", "abs(", "floor(",
    "ceil(", "round(", "min(", "max(", "contains(", "isNull(", "coalesce(", "now(", "year(",
    "parseDate(", "dateDiff(", "dateAdd(", "fromEpoch(", "toUpperCase()", "includes(",
    "split(", "join(", "first()", "last()", "trim()", "upper(", " && ", " || ", " == ", " != ",
    " <= ", " >= ", " < ", " > ", " ? ", " : ", "!", "(", ")", "[0]", "[", "]", ".", ",",
    "'", '"', "'x'", "1", "2.5", "0", "-", "+", "*", "/", "%", "1e3", "Inf", "NaN", "0x1p-2",
    " ", "\t", "\u00e9", "'2024-01-15'",
]  # fmt: skip
ALPHABET = "()[]{}.,'\"!?:|&=<>+-*/% _0123456789abcdeilmnprstuvx\u00e9\n"

expressions = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=14).map("".join),
    st.text(alphabet=ALPHABET, max_size=40),
    st.lists(st.sampled_from(TOKENS) | st.text(alphabet=ALPHABET, max_size=3), max_size=10).map(
        "".join
    ),
)

KEYS = st.sampled_from(["a", "b", "value", "age", "tags", "item", "input", "v", "n1", "c", "x"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1]),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["5", "1e3", "abc", "2024-01-15", "2024-01-15T10:00:00Z", ""]),
    st.just(datetime(2024, 1, 15, 10, 0, tzinfo=UTC)),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=12,
)
mappings = st.dictionaries(KEYS, values, max_size=5)
contexts = st.none() | st.builds(
    ExprContext, node_results=mappings, variables=mappings, context=mappings
)

FUZZ = settings(
    max_examples=500,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)


def _is_value(value: Any, depth: int = 0) -> bool:
    if depth > 50:
        return False
    if value is None or isinstance(value, (bool, int, float, str, datetime)):
        return True
    if isinstance(value, list):
        return all(_is_value(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_value(v, depth + 1) for k, v in value.items())
    return False


def _outcome(call: Any) -> tuple[bool, Any]:
    """(True, result) or (False, None) when the call raised a package error."""
    try:
        return True, call()
    except WfsnapError:
        return False, None


@FUZZ
@given(expressions, values, contexts)
def test_every_entry_point_returns_its_type_or_raises_a_package_error(
    expr: str, input_value: Any, ctx: ExprContext | None
) -> None:
    # Any exception other than a WfsnapError fails the test; the deadline bounds the time.
    ok, result = _outcome(lambda: evaluate(expr, input_value, ctx))
    assert not ok or isinstance(result, bool)
    ok, result = _outcome(lambda: evaluate_expression(expr, input_value, ctx))
    assert not ok or _is_value(result)
    ok, result = _outcome(lambda: evaluate_arithmetic(expr, ctx))
    assert not ok or isinstance(result, float)
    ok, result = _outcome(lambda: resolve_value(expr, input_value, ctx))
    assert not ok or _is_value(result)
    assert isinstance(evaluate_simple_condition(expr, input_value), bool)


@settings(max_examples=200, deadline=timedelta(seconds=2))
@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
)
def test_arithmetic_agrees_with_python_on_plain_numbers(x: float, y: float) -> None:
    ctx = ExprContext(variables={"x": x, "y": y})
    assert evaluate_arithmetic("x + y", ctx) == x + y
    assert evaluate_arithmetic("x * y - y", ctx) == x * y - y
    assert evaluate_arithmetic("-x", ctx) == -x
    if y != 0:
        assert evaluate_arithmetic("x / y", ctx) == x / y
    assert evaluate("variables.x < variables.y", None, ctx) is (x < y)
    assert math.isclose(
        evaluate_expression("avg(variables.x, variables.y)", None, ctx), (x + y) / 2
    )
