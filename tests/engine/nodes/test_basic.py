"""operation and text_operation, including Go's Unicode case mapping quirks."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pytest_wfsnap.engine.nodes._gotext import (
    go_fields,
    go_lower,
    go_title,
    go_trim_space,
    go_upper,
)
from pytest_wfsnap.engine.nodes.basic import OperationExecutor, TextOperationExecutor
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes import run

# --- operation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "left", "right", "expected"),
    [
        ("add", 10.0, 5.0, 15.0),
        ("subtract", 100.0, 50.0, 50.0),
        ("multiply", 2.5, 4.0, 10.0),
        ("divide", 1.0, 4.0, 0.25),
        ("divide", -3.0, 2.0, -1.5),
        ("add", 0.1, 0.2, 0.30000000000000004),
        ("multiply", 1e308, 10.0, math.inf),
    ],
)
def test_operation_arithmetic(op: str, left: float, right: float, expected: float) -> None:
    result = run(OperationExecutor, {"op": op}, [left, right])
    assert result == expected
    assert isinstance(result, float)


def test_operation_ignores_extra_inputs() -> None:
    assert run(OperationExecutor, {"op": "add"}, [1.0, 2.0, 100.0]) == 3.0


@pytest.mark.parametrize("count", [0, 1])
def test_operation_needs_two_inputs(count: int) -> None:
    with pytest.raises(NodeError, match=f"^operation needs 2 inputs, got {count}$"):
        run(OperationExecutor, {"op": "add"}, [1.0] * count)


@pytest.mark.parametrize(
    "pair",
    [[1, 2.0], [2.0, 3], ["1", 2.0], [True, 1.0], [None, 1.0], [1.0, [1.0]]],
    ids=["int-left", "int-right", "string", "bool", "null", "list"],
)
def test_operation_rejects_non_float64_inputs(pair: list[Any]) -> None:
    # Engine-made counts are Go ints: operation type-asserts float64 and rejects them.
    with pytest.raises(NodeError, match=r"^operation inputs must be numbers$"):
        run(OperationExecutor, {"op": "add"}, pair)


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_operation_division_by_zero(zero: float) -> None:
    with pytest.raises(NodeError, match=r"^division by zero$"):
        run(OperationExecutor, {"op": "divide"}, [1.0, zero])


def test_operation_unknown_op() -> None:
    with pytest.raises(NodeError, match=r"^unknown operation: power$"):
        run(OperationExecutor, {"op": "power"}, [1.0, 2.0])


# --- text_operation: concat and repeat --------------------------------------------------------


def text(op: str, inputs: list[Any], **data: Any) -> Any:
    return run(TextOperationExecutor, {"text_op": op, **data}, inputs)


def test_text_operation_needs_an_input() -> None:
    with pytest.raises(NodeError, match=r"^text operation needs at least 1 input$"):
        text("uppercase", [])


def test_concat_joins_every_input_with_the_separator() -> None:
    assert text("concat", ["a", "b", "c"]) == "abc"
    assert text("concat", ["a", "b", "c"], separator=", ") == "a, b, c"
    assert text("concat", ["only"], separator="-") == "only"


def test_concat_names_the_first_non_text_input() -> None:
    with pytest.raises(NodeError, match=r"^concat operation input 1 must be text/string$"):
        text("concat", ["a", 1.0, 2.0])


def test_repeat() -> None:
    assert text("repeat", ["ab"], repeat_n=3) == "ababab"
    assert text("repeat", ["ab"], repeat_n=0) == ""


def test_repeat_requires_repeat_n_even_when_null() -> None:
    for data in ({}, {"repeat_n": None}):
        with pytest.raises(NodeError, match=r"^repeat operation requires repeat_n field$"):
            run(TextOperationExecutor, {"text_op": "repeat", **data}, ["x"])


def test_repeat_rejects_negative_counts_and_non_text() -> None:
    with pytest.raises(NodeError, match=r"^repeat_n must be non-negative, got -1$"):
        text("repeat", ["x"], repeat_n=-1)
    with pytest.raises(NodeError, match=r"^repeat operation input must be text/string$"):
        text("repeat", [5.0], repeat_n=2)


def test_repeat_output_too_large_is_a_clear_error() -> None:
    with pytest.raises(NodeError, match=r"^repeat operation output too large"):
        text("repeat", ["xy"], repeat_n=1 << 40)


def test_case_operations_need_text() -> None:
    with pytest.raises(NodeError, match=r"^text operation input must be text/string$"):
        text("uppercase", [1.0])


def test_unknown_text_operation() -> None:
    with pytest.raises(NodeError, match=r"^unknown text operation: reverse$"):
        text("reverse", ["abc"])


# --- case mapping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "source", "expected"),
    [
        ("uppercase", "hello World", "HELLO WORLD"),
        ("uppercase", "straße", "STRAßE"),  # Go keeps ß (Python gives SS)
        ("uppercase", "ŉ ǰ ﬁ", "ŉ ǰ ﬁ"),  # no simple uppercase mapping
        ("uppercase", "ᾳ ᾀ", "ᾼ ᾈ"),  # simple mapping to the prosgegrammeni forms
        ("uppercase", "ǆ µ ÿ", "Ǆ Μ Ÿ"),
        ("lowercase", "HELLO World", "hello world"),
        ("lowercase", "ΟΔΟΣ", "οδοσ"),  # no final sigma in Go
        ("lowercase", "İSTANBUL", "istanbul"),  # one rune, not i + combining dot
        ("lowercase", "Ǆ K", "ǆ k"),
        ("inversecase", "Hello World", "hELLO wORLD"),
        ("inversecase", "ǅ Ⓐ 1", "ǅ Ⓐ 1"),  # title case and symbols stay
        ("inversecase", "İß", "iß"),
        ("titlecase", "hello world", "Hello World"),
        ("titlecase", "HELLO WORLD", "Hello World"),
        ("titlecase", "hello-world", "Hello-World"),
        ("titlecase", "o'neil mcDONALD", "O'neil Mcdonald"),
        ("titlecase", "a.b a..b a:b a,b", "A.b A..B A:b A,B"),
        ("titlecase", "4th a4a x_y", "4Th A4a X_y"),
        ("titlecase", "ß ǆemal", "Ss ǅemal"),  # full title-case mapping of the first letter
        ("titlecase", "émile\tzola\nnew", "Émile\tZola\nNew"),
        ("titlecase", "a日b", "A日B"),  # ideographs break words
        ("camelcase", "hello world foo", "helloWorldFoo"),
        ("camelcase", "Hello WORLD", "helloWorld"),
        ("camelcase", "  padded\t words \n", "paddedWords"),
        ("camelcase", "", ""),
        ("camelcase", " \t ", " \t "),  # white space only: unchanged
        ("camelcase", "a\x1cb", "a\x1cb"),  # U+001C is not Go white space
        ("camelcase", "hello émile", "helloÃ\ufffdmile"),  # Go upper-cases the first byte
        ("camelcase", "x 日本", "xÆ\ufffd\ufffd本"),
    ],
)
def test_case_operations_follow_go(op: str, source: str, expected: str) -> None:
    assert text(op, [source]) == expected


def test_go_text_helpers() -> None:
    assert go_fields(" a\u00a0b\u3000c\x1cd ") == ["a", "b", "c\x1cd"]
    assert go_trim_space("\u2003 x \x85") == "x"
    assert go_trim_space("\x1fx\x1f") == "\x1fx\x1f"
    assert go_upper("abc") == "ABC"
    assert go_lower("ÀÉ") == "àé"
    assert go_title("") == ""
