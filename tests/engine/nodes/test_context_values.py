"""context_variable / context_constant and the typed-value conversion behind them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pytest_wfsnap.engine.nodes._context_values import convert_typed_value, rfc3339_error
from pytest_wfsnap.engine.nodes.state_nodes import (
    ContextConstantExecutor,
    ContextVariableExecutor,
)
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes import FakeRuntime, run

# --- the nodes --------------------------------------------------------------------------------


def test_context_variable_typed_values() -> None:
    rt = FakeRuntime()
    values = [
        {"name": "n", "value": "3", "type": "number"},
        {"name": "b", "value": "true", "type": "boolean"},
        {"name": "s", "value": 42.0, "type": "string"},
        {"name": "z", "value": 1.0, "type": "null"},
    ]
    result = run(ContextVariableExecutor, {"context_values": values}, ["ignored"], rt)
    expected = {"n": 3.0, "b": True, "s": "42", "z": None}
    assert result == {"type": "variable", "variables": expected}
    assert rt.state.context_vars() == expected
    assert rt.state.context_consts() == {}


def test_context_constant_typed_values() -> None:
    rt = FakeRuntime()
    values = [{"name": "when", "value": 86400.0, "type": "epoch_second"}]
    result = run(ContextConstantExecutor, {"context_values": values}, [], rt)
    day = datetime(1970, 1, 2, tzinfo=UTC)
    assert result == {"type": "const", "constants": {"when": day}}
    assert rt.state.context_consts() == {"when": day}
    assert rt.state.context_vars() == {}


def test_later_entries_overwrite_earlier_ones() -> None:
    values = [
        {"name": "x", "value": "1", "type": "string"},
        {"name": "x", "value": "2", "type": "string"},
    ]
    assert run(ContextVariableExecutor, {"context_values": values})["variables"] == {"x": "2"}


@pytest.mark.parametrize(
    ("cls", "kind"),
    [(ContextVariableExecutor, "variable"), (ContextConstantExecutor, "const")],
)
def test_legacy_format_stores_the_value_unconverted(cls: Any, kind: str) -> None:
    rt = FakeRuntime()
    value = {"nested": [1.0]}
    result = run(cls, {"context_name": "cfg", "context_value": value}, [], rt)
    assert result == {"type": kind, "name": "cfg", "value": value}
    assert rt.state.context_view["cfg"] == value


@pytest.mark.parametrize(
    ("cls", "label"),
    [(ContextVariableExecutor, "context_variable"), (ContextConstantExecutor, "context_constant")],
)
def test_context_errors_name_the_node_type(cls: Any, label: str) -> None:
    with pytest.raises(NodeError) as info:
        run(cls, {"context_values": [{"name": "x", "value": "abc", "type": "number"}]})
    assert str(info.value) == (
        f'{label} node: error converting x (number): cannot convert "abc" to number: '
        'strconv.ParseFloat: parsing "abc": invalid syntax'
    )
    with pytest.raises(NodeError, match=f"^{label} node missing context_value$"):
        run(cls, {"context_name": "x", "context_value": None})
    with pytest.raises(NodeError, match=f"^{label} node missing context_name or context_values$"):
        run(cls, {"context_values": []})


def test_failed_conversion_keeps_earlier_entries_stored() -> None:
    rt = FakeRuntime()
    values = [
        {"name": "ok", "value": "1", "type": "number"},
        {"name": "bad", "value": "x", "type": "boolean"},
    ]
    with pytest.raises(NodeError):
        run(ContextVariableExecutor, {"context_values": values}, [], rt)
    assert rt.state.context_vars() == {"ok": 1.0}


# --- conversions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (42.0, "string", "42"),
        (1e21, "string", "1e+21"),
        (None, "string", "<nil>"),
        ({"b": 1.0, "a": True}, "string", "map[a:true b:1]"),
        ([1.0, "x"], "string", "[1 x]"),
        (2.5, "number", 2.5),
        (3, "number", 3.0),
        ("1e3", "number", 1000.0),
        ("0x1p-2", "number", 0.25),
        (True, "boolean", True),
        ("1", "boolean", True),
        ("t", "boolean", True),
        ("TRUE", "boolean", True),
        ("False", "boolean", False),
        ("0", "boolean", False),
        (0.5, "boolean", True),
        (0.0, "boolean", False),
        ("2024-01-15T10:30:00Z", "time_string", "2024-01-15T10:30:00Z"),
        ("2024-01-15T10:30:00.123+05:30", "time_string", "2024-01-15T10:30:00.123+05:30"),
        (1700000000.9, "epoch_second", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("-1", "epoch_second", datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC)),
        (1500.0, "epoch_ms", datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)),
        ("-1500", "epoch_ms", datetime(1969, 12, 31, 23, 59, 58, 500000, tzinfo=UTC)),
        ("anything", "null", None),
    ],
)
def test_convert_typed_value(value: Any, kind: str, expected: Any) -> None:
    result = convert_typed_value(value, kind)
    assert result == expected
    assert type(result) is type(expected)


def test_epoch_values_are_timezone_aware() -> None:
    converted = convert_typed_value(0.0, "epoch_second")
    assert converted.tzinfo is not None
    assert converted.utcoffset().total_seconds() == 0


def _strconv(value: str, what: str, func: str, problem: str) -> str:
    return f'cannot convert "{value}" to {what}: strconv.{func}: parsing "{value}": {problem}'


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("abc", "number", _strconv("abc", "number", "ParseFloat", "invalid syntax")),
        (" 1", "number", _strconv(" 1", "number", "ParseFloat", "invalid syntax")),
        ("1e999", "number", _strconv("1e999", "number", "ParseFloat", "value out of range")),
        (True, "number", "cannot convert type bool to number"),
        (None, "number", "cannot convert type <nil> to number"),
        ("yes", "boolean", _strconv("yes", "boolean", "ParseBool", "invalid syntax")),
        (1, "boolean", "cannot convert type int to boolean"),
        ([1.0], "boolean", "cannot convert type []interface {} to boolean"),
        ("1.5", "epoch_second", _strconv("1.5", "epoch seconds", "ParseInt", "invalid syntax")),
        (
            "99999999999999999999",
            "epoch_ms",
            _strconv(
                "99999999999999999999", "epoch milliseconds", "ParseInt", "value out of range"
            ),
        ),
        (True, "epoch_second", "cannot convert type bool to epoch seconds"),
        ({}, "epoch_ms", "cannot convert type map[string]interface {} to epoch milliseconds"),
        (
            1e15,
            "epoch_second",
            "epoch seconds out of the supported date range (years 1 to 9999): 1000000000000000",
        ),
        ("x", "date", 'unsupported type "date"'),
        ("x", "", 'unsupported type ""'),
        ("tab\there", "uuid\n", 'unsupported type "uuid\\n"'),
    ],
)
def test_conversion_errors(value: Any, kind: str, message: str) -> None:
    with pytest.raises(NodeError) as info:
        convert_typed_value(value, kind)
    assert str(info.value) == message


def test_time_string_error_message() -> None:
    with pytest.raises(NodeError) as info:
        convert_typed_value("2024-01-15", "time_string")
    assert str(info.value) == (
        'invalid time string "2024-01-15": parsing time "2024-01-15" as '
        '"2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'
    )
    with pytest.raises(NodeError, match=r'^invalid time string "42": parsing time "42"'):
        convert_typed_value(42.0, "time_string")


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-15T10:30:00Z",
        "2024-01-15T10:30:00.999999999Z",
        "2024-01-15T10:30:00,5Z",  # Go also accepts a comma before fractional seconds
        "2024-01-15T1:30:00Z",  # and a one-digit hour
        "2024-02-29T00:00:00-07:00",
        "2024-01-15T23:00:00+24:00",  # Go allows offsets of 24 hours
    ],
)
def test_rfc3339_accepted(value: str) -> None:
    assert rfc3339_error(value) is None


@pytest.mark.parametrize(
    ("value", "rest", "element"),
    [
        ("x", "x", "2006"),
        ("2024/01/15", "/01/15", "-"),
        ("2024-1-15T10:30:00Z", "1-15T10:30:00Z", "01"),
        ("2024-01-15 10:30:00Z", " 10:30:00Z", "T"),
        ("2024-01-15T10:30:00", "", "Z07:00"),
        ("2024-01-15T10:30:00+0530", "+0530", "Z07:00"),
    ],
)
def test_rfc3339_cannot_parse(value: str, rest: str, element: str) -> None:
    assert rfc3339_error(value) == (
        f'parsing time "{value}" as "2006-01-02T15:04:05Z07:00": '
        f'cannot parse "{rest}" as "{element}"'
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2024-13-01T00:00:00Z", ": month out of range"),
        ("2023-02-29T00:00:00Z", ": day out of range"),
        ("2024-01-15T24:00:00Z", ": hour out of range"),
        ("2024-01-15T10:60:00Z", ": minute out of range"),
        ("2024-01-15T10:30:60Z", ": second out of range"),
        ("2024-01-15T10:30:00+25:00", ": time zone offset hour out of range"),
        ("2024-01-15T10:30:00Zjunk", ': extra text: "junk"'),
    ],
)
def test_rfc3339_range_and_extra_text(value: str, problem: str) -> None:
    assert rfc3339_error(value) == f'parsing time "{value}"{problem}'


def test_rfc3339_quotes_non_ascii_as_bytes() -> None:
    assert rfc3339_error("2024-01-15T10:30:00Zé") == (
        'parsing time "2024-01-15T10:30:00Z\\xc3\\xa9": extra text: "\\xc3\\xa9"'
    )
