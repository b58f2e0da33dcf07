"""Response bodies to node results: content types, Go JSON Decoder semantics and errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_wfsnap.engine.nodes.http_body import (
    body_to_result,
    decode_first_json_value,
    is_json_content_type,
    scan_first_value,
)
from pytest_wfsnap.errors import HTTPNodeError


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("APPLICATION/JSON", True),
        ("application/ld+json", True),
        (" application/geo+json ;x=y", True),
        ("application/jsonp", False),
        ("text/json", False),
        ("text/plain; charset=utf-8", False),
        ("application/json-seq", False),
    ],
)
def test_json_content_types(content_type: str, expected: bool) -> None:
    assert is_json_content_type(content_type) is expected


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "EOF"),
        (b"  \n\t", "EOF"),
        (b"{", "unexpected EOF"),
        (b'{"a"', "unexpected EOF"),
        (b'{"a":', "unexpected EOF"),
        (b"[1,", "unexpected EOF"),
        (b'"abc', "unexpected EOF"),
        (b"-", "unexpected EOF"),
        (b"1.", "unexpected EOF"),
        (b"1e+", "unexpected EOF"),
        (b"tr", "unexpected EOF"),
        (b"x", "invalid character 'x' looking for beginning of value"),
        (b"[1,]", "invalid character ']' looking for beginning of value"),
        (b"{,}", "invalid character ',' looking for beginning of object key string"),
        (b'{"a",}', "invalid character ',' after object key"),
        (b'{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
        (b"[1 2]", "invalid character '2' after array element"),
        (b'"a\x01"', "invalid character '\\x01' in string literal"),
        (b'"\\x"', "invalid character 'x' in string escape code"),
        (b'"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"),
        (b"-a", "invalid character 'a' in numeric literal"),
        (b"1.e5", "invalid character 'e' after decimal point in numeric literal"),
        (b"1e+x", "invalid character 'x' in exponent of numeric literal"),
        (b"trve", "invalid character 'v' in literal true (expecting 'u')"),
        (b"nul!", "invalid character '!' in literal null (expecting 'l')"),
        (b"fals", "unexpected EOF"),
        (b"NaN", "invalid character 'N' looking for beginning of value"),
        (b"\xff", "invalid character 'ÿ' looking for beginning of value"),
        (b"'a'", "invalid character '\\'' looking for beginning of value"),
    ],
)
def test_go_decoder_errors(body: bytes, error: str) -> None:
    with pytest.raises(HTTPNodeError) as info:
        decode_first_json_value(body)
    assert str(info.value) == error


@pytest.mark.parametrize(
    ("body", "value"),
    [
        (b'  {"a": [1, 2.5, -0, 1e3]} tail', {"a": [1.0, 2.5, -0.0, 1000.0]}),
        (b"01", 0.0),
        (b"[]]", []),
        (b'{"k": 1, "k": 2}', {"k": 2.0}),
        (b'"\\ud800x"', "\ufffdx"),
        (b'"\\ud83d\\ude00"', "\U0001f600"),
        (b'"caf\xc3\xa9"', "café"),
        (b'"bad \xff byte"', "bad \ufffd byte"),
        (b"true false", True),
        (b"null", None),
    ],
)
def test_first_value_semantics(body: bytes, value: object) -> None:
    assert decode_first_json_value(body) == value


def test_numbers_are_floats() -> None:
    result = decode_first_json_value(b'{"i": 7, "big": 12345678901234567890}')
    assert type(result["i"]) is float
    assert result["big"] == float(12345678901234567890)


def test_deep_nesting_limit() -> None:
    body = b"[" * 10001
    with pytest.raises(HTTPNodeError, match="exceeded max depth"):
        scan_first_value(body)


def test_body_to_result_rules() -> None:
    assert body_to_result("application/json", b'{"a": 1}') == {"a": 1.0}
    assert body_to_result("text/plain", b'{"a": 1}') == '{"a": 1}'
    assert body_to_result(None, b" [1] ") == [1.0]
    assert body_to_result("", b"{oops") == "{oops"
    assert body_to_result(None, b"plain") == "plain"
    assert body_to_result(None, b"") == ""
    with pytest.raises(HTTPNodeError, match=r"^failed to parse JSON response: EOF$"):
        body_to_result("application/json", b"")


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )
)
def test_valid_json_round_trips(value: object) -> None:
    text = json.dumps(value)
    start, end = scan_first_value(text.encode())
    assert (start, end) == (0, len(text.encode()))
    assert decode_first_json_value(text.encode()) == value
