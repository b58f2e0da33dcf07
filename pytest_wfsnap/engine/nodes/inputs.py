"""Input and display nodes (ENGINE.md B9.1 - B9.7).

number, text_input, boolean_input, date_input and datetime_input return their data value and
ignore their inputs (dates are not validated). visualization and renderer pass inputs[0] through;
visualization needs it, renderer gives null without it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime, first_input


class _DataValueExecutor(Executor):
    """An input node: its result is the data field ``field``; inputs are ignored."""

    field: ClassVar[str] = ""

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return params.get(self.field)


class NumberExecutor(_DataValueExecutor):
    node_type = "number"
    data_struct = "NumberData"
    field = "value"


class TextInputExecutor(_DataValueExecutor):
    node_type = "text_input"
    data_struct = "TextInputData"
    field = "text"


class BooleanInputExecutor(_DataValueExecutor):
    node_type = "boolean_input"
    data_struct = "BooleanInputData"
    field = "boolean_value"


class DateInputExecutor(_DataValueExecutor):
    node_type = "date_input"
    data_struct = "DateInputData"
    field = "date_value"


class DatetimeInputExecutor(_DataValueExecutor):
    node_type = "datetime_input"
    data_struct = "DateTimeInputData"
    field = "datetime_value"


class VisualizationExecutor(Executor):
    node_type = "visualization"
    data_struct = "VisualizationData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return first_input(inputs, "visualization needs at least 1 input")


class RendererExecutor(Executor):
    node_type = "renderer"
    data_struct = "RendererData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return inputs[0] if inputs else None


EXECUTORS: list[type[Executor]] = [
    NumberExecutor,
    TextInputExecutor,
    BooleanInputExecutor,
    DateInputExecutor,
    DatetimeInputExecutor,
    VisualizationExecutor,
    RendererExecutor,
]

__all__ = [
    "EXECUTORS",
    "BooleanInputExecutor",
    "DateInputExecutor",
    "DatetimeInputExecutor",
    "NumberExecutor",
    "RendererExecutor",
    "TextInputExecutor",
    "VisualizationExecutor",
]
