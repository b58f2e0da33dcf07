"""schema_validator: results, Go-shaped error records, formats, schema and input problems."""

from __future__ import annotations

import math
from typing import Any

import pytest

from pytest_wfsnap.engine.nodes import validation
from pytest_wfsnap.engine.nodes.validation import SchemaValidatorExecutor, validate
from pytest_wfsnap.engine.nodes.validation_formats import (
    go_format_checker,
    is_date,
    is_date_time,
    is_email,
    is_hostname,
    is_time,
    is_uri,
    is_uri_reference,
)
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes_family2 import fails_with, run

NOT_A_SCHEMA = "schema validation failed: Expected: valid schema, given: Invalid JSON"
PROFILE = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1.0},
        "age": {"type": "number", "minimum": 0.0, "maximum": 150.0},
        "email": {"type": "string", "pattern": "^[a-z]+@[a-z]+\\.[a-z]{2,}$"},
    },
    "required": ["name", "email"],
}


def test_module_exports() -> None:
    assert [SchemaValidatorExecutor] == validation.EXECUTORS


def test_valid_input_is_returned_as_data() -> None:
    data = {"name": "x", "age": 3.0}
    assert run(
        SchemaValidatorExecutor, {"schema": {"type": "object", "required": ["name"]}}, [data]
    ) == {"valid": True, "data": data}


def test_invalid_input_lists_go_shaped_errors() -> None:
    data = {"age": 3.0}
    result = run(
        SchemaValidatorExecutor, {"schema": {"type": "object", "required": ["name"]}}, [data]
    )
    assert result == {
        "valid": False,
        "data": data,
        "errors": [
            {"field": "name", "type": "required", "description": "name is required", "value": data}
        ],
    }


def test_strict_mode_fails_with_the_error_count() -> None:
    data = {"name": "", "age": 200.0, "email": "bad"}
    with fails_with("validation failed: 3 errors found"):
        run(SchemaValidatorExecutor, {"schema": PROFILE, "strict": True}, [data])
    valid = {"name": "Jane", "email": "jane@example.com"}
    assert run(SchemaValidatorExecutor, {"schema": PROFILE, "strict": True}, [valid])["valid"]


def test_errors_follow_gos_walk_order() -> None:
    data = {"name": "", "age": 200.0, "email": "bad", "extra": 1.0}
    schema = dict(PROFILE, required=["name", "email", "phone"])
    errors = validate(schema, data)
    assert errors == [
        {"field": "phone", "type": "required", "description": "phone is required", "value": data},
        {
            "field": "name",
            "type": "string_gte",
            "description": "String length must be greater than or equal to 1",
            "value": "",
        },
        {
            "field": "age",
            "type": "number_lte",
            "description": "Must be less than or equal to 150",
            "value": 200.0,
        },
        {
            "field": "email",
            "type": "pattern",
            "description": "Does not match pattern '^[a-z]+@[a-z]+\\.[a-z]{2,}$'",
            "value": "bad",
        },
    ]


@pytest.mark.parametrize(
    ("schema", "document", "expected"),
    [
        (
            {"type": "number"},
            "x",
            ("(root)", "invalid_type", "Invalid type. Expected: number, given: string"),
        ),
        (
            {"type": ["string", "null"]},
            5.0,
            ("(root)", "invalid_type", "Invalid type. Expected: [string,null], given: integer"),
        ),
        (
            {"type": "integer"},
            5.5,
            ("(root)", "invalid_type", "Invalid type. Expected: integer, given: number"),
        ),
        (
            {"type": "object"},
            [1.0],
            ("(root)", "invalid_type", "Invalid type. Expected: object, given: array"),
        ),
        (
            {"type": "string"},
            True,
            ("(root)", "invalid_type", "Invalid type. Expected: string, given: boolean"),
        ),
        (
            {"enum": ["a", "b", 1.0]},
            "c",
            ("(root)", "enum", '(root) must be one of the following: "a", "b", 1'),
        ),
        ({"const": {"a": 1.0}}, "c", ("(root)", "const", '(root) does not match: {"a":1}')),
        (
            {"minLength": 3.0},
            "ab",
            ("(root)", "string_gte", "String length must be greater than or equal to 3"),
        ),
        (
            {"maxLength": 1.0},
            "ab",
            ("(root)", "string_lte", "String length must be less than or equal to 1"),
        ),
        ({"minimum": 10.0}, 5.0, ("(root)", "number_gte", "Must be greater than or equal to 10")),
        ({"maximum": 1.5}, 5.0, ("(root)", "number_lte", "Must be less than or equal to 1.5")),
        ({"exclusiveMinimum": 5.0}, 5.0, ("(root)", "number_gt", "Must be greater than 5")),
        ({"exclusiveMaximum": 5.0}, 5.0, ("(root)", "number_lt", "Must be less than 5")),
        (
            {"minimum": 5.0, "exclusiveMinimum": True},
            5.0,
            ("(root)", "number_gt", "Must be greater than 5"),
        ),
        (
            {"maximum": 5.0, "exclusiveMaximum": True},
            5.0,
            ("(root)", "number_lt", "Must be less than 5"),
        ),
        ({"multipleOf": 0.5}, 5.2, ("(root)", "multiple_of", "Must be a multiple of 0.5")),
        (
            {"minItems": 2.0},
            [1.0],
            ("(root)", "array_min_items", "Array must have at least 2 items"),
        ),
        (
            {"maxItems": 0.0},
            [1.0],
            ("(root)", "array_max_items", "Array must have at most 0 items"),
        ),
        (
            {"minProperties": 2.0},
            {"a": 1.0},
            ("(root)", "array_min_properties", "Must have at least 2 properties"),
        ),
        (
            {"maxProperties": 0.0},
            {"a": 1.0},
            ("(root)", "array_max_properties", "Must have at most 0 properties"),
        ),
        (
            {"contains": {"type": "string"}},
            [1.0],
            ("(root)", "contains", "At least one of the items must match"),
        ),
        (
            {"not": {"type": "number"}},
            5.0,
            ("(root)", "number_not", "Must not validate the schema (not)"),
        ),
        (
            {"oneOf": [{"type": "number"}, {"minimum": 0.0}]},
            5.0,
            ("(root)", "number_one_of", "Must validate one and only one schema (oneOf)"),
        ),
        ({"format": "email"}, "nope", ("(root)", "format", "Does not match format 'email'")),
        (
            {"format": "date-time"},
            "2024-13-01T00:00:00Z",
            ("(root)", "format", "Does not match format 'date-time'"),
        ),
        (
            {"items": [{"type": "string"}], "additionalItems": False},
            ["a", 1.0],
            ("(root)", "array_no_additional_items", "No additional items allowed on array"),
        ),
        (
            {"properties": {"a": {"properties": {"b": {"type": "string"}}}}},
            {"a": {"b": 1.0}},
            ("a.b", "invalid_type", "Invalid type. Expected: string, given: integer"),
        ),
        (
            {"items": {"type": "string"}},
            ["a", 2.5],
            ("1", "invalid_type", "Invalid type. Expected: string, given: number"),
        ),
        (
            {"$ref": "#/definitions/s", "definitions": {"s": {"type": "string"}}},
            1.0,
            ("(root)", "invalid_type", "Invalid type. Expected: string, given: integer"),
        ),
    ],
)
def test_single_error_records(
    schema: dict[str, Any], document: Any, expected: tuple[str, str, str]
) -> None:
    errors = validate(schema, document)
    assert [(e["field"], e["type"], e["description"]) for e in errors] == [expected]


def test_a_wrong_type_hides_the_other_checks_of_that_value() -> None:
    schema = {"type": "string", "enum": ["a"], "minLength": 3.0, "not": {"type": "number"}}
    assert [e["type"] for e in validate(schema, 5.0)] == ["invalid_type"]
    assert [e["type"] for e in validate(schema, "b")] == ["enum", "string_gte"]
    nested = {"properties": {"a": {"type": "object", "required": ["x"], "minProperties": 2.0}}}
    assert [e["field"] for e in validate(nested, {"a": 5.0})] == ["a"]


def test_errors_expanded_per_property_and_duplicate() -> None:
    document = {"a": 1.0, "b": 2.0, "c": [1.0]}
    schema = {"properties": {"a": {}}, "additionalProperties": False, "required": ["x", "y"]}
    assert validate(schema, document) == [
        {"field": "x", "type": "required", "description": "x is required", "value": document},
        {"field": "y", "type": "required", "description": "y is required", "value": document},
        {
            "field": "b",
            "type": "additional_property_not_allowed",
            "description": "Additional property b is not allowed",
            "value": 2.0,
        },
        {
            "field": "c",
            "type": "additional_property_not_allowed",
            "description": "Additional property c is not allowed",
            "value": [1.0],
        },
    ]
    items = [1.0, "x", 1.0, 1.0]
    assert [e["description"] for e in validate({"uniqueItems": True}, items)] == [
        "array items[0,2] must be unique",
        "array items[2,3] must be unique",
    ]
    deps = validate({"dependencies": {"a": ["b", "c"]}}, {"a": 1.0})
    assert [(e["type"], e["description"]) for e in deps] == [
        ("missing_dependency", "Has a dependency on b"),
        ("missing_dependency", "Has a dependency on c"),
    ]


def test_pattern_properties_are_not_additional() -> None:
    schema = {"patternProperties": {"^x-": {}}, "additionalProperties": False}
    assert [e["field"] for e in validate(schema, {"x-a": 1.0, "y": 2.0})] == ["y"]


def test_wrapper_errors() -> None:
    all_of = {"allOf": [{"minimum": 10.0}, {"multipleOf": 3.0}], "maximum": 1.0}
    assert [e["type"] for e in validate(all_of, 5.0)] == [
        "number_gte",
        "multiple_of",
        "number_all_of",
        "number_lte",
    ]
    condition = {
        "if": {"properties": {"a": {"const": 1.0}}},
        "then": {"required": ["b"]},
        "else": {"required": ["c"]},
    }
    assert [(e["field"], e["type"]) for e in validate(condition, {"a": 1.0})] == [
        ("(root)", "condition_then"),
        ("b", "required"),
    ]
    assert [(e["field"], e["type"]) for e in validate(condition, {"a": 2.0})] == [
        ("(root)", "condition_else"),
        ("c", "required"),
    ]
    names = validate({"propertyNames": {"maxLength": 2.0}}, {"abc": 1.0, "ab": 2.0})
    assert [(e["field"], e["type"]) for e in names] == [
        ("abc", "invalid_property_name"),
        ("(root)", "string_lte"),
    ]
    assert names[0]["description"] == 'Property name of "abc" does not match'


def test_any_of_reports_the_closest_branch() -> None:
    schema = {"anyOf": [{"type": "string"}, {"type": "object", "required": ["q", "r"]}]}
    document = {"a": 5.0}
    assert validate(schema, document) == [
        {
            "field": "(root)",
            "type": "number_any_of",
            "description": "Must validate at least one schema (anyOf)",
            "value": document,
        },
        {
            "field": "(root)",
            "type": "invalid_type",
            "description": "Invalid type. Expected: string, given: object",
            "value": document,
        },
    ]


def test_boolean_schemas() -> None:
    assert validate(True, {"anything": 1.0}) == []
    assert validate(False, 1.0) == [
        {
            "field": "(root)",
            "type": "false",
            "description": "False always fails validation",
            "value": 1.0,
        }
    ]


def test_values_are_compared_after_go_json_encoding() -> None:
    # Engine ints and floats encode alike; 3.0 is an integer for JSON Schema.
    assert validate({"type": "integer"}, 3.0) == []
    assert validate({"type": "integer"}, 3) == []
    schema = {"type": "array", "items": {"type": "integer"}}
    result = run(SchemaValidatorExecutor, {"schema": schema}, [[1, 2.0]])
    assert result["valid"] is True


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (5.0, NOT_A_SCHEMA),
        ("invalid", NOT_A_SCHEMA),
        (
            [{"type": "string"}],
            "schema validation failed: Expected: valid schema, given: Invalid JSON",
        ),
    ],
)
def test_unusable_schemas(schema: Any, message: str) -> None:
    with fails_with(message):
        run(SchemaValidatorExecutor, {"schema": schema}, [1.0])


@pytest.mark.parametrize(
    "schema",
    [{"type": "foo"}, {"$ref": "http://example.com/schema"}, {"$ref": "#"}, {"minLength": -1.0}],
)
def test_broken_schemas_fail_clearly(schema: dict[str, Any]) -> None:
    with pytest.raises(NodeError, match=r"^schema validation failed: "):
        run(SchemaValidatorExecutor, {"schema": schema}, [1.0])


def test_input_problems() -> None:
    with fails_with("no input provided for validation"):
        run(SchemaValidatorExecutor, {"schema": {"type": "object"}}, [])
    with fails_with("no input provided for validation"):
        run(SchemaValidatorExecutor, {"schema": {"type": "object"}}, [None])
    with fails_with("schema not provided"):
        run(SchemaValidatorExecutor, {}, [1.0])
    with fails_with("failed to serialize input: json: unsupported value: NaN"):
        run(SchemaValidatorExecutor, {"schema": {"type": "number"}}, [[math.nan]])
    with fails_with("invalid schema format: json: unsupported value: +Inf"):
        run(SchemaValidatorExecutor, {"schema": {"maximum": math.inf}}, [1.0])
    with fails_with("expected SchemaValidatorData, got <nil>"):
        run(SchemaValidatorExecutor, None, [1.0])


# --- formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (is_date, ["2024-02-29", "1999-12-31"], ["2023-02-29", "2024-1-01", "2024-13-01", ""]),
        (
            is_time,
            ["23:59:59", "12:00:00.5", "12:00:00Z", "12:00:00+05:30"],
            ["24:00:00", "12:60:00", "12:00", "12:00:00 Z", "12:00:00+25:00"],
        ),
        (
            is_date_time,
            ["2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123-07:00", "2024-01-02", "03:04:05"],
            ["2024-01-02 03:04:05Z", "2024-01-02T03:04:05", "nope"],
        ),
        (is_hostname, ["example.com", "a", "a-b.c"], ["-bad", "bad-.com", "a..b", "x" * 300]),
        (is_email, ["a@b.c", "Jane <jane@example.com>"], ["nope", "@b.c", "a@"]),
        (
            is_uri,
            ["http://x.com/a b", "mailto:a@b.c", "urn:isbn:1"],
            ["no scheme", "/relative", "http://x.com/%zz", "http:\\\\x", ":x"],
        ),
        (is_uri_reference, ["/relative", "a/b?c#d", "http://x"], ["%zz", "a\\b", "\x01"]),
    ],
)
def test_format_checks(check: Any, good: list[str], bad: list[str]) -> None:
    assert [check(text) for text in good] == [True] * len(good)
    assert [check(text) for text in bad] == [False] * len(bad)


def test_format_checker_knows_gos_formats_and_passes_unknown_ones() -> None:
    checker = go_format_checker()
    assert checker.conforms("abc", "uuid") is False
    assert checker.conforms("123e4567-e89b-12d3-a456-426614174000", "uuid") is True
    assert checker.conforms("/a/b~0", "json-pointer") is True
    assert checker.conforms("a/b", "json-pointer") is False
    assert checker.conforms("0#", "relative-json-pointer") is True
    assert checker.conforms("http://x/{a}", "uri-template") is True
    assert checker.conforms("http://x/{a", "uri-template") is False
    assert checker.conforms("(", "regex") is False
    assert checker.conforms("1.2.3.4", "ipv4") is True
    assert checker.conforms("::1", "ipv4") is False
    assert checker.conforms("::1", "ipv6") is True
    assert checker.conforms("whatever", "made-up-format") is True
    assert checker.conforms(5.0, "email") is True
