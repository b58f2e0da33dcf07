"""extract and transform."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.nodes.transform import ExtractExecutor, TransformExecutor
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes import run

SOURCE = {"a": 1.0, "b": None, "c": {"d": [1.0]}}

# --- extract ----------------------------------------------------------------------------------


def test_extract_one_field() -> None:
    assert run(ExtractExecutor, {"field": "c"}, [SOURCE]) == {"field": "c", "value": {"d": [1.0]}}
    assert run(ExtractExecutor, {"field": "b"}, [SOURCE]) == {"field": "b", "value": None}


def test_extract_missing_field() -> None:
    with pytest.raises(NodeError, match=r"^field 'zz' not found in input object$"):
        run(ExtractExecutor, {"field": "zz"}, [SOURCE])


def test_extract_empty_field_name_is_still_single_field_mode() -> None:
    with pytest.raises(NodeError, match=r"^field '' not found in input object$"):
        run(ExtractExecutor, {"field": "", "fields": ["a"]}, [SOURCE])


def test_extract_several_fields_omits_missing_ones() -> None:
    result = run(ExtractExecutor, {"fields": ["c", "a", "zz"]}, [SOURCE])
    assert result == {"c": {"d": [1.0]}, "a": 1.0}
    assert list(result) == ["c", "a"]


def test_extract_field_wins_over_fields() -> None:
    assert run(ExtractExecutor, {"field": "a", "fields": ["c"]}, [SOURCE]) == {
        "field": "a",
        "value": 1.0,
    }


def test_extract_without_configuration() -> None:
    with pytest.raises(
        NodeError, match=r"^extract node requires 'field' or 'fields' configuration$"
    ):
        run(ExtractExecutor, {"fields": []}, [SOURCE])


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (1.0, "float64"),
        (3, "int"),
        ("x", "string"),
        ([SOURCE], "[]interface {}"),
        (None, "<nil>"),
        (True, "bool"),
    ],
)
def test_extract_needs_an_object(value: Any, type_name: str) -> None:
    with pytest.raises(NodeError) as info:
        run(ExtractExecutor, {"field": "a"}, [value])
    assert str(info.value) == f"extract node requires object input, got {type_name}"


def test_extract_needs_an_input() -> None:
    with pytest.raises(NodeError, match=r"^extract node requires input$"):
        run(ExtractExecutor, {"field": "a"}, [])


# --- transform --------------------------------------------------------------------------------


def transform(kind: str, inputs: list[Any]) -> Any:
    return run(TransformExecutor, {"transform_type": kind}, inputs)


def test_to_array_collects_every_input_in_order() -> None:
    inputs = [5.0, "x", None, [1.0]]
    result = transform("to_array", inputs)
    assert result == inputs
    assert result is not inputs


def test_to_object_pairs_keys_and_values() -> None:
    assert transform("to_object", [["a", 1.0, "b", [2.0], "c"]]) == {"a": 1.0, "b": [2.0]}
    assert transform("to_object", [[]]) == {}


def test_to_object_errors() -> None:
    with pytest.raises(NodeError, match=r"^to_object requires string keys at index 2$"):
        transform("to_object", [["a", 1.0, 2.0, 3.0]])
    with pytest.raises(NodeError, match=r"^to_object requires array input, got map\[string\]"):
        transform("to_object", [{"a": 1.0}])


def test_flatten() -> None:
    assert transform("flatten", [[[1.0, [2.0, 3.0]], 4.0, [], [[None]]]]) == [
        1.0,
        2.0,
        3.0,
        4.0,
        None,
    ]


@pytest.mark.parametrize("value", [[], [[], [[]]]])
def test_flatten_of_nothing_is_null(value: list[Any]) -> None:
    assert transform("flatten", [value]) is None


def test_flatten_handles_very_deep_nesting() -> None:
    deep: list[Any] = [7.0]
    for _ in range(20000):
        deep = [deep]
    assert transform("flatten", [deep]) == [7.0]


def test_flatten_needs_an_array() -> None:
    with pytest.raises(NodeError, match=r"^flatten requires array input, got string$"):
        transform("flatten", ["abc"])


def test_keys_and_values_in_insertion_order() -> None:
    source = {"z": 1.0, "a": 2.0}
    assert transform("keys", [source]) == ["z", "a"]
    assert transform("values", [source]) == [1.0, 2.0]
    assert transform("keys", [{}]) == []


@pytest.mark.parametrize("kind", ["keys", "values"])
def test_keys_and_values_need_an_object(kind: str) -> None:
    with pytest.raises(NodeError) as info:
        transform(kind, [[1.0]])
    assert str(info.value) == f"{kind} transform requires object input, got []interface {{}}"


def test_transform_errors() -> None:
    with pytest.raises(NodeError, match=r"^transform node requires input$"):
        transform("to_array", [])
    with pytest.raises(NodeError, match=r"^unsupported transform type: reshape$"):
        transform("reshape", [1.0])
