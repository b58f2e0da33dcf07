"""resolveValue, field paths and methods (ENGINE.md B7.4, B7.8)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pytest_wfsnap.engine.expr import ExprContext, evaluate_expression, resolve_value
from pytest_wfsnap.errors import ExpressionError

CTX = ExprContext(
    node_results={"n1": {"value": 5.0, "out": {"list": [{"name": "a"}, {"name": "b"}]}}},
    variables={"v": {"k": [10.0, 20.0]}, "s": "hello", "item": "shadow", "dotted.name": 1.0},
    context={"c": 1.0, "x.y": "whole key"},
)
INPUT = {
    "name": "  Alice  ",
    "tags": ["go", "rust", 3.0, None],
    "nums": [2.0, 1],
    "word": "h\u00e9llo",
    "nested": [[1.0]],
    "n": 4.0,
}


@pytest.mark.parametrize(
    ("ref", "want"),
    [
        ("'single'", "single"),
        ('"double"', "double"),
        ("''", ""),
        ("'mis\"matched'", 'mis"matched'),
        ("1e5", 1e5),
        ("-3", -3.0),
        ("0x1p-2", 0.25),
        ("Infinity", math.inf),
        ("true", True),
        ("false", False),
        ("2 * 3", 6.0),
        ("pow(2, 3)", 8.0),
        ("node.n1.value", 5.0),
        ("node.n1.out.list[1].name", "b"),
        ("node.n1.out.list.length", 2.0),
        ("variables.v.k[1]", 20.0),
        ("variables.v", {"k": [10.0, 20.0]}),
        ("variables.s.length", 5.0),
        ("context.c", 1.0),
        ("context.x.y", "whole key"),
        ("input", INPUT),
        ("item", INPUT),  # the input argument, not the variable named item
        ("item.name.trim()", "Alice"),
        ("input.tags[0]", "go"),
        ("tags.length", 4.0),
        ("word.length", 6.0),  # bytes, not characters
        ("tags.length.anything", 4.0),  # .length returns immediately
        ("item.", INPUT),
        ("name.trim().toUpperCase()", "ALICE"),
    ],
)
def test_resolve_value(ref: str, want: Any) -> None:
    assert resolve_value(ref, INPUT, CTX) == want


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("null", "unknown reference: null"),
        ("5px", "unknown reference: 5px"),
        ("nope", "unknown reference: nope"),
        ("node.zz.value", "node result not found: zz"),
        ("node.n1.nope", "field not found: nope"),
        ("variables.zz", "variable not found: zz"),
        ("variables.dotted.name", "variable not found: dotted"),
        ("context.zz", "context variable not found: zz"),
        ("item.zz", "field not found: zz"),
        ("item.tags.zz", "cannot access field zz on non-object"),
        ("item.tags[9]", "array index 9 out of bounds (length: 4)"),
        ("item.tags[-1]", "array index -1 out of bounds (length: 4)"),
        ("item.tags[x]", "invalid array index: x"),
        ("item.nested[0][0]", "invalid array index: 0][0"),
        ("item.name[0]", "cannot use array indexing on non-array type: string"),
        ("item.zz[0]", "field not found: zz"),
        ("item.tags.x[0]", "cannot access field x on non-object"),
        ("item.n.length", ".length property only available on arrays and strings, got float64"),
    ],
)
def test_resolve_value_errors(ref: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        resolve_value(ref, INPUT, CTX)
    assert str(info.value) == message


def test_bare_fields_need_an_input() -> None:
    with pytest.raises(ExpressionError, match="unknown reference: name"):
        resolve_value("name", None, CTX)
    assert resolve_value("input", None, CTX) is None


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("item.name.toUpperCase()", "  ALICE  "),
        ("item.name.toLowerCase()", "  alice  "),
        ("item.name.trim().length", 5.0),
        ("item.name.includes('lic')", True),
        ("item.name.startsWith('  A')", True),
        ("item.name.endsWith('e')", False),
        ("item.name.replace(' ', '')", "Alice"),
        ("item.name.replace('', '-')", "- - -A-l-i-c-e- - -"),
        ("item.word.split('')", ["h", "\u00e9", "l", "l", "o"]),
        ("item.word.split('l')", ["h\u00e9", "", "o"]),
        ("item.tags.join('|')", "go|rust|3|<nil>"),
        ("item.tags.includes(3)", True),
        ("item.tags.includes('3')", True),
        ("item.tags.includes(null)", True),
        ("item.tags.includes(go)", True),  # unparsed arguments are kept as text
        ("item.tags.includes('java')", False),
        ("item.nums.includes(1)", True),
        ("item.tags.reverse()", [None, 3.0, "rust", "go"]),
        ("item.tags.first()", "go"),
        ("item.tags.last()", None),
        ("item.name.split(',').length", 1.0),
    ],
)
def test_methods(expr: str, want: Any) -> None:
    assert evaluate_expression(expr, INPUT) == want


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            "item.tags.toUpperCase()",
            "toUpperCase() can only be called on strings, got []interface {}",
        ),
        ("item.n.trim()", "trim() can only be called on strings, got float64"),
        ("item.n.includes(1)", "includes() can only be called on strings or arrays, got float64"),
        ("item.name.includes()", "includes() requires exactly 1 argument, got 0"),
        ("item.tags.includes(1, 2)", "includes() requires exactly 1 argument, got 2"),
        ("item.name.replace('a')", "replace() requires exactly 2 arguments, got 1"),
        ("item.tags.split(',')", "split() can only be called on strings, got []interface {}"),
        ("item.name.join(',')", "join() can only be called on arrays, got string"),
        ("item.name.first()", "first() can only be called on arrays, got string"),
        ("item.name.shout()", "unknown method: shout"),
    ],
)
def test_method_errors(expr: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        resolve_value(expr, INPUT, CTX)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "upper", "lower"),
    [
        ("stra\u00dfe", "STRA\u00dfE", "stra\u00dfe"),  # Go keeps ß (no simple uppercase)
        ("\u0130STANBUL", "\u0130STANBUL", "istanbul"),  # dotted capital I lowers to plain i
        ("\u03a3\u0391\u03a3", "\u03a3\u0391\u03a3", "\u03c3\u03b1\u03c3"),  # no final sigma
        ("\u1f80", "\u1f88", "\u1f80"),  # simple titlecase mapping of iota subscript forms
        ("\ufb01", "\ufb01", "\ufb01"),  # ligature fi has no simple uppercase
    ],
)
def test_go_case_mapping(text: str, upper: str, lower: str) -> None:
    assert resolve_value("item.toUpperCase()", text) == upper
    assert resolve_value("item.toLowerCase()", text) == lower


def test_only_dicts_and_lists_are_navigated() -> None:
    class Secretive:
        touched = False

        def __getattr__(self, name: str) -> Any:
            Secretive.touched = True
            raise AssertionError(f"attribute {name} read")

        def __getitem__(self, key: Any) -> Any:
            Secretive.touched = True
            raise AssertionError(f"item {key} read")

    target = Secretive()
    for expr in ("item.secret", "item.__class__", "item[0]", "item.length", "item.upper()"):
        with pytest.raises(ExpressionError):
            resolve_value(expr, {"item": target}["item"])
    assert Secretive.touched is False
