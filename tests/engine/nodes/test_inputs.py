"""Input and display executors (number, text/boolean/date/datetime, visualization, renderer)."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.nodes import (
    basic,
    control,
    delay,
    inputs,
    parse_format,
    state_nodes,
    transform,
)
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec
from pytest_wfsnap.engine.nodes.inputs import (
    BooleanInputExecutor,
    DateInputExecutor,
    DatetimeInputExecutor,
    NumberExecutor,
    RendererExecutor,
    TextInputExecutor,
    VisualizationExecutor,
)
from pytest_wfsnap.errors import NodeError
from tests.engine.nodes.fakes import FakeRuntime, run

ALL_MODULES = (inputs, basic, state_nodes, control, transform, parse_format, delay)
STRUCT_NAMES = {
    "number": "NumberData",
    "text_input": "TextInputData",
    "boolean_input": "BooleanInputData",
    "date_input": "DateInputData",
    "datetime_input": "DateTimeInputData",
    "visualization": "VisualizationData",
    "renderer": "RendererData",
    "operation": "OperationData",
    "text_operation": "TextOperationData",
    "variable": "VariableData",
    "extract": "ExtractData",
    "transform": "TransformData",
    "accumulator": "AccumulatorData",
    "counter": "CounterData",
    "parse": "ParseData",
    "format": "FormatData",
    "delay": "DelayData",
    "cache": "CacheData",
    "context_variable": "ContextVariableData",
    "context_constant": "ContextConstantData",
    "condition": "ConditionData",
    "switch": "SwitchData",
    "join": "JoinData",
    "split": "SplitData",
}
ALL_EXECUTORS = [cls for module in ALL_MODULES for cls in module.EXECUTORS]


def test_every_owned_type_has_exactly_one_executor() -> None:
    types = [cls.node_type for cls in ALL_EXECUTORS]
    assert sorted(types) == sorted(STRUCT_NAMES)


@pytest.mark.parametrize("cls", ALL_EXECUTORS, ids=lambda cls: cls.node_type)
def test_missing_data_names_the_go_struct(cls: type[Executor]) -> None:
    node = NodeSpec(id="x", type=cls.node_type, data=None, params=None)
    with pytest.raises(NodeError) as info:
        cls().execute(node, [1.0], FakeRuntime())
    assert str(info.value) == f"expected {STRUCT_NAMES[cls.node_type]}, got <nil>"


def test_struct_names_agree_with_the_decoder_table() -> None:
    datatypes = pytest.importorskip("pytest_wfsnap.engine.datatypes")
    for node_type, name in STRUCT_NAMES.items():
        assert datatypes.STRUCTS[node_type].name == name


@pytest.mark.parametrize(
    ("cls", "data", "expected"),
    [
        (NumberExecutor, {"value": 42.5}, 42.5),
        (NumberExecutor, {"value": -0.0}, -0.0),
        (TextInputExecutor, {"text": ""}, ""),
        (TextInputExecutor, {"text": "héllo <b>"}, "héllo <b>"),
        (BooleanInputExecutor, {"boolean_value": False}, False),
        (BooleanInputExecutor, {"boolean_value": True}, True),
        (DateInputExecutor, {"date_value": "2024-01-15"}, "2024-01-15"),
        (DateInputExecutor, {"date_value": "not a date"}, "not a date"),
        (DatetimeInputExecutor, {"datetime_value": "2024-01-15T10:30:00Z"}, "2024-01-15T10:30:00Z"),
        (DatetimeInputExecutor, {"datetime_value": "31/12/99"}, "31/12/99"),
    ],
)
def test_value_nodes_return_their_data_and_ignore_inputs(
    cls: type[Executor], data: dict[str, Any], expected: Any
) -> None:
    result = run(cls, data, ["ignored", 1.0])
    assert result == expected
    assert type(result) is type(expected)


def test_number_keeps_float_type() -> None:
    assert isinstance(run(NumberExecutor, {"value": 10.0}), float)


def test_visualization_passes_first_input_through_unchanged() -> None:
    payload = {"a": [1.0, 2.0]}
    assert run(VisualizationExecutor, {"mode": "json"}, [payload, "second"]) is payload
    assert run(VisualizationExecutor, {"mode": "anything"}, [None]) is None


def test_visualization_needs_an_input() -> None:
    with pytest.raises(NodeError, match=r"^visualization needs at least 1 input$"):
        run(VisualizationExecutor, {"mode": "text"}, [])


def test_renderer_passes_through_or_gives_null() -> None:
    assert run(RendererExecutor, {}, [7.0, 8.0]) == 7.0
    assert run(RendererExecutor, {"mode": "auto"}, []) is None
