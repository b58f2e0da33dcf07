"""Payload decoding: Go encoding/json semantics, type inference, data structs, messages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_wfsnap.engine.datatypes import STRUCTS, infer_type
from pytest_wfsnap.engine.decode import decode_payload
from pytest_wfsnap.errors import PayloadError

P = "failed to parse payload: "


def node(data: Any, node_type: str | None = None, node_id: str = "n") -> dict[str, Any]:
    out: dict[str, Any] = {"id": node_id, "data": data}
    if node_type is not None:
        out["type"] = node_type
    return out


def decode_one(data: Any, node_type: str | None = None) -> Any:
    return decode_payload({"nodes": [node(data, node_type)]}).nodes[0]


def error_of(payload: Any) -> str:
    with pytest.raises(PayloadError) as raised:
        decode_payload(payload)
    return str(raised.value)


# --- type inference (B1.2) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"value": 1, "text": "x"}, "number"),
        ({"value": None}, "number"),
        ({"text": "x", "mode": "m"}, "text_input"),
        ({"boolean_value": True}, "boolean_input"),
        ({"date_value": "2024-01-01"}, "date_input"),
        ({"datetime_value": "x"}, "datetime_input"),
        ({"mode": "table", "op": "add"}, "visualization"),
        ({"op": "add", "url": "u"}, "operation"),
        ({"text_op": "uppercase"}, "text_operation"),
        ({"url": "http://x", "condition": "c"}, "http"),
        ({"condition": ">5", "true_path": "a"}, "condition"),
        ({"condition": ">5"}, "filter"),
        ({"expression": "x", "initial_value": 0}, "reduce"),
        ({"expression": "input * 2"}, "expression"),
        ({"expression": "", "field": "a"}, "extract"),
        ({"expression": 5}, ""),
        ({"var_name": "a", "var_op": "set"}, "variable"),
        ({"var_name": "a"}, ""),
        ({"field": "a"}, "extract"),
        ({"fields": ["a"]}, "extract"),
        ({"transform_type": "to_array"}, "transform"),
        ({"accum_op": "sum"}, "accumulator"),
        ({"counter_op": "increment"}, "counter"),
        ({"cases": []}, "switch"),
        ({"join_strategy": "all"}, "join"),
        ({"paths": ["a"]}, "split"),
        ({"duration": "1s"}, "delay"),
        ({"cache_op": "get", "cache_key": "k"}, "cache"),
        ({"cache_op": "get"}, ""),
        ({"context_name": "x"}, "context_variable"),
        ({"context_values": []}, "context_variable"),
        ({"max_attempts": 3}, "retry"),
        ({"backoff_strategy": "linear"}, "retry"),
        ({"fallback_value": 1}, "try_catch"),
        ({"continue_on_error": True}, "try_catch"),
        ({"timeout": "1s", "timeout_action": "error"}, "timeout"),
        ({"timeout": "1s"}, ""),
        ({"Value": 1}, ""),
        ({}, ""),
    ],
)
def test_inference_follows_the_ordered_key_table(data: dict[str, Any], expected: str) -> None:
    assert infer_type(data) == expected


def test_inferred_type_is_used_and_data_kept_raw() -> None:
    spec = decode_one({"value": 10, "label": "ten", "position": {"x": 1}})
    assert spec.type == "number"
    assert spec.data == {"value": 10.0, "label": "ten", "position": {"x": 1.0}}
    assert spec.params == {"label": "ten", "value": 10.0}


def test_given_type_wins_and_missing_data_stays_uninferred() -> None:
    assert decode_one({"value": 1}, "visualization").type == "visualization"
    bare = decode_payload({"nodes": [{"id": "x"}, {"id": "y", "data": None}]}).nodes
    assert [(n.type, n.data, n.params) for n in bare] == [("", None, None), ("", None, None)]


def test_unknown_type_keeps_custom_data_whole() -> None:
    spec = decode_one({"factor": 3, "nested": {"a": [1]}}, "multiply_by")
    assert spec.type == "multiply_by"
    assert spec.params == spec.data == {"factor": 3.0, "nested": {"a": [1.0]}}


def test_uninferable_data_is_custom_with_empty_type() -> None:
    spec = decode_one({"whatever": 1})
    assert (spec.type, spec.params) == ("", {"whatever": 1.0})


# --- Go struct decoding ---------------------------------------------------------------------


def test_struct_keys_match_case_insensitively() -> None:
    assert decode_one({"VALUE": 3}, "number").params["value"] == 3.0
    assert decode_one({"Text_Op": "uppercase", "REPEAT_N": 2}, "text_operation").params == {
        "label": "",
        "text_op": "uppercase",
        "separator": "",
        "repeat_n": 2,
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"value": 1, "Value": 2}', 2.0),
        ('{"Value": 2, "value": 1}', 1.0),
        ('{"value": 1, "Value": 2, "value": 3}', 3.0),
        ('{"value": 1, "value": null, "VALUE": 4}', 4.0),
    ],
)
def test_duplicate_and_folded_keys_last_one_wins(raw: str, expected: float) -> None:
    text = '{"nodes": [{"id": "n", "type": "number", "data": ' + raw + "}]}"
    params = decode_payload(text).nodes[0].params
    assert params is not None and params["value"] == expected


def test_a_bad_value_under_an_earlier_duplicate_key_still_fails() -> None:
    text = '{"nodes": [{"id": "n", "type": "number", "data": {"value": "x", "value": 1}}]}'
    assert "NumberData.value of type float64" in error_of(text)


def test_null_after_a_value_unsets_a_required_field() -> None:
    text = '{"nodes": [{"id": "n", "type": "number", "data": {"value": 1, "value": null}}]}'
    assert error_of(text).endswith("missing required field: value")


def test_unknown_keys_are_ignored_everywhere() -> None:
    payload = decode_payload(
        {
            "name": "demo",
            "Workflow_ID": "wf",
            "nodes": [{"id": "a", "position": {"x": 1}, "data": {"value": 1, "extra": 2}}],
            "edges": [{"SOURCE": "a", "target": "a", "animated": True}],
        }
    )
    assert payload.workflow_id == "wf"
    assert payload.nodes[0].params == {"label": "", "value": 1.0}
    assert (payload.edges[0].source, payload.edges[0].target) == ("a", "a")


@pytest.mark.parametrize(
    "doc", [{}, {"nodes": None, "edges": None}, "null", b"{}", '{"nodes": [], "edges": []}']
)
def test_missing_or_null_lists_are_empty(doc: Any) -> None:
    payload = decode_payload(doc)
    assert (payload.nodes, payload.edges, payload.workflow_id) == ([], [], "")


def test_every_number_is_a_float() -> None:
    text = '{"nodes": [{"id": "r", "type": "range", "data": {"start": 1, "end": [2, {"x": 3}]}}]}'
    spec = decode_payload(text.encode()).nodes[0]
    assert spec.params is not None and spec.data is not None
    assert type(spec.params["start"]) is float
    assert spec.data["end"] == [2.0, {"x": 3.0}]
    assert type(spec.data["end"][1]["x"]) is float


def test_dict_payloads_are_normalised_copies() -> None:
    data = {"value": 5, "items": (1, 2)}
    spec = decode_one(data, "custom")
    assert spec.data == {"value": 5.0, "items": [1.0, 2.0]}
    assert type(spec.data["value"]) is float
    spec.data["value"] = 0.0
    assert data["value"] == 5


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({1: "x"}, "object keys must be strings, got int at payload.nodes[0].data"),
        ({"x": float("nan")}, "json: unsupported value: NaN at payload.nodes[0].data.x"),
        (
            {"x": [1, object()]},
            "unsupported value of type object (payloads hold only JSON values) "
            "at payload.nodes[0].data.x[1]",
        ),
        ({"x": 10**400}, "number too large: 1" + "0" * 400 + " at payload.nodes[0].data.x"),
    ],
)
def test_dict_payloads_reject_non_json_values(bad: Any, reason: str) -> None:
    assert error_of({"nodes": [node(bad, "custom")]}) == P + reason


def test_int_fields_become_ints_and_reject_fractions() -> None:
    assert decode_one({"text_op": "repeat", "repeat_n": 3}).params["repeat_n"] == 3
    assert type(decode_one({"text_op": "repeat", "repeat_n": 3}).params["repeat_n"]) is int
    message = error_of({"nodes": [node({"text_op": "repeat", "repeat_n": 2.5})]})
    assert message == (
        P + "failed to unmarshal data for node n (type text_operation): json: cannot unmarshal "
        "number 2.5 into Go struct field TextOperationData.repeat_n of type int"
    )


@pytest.mark.parametrize(
    ("data", "node_type", "reason"),
    [
        (
            {"value": "ten"},
            "number",
            "json: cannot unmarshal string into Go struct field NumberData.value of type float64",
        ),
        (
            {"text": 5},
            "text_input",
            "json: cannot unmarshal number into Go struct field TextInputData.text of type string",
        ),
        (
            {"condition": "x", "return_index": "yes"},
            "find",
            "json: cannot unmarshal string into Go struct field FindData.return_index of type bool",
        ),
        (
            {"fields": "a"},
            "extract",
            "json: cannot unmarshal string into Go struct field ExtractData.fields of type "
            "[]string",
        ),
        (
            {"fields": ["a", 1]},
            "extract",
            "json: cannot unmarshal number into Go struct field ExtractData.fields of type string",
        ),
        (
            {"cases": [{"when": 1}]},
            "switch",
            "json: cannot unmarshal number into Go struct field SwitchCase.cases.when of type "
            "string",
        ),
        (
            {"cases": [3]},
            "switch",
            "json: cannot unmarshal number into Go struct field SwitchData.cases of type "
            "types.SwitchCase",
        ),
        (
            {"value": 1, "label": {}},
            "number",
            "json: cannot unmarshal object into Go struct field NumberData.label of type string",
        ),
        (
            {"label": 1},
            "my_custom",
            "json: cannot unmarshal number into Go struct field CustomExecutorData.label of type "
            "string",
        ),
        ([1], "number", "json: cannot unmarshal array into Go value of type types.NumberData"),
        ("x", "", "json: cannot unmarshal string into Go value of type types.CustomExecutorData"),
    ],
)
def test_wrong_json_types_give_go_messages(data: Any, node_type: str, reason: str) -> None:
    message = error_of({"nodes": [node(data, node_type)]})
    assert message == f"{P}failed to unmarshal data for node n (type {node_type}): {reason}"


def test_interface_fields_accept_anything() -> None:
    spec = decode_one({"size": "3"}, "chunk")
    assert spec.params["size"] == "3"


@pytest.mark.parametrize(
    ("data", "node_type", "field"),
    [
        ({}, "number", "value"),
        ({"value": None}, "number", "value"),
        ({"text": None}, "text_input", "text"),
        ({}, "operation", "op"),
        ({}, "http", "url"),
        ({}, "filter", "condition"),
        ({"initial_value": 0}, "reduce", "expression"),
        ({"size": None}, "chunk", "size"),
        ({"start": 1}, "range", "start and end"),
        ({"var_op": "set"}, "variable", "var_name"),
        ({"var_name": "x"}, "variable", "var_op"),
        ({"fields": []}, "extract", "field or fields"),
        ({"paths": []}, "split", "paths"),
        ({"cache_key": "k"}, "cache", "cache_op"),
        ({"cache_op": "get"}, "cache", "cache_key"),
        ({"per_duration": "1s"}, "rate_limiter", "max_requests"),
        ({"max_requests": 1}, "rate_limiter", "per_duration"),
        ({"context_values": []}, "context_constant", "context_values or context_name"),
        ({"offset_param": "o"}, "paginator", "pagination_strategy"),
        ({}, "switch", "cases"),
    ],
)
def test_required_fields(data: dict[str, Any], node_type: str, field: str) -> None:
    message = error_of({"nodes": [node(data, node_type)]})
    assert message == (
        f"{P}failed to unmarshal data for node n (type {node_type}): "
        f"missing required field: {field}"
    )


def test_empty_strings_satisfy_required_fields() -> None:
    assert decode_one({"text": ""}, "text_input").params["text"] == ""
    assert decode_one({"expression": ""}, "expression").params["expression"] == ""
    assert decode_one({"field": ""}, "extract").params == {"label": "", "field": "", "fields": None}


@pytest.mark.parametrize(
    ("cases", "reason"),
    [
        (
            [{"when": "default", "is_default": True}, {"when": "x", "output_path": "a"}],
            "default case must be the last case in the array (found at index 0, but last index "
            "is 1)",
        ),
        (
            [{"when": "x"}, {"when": "default", "is_default": True}],
            "case at index 0 must have output_path (non-default cases require output_path)",
        ),
        (
            [{"when": "x", "output_path": "a"}],
            "switch node must have exactly one default case (found 0)",
        ),
        ([None], "case at index 0 must have output_path (non-default cases require output_path)"),
    ],
)
def test_switch_rules(cases: list[Any], reason: str) -> None:
    message = error_of({"nodes": [node({"cases": cases}, "switch")]})
    assert message == f"{P}failed to unmarshal data for node n (type switch): {reason}"


def test_switch_cases_decode_zero_filled() -> None:
    spec = decode_one(
        {"cases": [{"When": "input > 1", "output_path": "big"}, {"is_default": True}]}, "switch"
    )
    assert spec.params["cases"] == [
        {"when": "input > 1", "output_path": "big", "is_default": False},
        {"when": "", "output_path": "", "is_default": True},
    ]


def test_context_values_decode() -> None:
    spec = decode_one({"context_values": [{"name": "a", "value": 1, "type": "number"}]})
    assert spec.type == "context_variable"
    assert spec.params["context_values"] == [{"name": "a", "value": 1.0, "type": "number"}]


def test_paginator_decodes_but_is_only_data() -> None:
    spec = decode_one({"pagination_strategy": "cursor", "page_size": 10}, "paginator")
    assert spec.params["page_size"] == 10
    assert spec.params["pagination_strategy"] == "cursor"


def test_every_struct_zero_fills_its_fields() -> None:
    for node_type, struct in STRUCTS.items():
        assert set(struct.zeros) == set(struct.fields), node_type
        assert "label" in struct.fields


def test_first_failing_node_in_array_order_is_reported() -> None:
    message = error_of({"nodes": [node({}, "number", "a"), node({}, "operation", "b")]})
    assert "node a (type number)" in message


# --- envelope, nodes and edges ----------------------------------------------------------------


def test_edges_decode_handles_and_legacy_condition() -> None:
    edges = decode_payload(
        {
            "edges": [
                {"id": "e1", "source": "a", "target": "b", "sourceHandle": "true"},
                {"source": "a", "target": "c", "sourceHandle": None, "condition": "false"},
                {"source": "a", "target": "d", "targetHandle": "in"},
                None,
            ]
        }
    ).edges
    assert [(e.id, e.branch, e.target_handle) for e in edges] == [
        ("e1", "true", None),
        ("", "false", None),
        ("", None, "in"),
        ("", None, None),
    ]
    assert edges[0].to_dict() == {"id": "e1", "source": "a", "target": "b", "sourceHandle": "true"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("[]", "json: cannot unmarshal array into Go value of type types.Payload"),
        (
            '{"nodes": {}}',
            "json: cannot unmarshal object into Go struct field Payload.nodes of type []types.Node",
        ),
        (
            '{"workflow_id": 7}',
            "json: cannot unmarshal number into Go struct field Payload.workflow_id of type string",
        ),
        (
            '{"edges": [{"source": 1, "target": "b"}]}',
            "json: cannot unmarshal number into Go struct field Edge.edges.source of type string",
        ),
        (
            '{"edges": [5]}',
            "json: cannot unmarshal number into Go struct field Payload.edges of type types.Edge",
        ),
        (
            '{"nodes": [{"id": 5}]}',
            "failed to unmarshal node: json: cannot unmarshal number into Go struct field "
            "NodeTemp.id of type string",
        ),
        (
            '{"nodes": [{"id": "a", "type": true}]}',
            "failed to unmarshal node: json: cannot unmarshal bool into Go struct field "
            "NodeTemp.type of type types.NodeType",
        ),
        (
            '{"nodes": ["a"]}',
            "failed to unmarshal node: json: cannot unmarshal string into Go value of type "
            "types.NodeTemp",
        ),
    ],
)
def test_envelope_type_errors(payload: str, message: str) -> None:
    assert error_of(payload) == P + message


def test_node_errors_win_over_earlier_edge_type_errors() -> None:
    payload = '{"edges": [{"source": 1}], "nodes": [{"id": "x", "type": "number", "data": {}}]}'
    assert error_of(payload).endswith("(type number): missing required field: value")


def test_a_null_node_decodes_empty() -> None:
    assert decode_payload('{"nodes": [null]}').nodes[0].id == ""


# --- JSON syntax ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{invalid}", "invalid character 'i' looking for beginning of object key string"),
        ("", "unexpected end of JSON input"),
        ("  ", "unexpected end of JSON input"),
        ('{"nodes": [', "unexpected end of JSON input"),
        ('{"nodes": [1,]}', "invalid character ']' looking for beginning of value"),
        ('{"a": NaN}', "invalid character 'N' looking for beginning of value"),
        ("{} x", "invalid character 'x' after top-level value"),
        ('{"a" 1}', "invalid character '1' after object key"),
        ('{"a": 1 "b": 2}', "invalid character '\"' after object key:value pair"),
        ("[1 2]", "invalid character '2' after array element"),
        ("tx", "invalid character 'x' in literal true (expecting 'r')"),
        ("nul", "unexpected end of JSON input"),
        ('"a\x01"', "invalid character '\\x01' in string literal"),
        ('"\\q"', "invalid character 'q' in string escape code"),
        ('"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"),
        ("-a", "invalid character 'a' in numeric literal"),
        ("1.x", "invalid character 'x' after decimal point in numeric literal"),
        ("1e+", "unexpected end of JSON input"),
        ("1ex", "invalid character 'x' in exponent of numeric literal"),
        ("01", "invalid character '1' after top-level value"),
        ("'a'", "invalid character '\\'' looking for beginning of value"),
        ("\ufeff{}", "invalid character 'ï' looking for beginning of value"),
    ],
)
def test_syntax_errors_use_go_wording(text: str, message: str) -> None:
    assert error_of(text) == P + message


def test_numbers_beyond_float64_are_rejected() -> None:
    assert error_of('{"nodes": [{"id": "n", "data": {"value": 1e400}}]}') == (
        P + "json: cannot unmarshal number 1e400 into Go value of type float64"
    )


def test_large_generated_payload_decodes() -> None:
    count = 5000
    nodes = [node({"value": i}, "number", f"n{i}") for i in range(count)]
    text = json.dumps({"nodes": nodes, "edges": []})
    payload = decode_payload(text)
    assert len(payload.nodes) == count
    assert payload.nodes[-1].params == {"label": "", "value": float(count - 1)}


def test_unsupported_payload_objects_are_rejected() -> None:
    assert "unsupported payload" in error_of(42)
