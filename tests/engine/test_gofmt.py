"""Go formatting helpers: %v, %T, ParseFloat, durations and encoding/json (ENGINE.md B5)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_wfsnap.engine.gofmt import (
    format_duration,
    go_json_dumps,
    go_quote,
    go_type,
    go_v,
    is_go_float,
    parse_duration,
    parse_go_float,
    parse_go_int,
    timedelta_to_ns,
    to_float64,
)
from pytest_wfsnap.errors import NodeError

# --- %v -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (100000.0, "100000"),
        (1000000.0, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (123456.5, "123456.5"),
        (123456789.0, "1.23456789e+08"),
        (2.5, "2.5"),
        (42.0, "42"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1e21, "1e+21"),
        (1e100, "1e+100"),
        (5e-324, "5e-324"),
        (-2.5, "-2.5"),
        (-1e6, "-1e+06"),
        (0.0, "0"),
        (-0.0, "-0"),
        (math.nan, "NaN"),
        (math.inf, "+Inf"),
        (-math.inf, "-Inf"),
    ],
)
def test_go_v_float(value: float, text: str) -> None:
    assert go_v(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "<nil>"),
        (True, "true"),
        (False, "false"),
        (7, "7"),
        (-12, "-12"),
        ("plain text", "plain text"),
        ([], "[]"),
        ([1.0, "a", None, True], "[1 a <nil> true]"),
        ({}, "map[]"),
        ({"b": 2.0, "a": 1e6, "c": [1.5]}, "map[a:1e+06 b:2 c:[1.5]]"),
        ({"k": {"z": None, "y": "v"}}, "map[k:map[y:v z:<nil>]]"),
        ([[1.0, 2.0], {"x": []}], "[[1 2] map[x:[]]]"),
    ],
)
def test_go_v_values(value: Any, text: str) -> None:
    assert go_v(value) == text


def test_go_v_time() -> None:
    assert go_v(datetime(2024, 1, 15, 10, 0, 0, tzinfo=UTC)) == "2024-01-15 10:00:00 +0000 UTC"
    later = datetime(2024, 1, 15, 10, 0, 0, 250000, tzinfo=timezone(timedelta(hours=-7)))
    assert go_v(later) == "2024-01-15 10:00:00.25 -0700 -0700"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_go_v_float_round_trips(value: float) -> None:
    text = go_v(value)
    assert float(text) == value
    assert "e" not in text or text[text.index("e") + 1] in "+-"


# --- %T -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "<nil>"),
        (True, "bool"),
        (3, "int"),
        (3.0, "float64"),
        ("s", "string"),
        ([], "[]interface {}"),
        ({}, "map[string]interface {}"),
        (datetime(2024, 1, 1, tzinfo=UTC), "time.Time"),
    ],
)
def test_go_type(value: Any, name: str) -> None:
    assert go_type(value) == name


def test_is_go_float_and_to_float64() -> None:
    assert is_go_float(1.0)
    assert not is_go_float(1)
    assert not is_go_float(True)
    assert to_float64(2) == 2.0
    assert to_float64(2.5) == 2.5
    assert to_float64("1e3") == 1000.0
    assert to_float64(" 1") is None
    assert to_float64(True) is None
    assert to_float64(None) is None
    assert to_float64([1.0]) is None
    assert to_float64(10**400) == math.inf
    assert to_float64(-(10**400)) == -math.inf


# --- strconv ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1e5", 1e5),
        (".5", 0.5),
        ("5.", 5.0),
        ("+.5", 0.5),
        ("-3", -3.0),
        ("+3", 3.0),
        ("007", 7.0),
        ("1E-2", 0.01),
        ("1_000", 1000.0),
        ("1_23.50_0_0e+1_2", 1.235e14),
        ("0x1p-2", 0.25),
        ("0X1.8P1", 3.0),
        ("0x_1_2.3_4_5p+1_2", 74565.0),
        ("1e-400", 0.0),
        ("Inf", math.inf),
        ("+Inf", math.inf),
        ("-inf", -math.inf),
        ("infinity", math.inf),
        ("-INFINITY", -math.inf),
    ],
)
def test_parse_go_float_accepts(text: str, value: float) -> None:
    assert parse_go_float(text) == value


@pytest.mark.parametrize("text", ["NaN", "nan", "NAN"])
def test_parse_go_float_nan(text: str) -> None:
    result = parse_go_float(text)
    assert result is not None and math.isnan(result)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-",
        "+",
        ".",
        "5px",
        " 1",
        "1 ",
        "1e",
        "1e+",
        "_1",
        "1_",
        "1__0",
        "1_.5",
        "1._5",
        "+nan",
        "-NaN",
        "infin",
        "infinityy",
        "0x10",
        "0x1e2",
        "0x",
        "0x_.8p0",
        "0b101",
        "1e400",
        "-1e400",
        "\u0661",
        "1,5",
        "1e5.0",
    ],
)
def test_parse_go_float_rejects(text: str) -> None:
    assert parse_go_float(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("-5", -5), ("+5", 5), ("007", 7), ("9223372036854775807", (1 << 63) - 1)],
)
def test_parse_go_int_accepts(text: str, value: int) -> None:
    assert parse_go_int(text) == value


@pytest.mark.parametrize("text", ["", "+", "1.0", "1_0", " 1", "9223372036854775808", "\u0661"])
def test_parse_go_int_rejects(text: str) -> None:
    assert parse_go_int(text) is None


def test_go_quote() -> None:
    assert go_quote('a"b\\c\n\té\x01') == '"a\\"b\\\\c\\n\\té\\x01"'


# --- durations ----------------------------------------------------------------------------

MS = 1_000_000
S = 1_000_000_000


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("300ms", 300 * MS),
        ("1.5h", 5400 * S),
        ("2h45m", 9900 * S),
        ("1h30m45.5s", 5445500 * MS),
        ("1us", 1000),
        ("1\u00b5s", 1000),
        ("1\u03bcs", 1000),
        ("10ns", 10),
        ("-1s", -S),
        ("+2s", 2 * S),
        ("1.s", S),
        (".5s", S // 2),
        ("0", 0),
        ("-0", 0),
        ("50", 50 * MS),
        ("-50", -50 * MS),
        ("+50", 50 * MS),
        ("1.0000000001s", S),
    ],
)
def test_parse_duration(text: str, ns: int) -> None:
    assert parse_duration(text) == ns


@pytest.mark.parametrize(
    "text", ["", "s", ".s", "1.5", "5 s", " 5s", "1d", "abc", "1h-5m", "9223372036854775808ns"]
)
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(NodeError) as info:
        parse_duration(text)
    assert str(info.value) == (
        f"invalid duration format: {text} (use formats like '5s', '10m', '1h')"
    )


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1000, "1\u00b5s"),
        (1500, "1.5\u00b5s"),
        (1_500_000, "1.5ms"),
        (100 * MS, "100ms"),
        (S, "1s"),
        (2500 * MS, "2.5s"),
        (S + 1, "1.000000001s"),
        (60 * S, "1m0s"),
        (90 * S, "1m30s"),
        (3600 * S, "1h0m0s"),
        (90061 * S, "25h1m1s"),
        (-1500 * MS, "-1.5s"),
        (-(1 << 63), "-2562047h47m16.854775808s"),
    ],
)
def test_format_duration(ns: int, text: str) -> None:
    assert format_duration(ns) == text


@given(st.integers(min_value=-(1 << 62), max_value=1 << 62))
def test_duration_round_trip(ns: int) -> None:
    assert parse_duration(format_duration(ns)) == ns


def test_timedelta_to_ns() -> None:
    assert timedelta_to_ns(timedelta(minutes=5)) == 300 * S
    assert timedelta_to_ns(timedelta(microseconds=-1)) == -1000


# --- encoding/json ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (15.0, "15"),
        (0.5, "0.5"),
        (-0.0, "-0"),
        (1e-7, "1e-7"),
        (1.5e-10, "1.5e-10"),
        (0.000001, "0.000001"),
        (0.00001, "0.00001"),
        (1e20, "100000000000000000000"),
        (123456789012345678901.0, "123456789012345680000"),
        (1e21, "1e+21"),
        (-1e21, "-1e+21"),
        (1e16, "10000000000000000"),
        (7, "7"),
        (True, "true"),
        (None, "null"),
    ],
)
def test_json_scalars(value: Any, text: str) -> None:
    assert go_json_dumps(value) == text


def test_json_strings_are_html_escaped_and_raw_unicode() -> None:
    text = go_json_dumps({"<k>": "a&b \u2028\u2029 é \n\t\x01 \ud800 \x7f"})
    assert text == ('{"\\u003ck\\u003e":"a\\u0026b \\u2028\\u2029 é \\n\\t\\u0001 \ufffd \x7f"}')


def test_json_sorted_keys_and_compact_form() -> None:
    assert go_json_dumps({"b": [1.0, 2.5], "a": {"d": None, "c": []}}) == (
        '{"a":{"c":[],"d":null},"b":[1,2.5]}'
    )


def test_json_indent_matches_marshal_indent() -> None:
    value = {"b": [1.0, {"x": "y"}], "a": {}, "c": []}
    assert go_json_dumps(value, indent=True) == (
        '{\n  "a": {},\n  "b": [\n    1,\n    {\n      "x": "y"\n    }\n  ],\n  "c": []\n}'
    )


def test_json_time_is_rfc3339() -> None:
    moment = datetime(
        2024, 1, 15, 10, 0, 0, 500000, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert go_json_dumps([moment]) == '["2024-01-15T10:00:00.5+05:30"]'
    assert go_json_dumps(datetime(2024, 1, 15, tzinfo=UTC)) == '"2024-01-15T00:00:00Z"'


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, "json: unsupported value: NaN"),
        ([math.inf], "json: unsupported value: +Inf"),
        ({"a": -math.inf}, "json: unsupported value: -Inf"),
    ],
)
def test_json_rejects_non_finite(value: Any, message: str) -> None:
    with pytest.raises(NodeError) as info:
        go_json_dumps(value)
    assert str(info.value) == message


def test_json_rejects_unknown_types() -> None:
    with pytest.raises(NodeError, match="unsupported type"):
        go_json_dumps({"a": object()})


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_json_values)
def test_json_round_trips_through_a_json_reader(value: Any) -> None:
    # Go writes large floats as integers (22874071984815770), so read every number as float.
    compact = go_json_dumps(value)
    expected = json.loads(json.dumps(value, ensure_ascii=False), parse_int=float)
    assert json.loads(compact, parse_int=float) == expected
    assert json.loads(go_json_dumps(value, indent=True), parse_int=float) == expected


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_json_float_is_shortest_and_round_trips(value: float) -> None:
    text = go_json_dumps(value)
    assert float(text) == value
    assert not text.endswith(".0")
    if "e" in text:
        assert abs(value) < 1e-6 or abs(value) >= 1e21
        assert "e-0" not in text and "e+0" not in text
