"""parse (AUTO detection, JSON, CSV/TSV, line YAML, XML root text) and format (JSON, CSV, TSV)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest

from pytest_wfsnap.engine.nodes.parse_format import (
    FormatExecutor,
    ParseExecutor,
    detect_format,
    to_text,
)
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes import run


def parse(value: Any, input_type: str | None = None) -> Any:
    data = {} if input_type is None else {"input_type": input_type}
    return run(ParseExecutor, data, [value])


def parse_error(value: Any, input_type: str | None = None) -> str:
    with pytest.raises(NodeError) as info:
        parse(value, input_type)
    return str(info.value)


# --- input to text and format detection -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("s", "s"),
        (42.0, "42"),
        (1e21, "1e+21"),
        (7, "7"),
        (True, "true"),
        (None, ""),
        ({"b": 1.0, "a": "<"}, '{"a":"\\u003c","b":1}'),
        ([1.5, None], "[1.5,null]"),
        ([math.nan], "[NaN]"),  # JSON encoding fails: Go falls back to %v
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), '"2024-01-02T03:04:05Z"'),
    ],
)
def test_to_text(value: Any, text: str) -> None:
    assert to_text(value) == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "JSON"),
        ('  {"a": 1}  ', "JSON"),
        ("[1, 2]", "JSON"),
        ("{a}", "JSON"),  # braces but invalid JSON, no other rule matches
        ("<a>1</a>", "XML"),
        ("[not json]>", "JSON"),
        ("name: Bob\nage: 42", "YAML"),
        ("name: Bob", "JSON"),  # one line is not YAML
        ("a\tb\n1\t2", "TSV"),
        ("a\tb,c\n1\t2", "CSV"),  # tabs must outnumber commas
        ("a,b\n1,2", "CSV"),
        ("a;b\n1;2", "JSON"),
        ("x,y", "JSON"),  # one line is not CSV
    ],
)
def test_detect_format(text: str, kind: str) -> None:
    assert detect_format(text)[0] == kind


def test_input_type_is_case_insensitive_and_defaults_to_auto() -> None:
    assert parse("true") is True
    assert parse("[1]", "json") == [1.0]
    assert parse("a,b\n1,2", "auto") == [{"a": 1.0, "b": 2.0}]


@pytest.mark.parametrize("input_type", ["", "INI", "csv2"])
def test_unsupported_input_type(input_type: str) -> None:
    assert parse_error("x", input_type) == (
        f"unsupported input type: {input_type.upper()} (supported: AUTO, JSON, CSV, TSV, YAML, XML)"
    )


def test_parse_needs_an_input() -> None:
    with pytest.raises(NodeError, match=r"^parse node requires input$"):
        run(ParseExecutor, {}, [])


# --- JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        (" false ", False),
        ("null", None),
        ("42.5", 42.5),
        ("0x1p-2", 0.25),  # Go ParseFloat syntax
        ("-Inf", -math.inf),
        (
            '{"name": "Al", "age": 30, "tags": [1, 2.5e1]}',
            {"name": "Al", "age": 30.0, "tags": [1.0, 25.0]},
        ),
        ("[1e400, -0]", ["1e400", -0.0]),  # too large for float64: the literal text
        ("[1, 2] trailing text", [1.0, 2.0]),  # only the first value is read
        ("12abc", 12.0),
        ("truex", True),
        ('"\\u00e9\\ud83d\\ude00"', "é😀"),
        ('"\\ud800 lone"', "\ufffd lone"),
        ('{"\\udc00": "k"}', {"\ufffd": "k"}),
    ],
)
def test_parse_json(text: str, expected: Any) -> None:
    result = parse(text, "JSON")
    assert result == expected
    if isinstance(expected, list):
        assert [type(item) for item in result] == [type(item) for item in expected]


def test_parse_json_numbers_are_floats() -> None:
    result = parse('{"n": 30}', "JSON")
    assert type(result["n"]) is float


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "EOF"),
        ("   ", "EOF"),
        ("{", "unexpected EOF"),
        ("[1, 2", "unexpected EOF"),
        ("1.", None),  # Go's ParseFloat accepts "1."
        ("1.e5x", "invalid character 'e' after decimal point in numeric literal"),
        ("-", "unexpected EOF"),
        ("abc", "invalid character 'a' looking for beginning of value"),
        ("[NaN]", "invalid character 'N' looking for beginning of value"),
        ("{'a': 1}", "invalid character '\\'' looking for beginning of object key string"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ('["a\tb"]', "invalid character '\\t' in string literal"),
        ("[1,]", "invalid character ']' looking for beginning of value"),
        ("tru", "unexpected EOF"),
        ("nul!", "invalid character '!' in literal null (expecting 'l')"),
    ],
)
def test_parse_json_errors(text: str, message: str | None) -> None:
    if message is None:
        assert parse(text, "JSON") == 1.0
        return
    assert parse_error(text, "JSON") == f"invalid JSON: {message}"


def test_parse_null_input_is_an_empty_document() -> None:
    assert parse_error(None) == "invalid JSON: EOF"


# --- CSV and TSV ------------------------------------------------------------------------------


def test_parse_csv_rows_become_a_list_of_objects() -> None:
    result = parse("name,age,active,note\nJohn,25,true,\nJane, 30 ,null,x y", "CSV")
    assert result == [
        {"name": "John", "age": 25.0, "active": True, "note": ""},
        {"name": "Jane", "age": 30.0, "active": None, "note": "x y"},
    ]
    assert isinstance(result, list)


def test_parse_csv_quoting_and_line_handling() -> None:
    text = 'a,b\r\n"x, y","say ""hi"""\n\n  "multi\nline",  z\n'
    assert parse(text, "CSV") == [
        {"a": "x, y", "b": 'say "hi"'},
        {"a": "multi\nline", "b": "z"},
    ]


def test_parse_csv_empty_and_header_only() -> None:
    assert parse("", "CSV") == []
    assert parse("a,b\n", "CSV") == []


def test_parse_csv_duplicate_headers_keep_the_last_value() -> None:
    assert parse("a,a\n1,2", "CSV") == [{"a": 2.0}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n3", "record on line 3: wrong number of fields"),
        ("a,b\n1,2\n  \n", "record on line 3: wrong number of fields"),  # white space only line
        ('a,b\n1,x"y', 'parse error on line 2, column 4: bare " in non-quoted-field'),
        ('a,b\n1,"x"y', 'parse error on line 2, column 5: extraneous or missing " in quoted-field'),
        (
            'a,b\n1,"open',
            'parse error on line 2, column 8: extraneous or missing " in quoted-field',
        ),
        (
            'a,b\n1,"open\nmore',
            "record on line 2; parse error on line 3, column 5: "
            'extraneous or missing " in quoted-field',
        ),
    ],
)
def test_parse_csv_errors(text: str, message: str) -> None:
    assert parse_error(text, "CSV") == f"invalid CSV/TSV: {message}"


def test_parse_tsv() -> None:
    assert parse("product\tprice\niPhone\t999.99\niPad\t799.99", "TSV") == [
        {"product": "iPhone", "price": 999.99},
        {"product": "iPad", "price": 799.99},
    ]


def test_parse_tsv_swallows_empty_fields_like_go() -> None:
    # TrimLeadingSpace also trims tabs, so an empty middle field disappears.
    assert parse_error("a\tb\tc\n1\t\t3", "TSV") == (
        "invalid CSV/TSV: record on line 2: wrong number of fields"
    )


# --- YAML and XML -----------------------------------------------------------------------------


def test_parse_yaml_is_line_based() -> None:
    text = "# comment\nname: Bob\nage: 42\n\nurl: http://x:80/a\nnested:\n  inner: true\nbare line"
    assert parse(text, "YAML") == {
        "name": "Bob",
        "age": 42.0,
        "url": "http://x:80/a",
        "nested": "",
        "inner": True,
    }


def test_parse_yaml_needs_a_pair() -> None:
    assert parse_error("# only\nno pairs here", "YAML") == "no valid YAML key-value pairs found"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<name>John</name>", {"name": "John"}),
        ("<n> 42 </n>", {"n": 42.0}),
        ("<a>x<b>ignored</b>y<!-- c -->z</a>", {"a": "xyz"}),
        ("<a><![CDATA[<raw> & ]]></a>", {"a": "<raw> &"}),
        ("<a>&lt;&amp;&#65;&#x42;&quot;</a>", {"a": '<&AB"'}),
        ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE a>\n<a k="v">t</a>', {"a": "t"}),
        ("<ns:root xmlns:ns='u'>v</ns:root>", {"root": "v"}),
        ("<empty/>", {"empty": ""}),
        ("<a>1</a><b>junk after the root", {"a": 1.0}),
        ("<a>true</a>", {"a": True}),
    ],
)
def test_parse_xml_root_text(text: str, expected: dict[str, Any]) -> None:
    assert parse(text, "XML") == expected


UNQUOTED = "XML syntax error on line 1: unquoted or missing attribute value in element"
LATIN1 = 'xml: encoding "latin1" declared but Decoder.CharsetReader is nil'
VERSION_11 = 'xml: unsupported version "1.1"; only version 1.0 is supported'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<unclosed>", "unknown type map[string]interface {}"),
        ("<a><b></a>", "unknown type map[string]interface {}"),
        ("<a>&bogus;</a>", "unknown type map[string]interface {}"),
        ("<a k=v>x</a>", UNQUOTED),
        ("", "EOF"),
        ("plain text", "EOF"),
        ("<", "XML syntax error on line 1: unexpected EOF"),
        ("<!-- never closed", "XML syntax error on line 1: unexpected EOF"),
        ("x\n\n</a>", "XML syntax error on line 3: unexpected end element </a>"),
        ("a &b c", "XML syntax error on line 1: invalid character entity &b (no semicolon)"),
        ('<?xml version="1.0" encoding="latin1"?><a/>', LATIN1),
        ('<?xml version="1.1"?><a/>', VERSION_11),
    ],
)
def test_parse_xml_errors(text: str, message: str) -> None:
    assert parse_error(text, "XML") == f"invalid XML: {message}"


# --- format -----------------------------------------------------------------------------------


def fmt(value: Any, **data: Any) -> Any:
    return run(FormatExecutor, data, [value])


def fmt_error(value: Any, **data: Any) -> str:
    with pytest.raises(NodeError) as info:
        fmt(value, **data)
    return str(info.value)


def test_format_json_compact_and_pretty() -> None:
    value = {"name": "John", "age": 30.0, "big": 1e21, "tiny": 1e-7, "html": "<&>", "u": "é"}
    assert fmt(value, output_type="JSON") == (
        '{"age":30,"big":1e+21,"html":"\\u003c\\u0026\\u003e","name":"John","tiny":1e-7,"u":"é"}'
    )
    assert fmt({"b": [1.0, {}], "a": True}, output_type="json", pretty_print=True) == (
        '{\n  "a": true,\n  "b": [\n    1,\n    {}\n  ]\n}'
    )


def test_format_json_errors() -> None:
    assert fmt_error([math.inf], output_type="JSON") == (
        "failed to format as JSON: json: unsupported value: +Inf"
    )


def test_format_errors() -> None:
    with pytest.raises(NodeError, match=r"^format node requires input$"):
        run(FormatExecutor, {"output_type": "JSON"}, [])
    assert fmt_error({}, output_type="xml") == (
        "unsupported output type: XML (supported: JSON, CSV, TSV)"
    )


ROWS = [{"name": "Alice", "age": 30.0}, {"name": "Bob", "city": "LA", "age": None}]


def test_format_csv_headers_are_the_sorted_union() -> None:
    assert fmt(ROWS, output_type="CSV") == "age,city,name\n30,,Alice\n,LA,Bob\n"
    assert fmt(ROWS, output_type="CSV", include_headers=False) == "30,,Alice\n,LA,Bob\n"


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (10.5, "10.5"),
        (20.0, "20"),
        (-0.0, "0"),
        (1e20, "1e+20"),
        (-(2.0**63), "-9223372036854775808"),
        (2.0**63, "9.223372036854776e+18"),
        (math.nan, "NaN"),
        (7, "7"),
        (True, "true"),
        ({"k": [1.0]}, '"{""k"":[1]}"'),
        ([1.0, "a"], '"[1,""a""]"'),
        ("plain", "plain"),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("two\nlines", '"two\nlines"'),
        ("cr\rhere", '"cr\rhere"'),
        (" lead", '" lead"'),
        ("\u00a0nbsp", '"\u00a0nbsp"'),
        ("\\.", '"\\."'),
        ("", ""),
    ],
)
def test_format_csv_cells(cell: Any, text: str) -> None:
    assert fmt({"v": cell}, output_type="CSV", include_headers=False) == text + "\n"


def test_format_csv_delimiters() -> None:
    assert fmt(ROWS[:1], output_type="CSV", delimiter=";") == "age;name\n30;Alice\n"
    assert fmt([{"a": "x;y", "b": "1"}], output_type="CSV", delimiter=";") == 'a;b\n"x;y";1\n'
    # Only the first byte of the delimiter counts (é starts with byte 0xC3, i.e. "Ã").
    assert fmt(ROWS[:1], output_type="CSV", delimiter="é") == "ageÃname\n30ÃAlice\n"
    assert fmt(ROWS[:1], output_type="TSV", delimiter=";") == "age\tname\n30\tAlice\n"
    assert fmt([{"a": "x\ty"}], output_type="TSV") == 'a\n"x\ty"\n'


@pytest.mark.parametrize(("include", "what"), [(True, "headers"), (False, "row")])
def test_format_csv_invalid_delimiter(include: bool, what: str) -> None:
    assert fmt_error(ROWS, output_type="CSV", delimiter='"', include_headers=include) == (
        f"failed to write CSV {what}: csv: invalid field or comment delimiter"
    )


def test_format_csv_accepted_shapes() -> None:
    assert fmt([], output_type="CSV") == ""
    assert fmt({"b": 2.0, "a": 1.0}, output_type="TSV") == "a\tb\n1\t2\n"


ELEMENT_OF_TYPE = "CSV formatting requires array of objects, got array element of type"
OBJECTS_OR_OBJECT = "CSV formatting requires array of objects or single object, got"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([{"a": 1.0}, 5.0], f"{ELEMENT_OF_TYPE} float64"),
        ([[1.0]], f"{ELEMENT_OF_TYPE} []interface {{}}"),
        ("text", f"{OBJECTS_OR_OBJECT} string"),
        (None, f"{OBJECTS_OR_OBJECT} <nil>"),
    ],
)
def test_format_csv_shape_errors(value: Any, message: str) -> None:
    assert fmt_error(value, output_type="CSV") == message


def test_parse_format_round_trip() -> None:
    text = fmt(ROWS, output_type="CSV")
    assert parse(text, "CSV") == [
        {"age": 30.0, "city": "", "name": "Alice"},
        {"age": "", "city": "LA", "name": "Bob"},
    ]
