"""Input and display nodes (ENGINE.md B9.1 - B9.7).

number, text_input, boolean_input, date_input and datetime_input return their data value and
ignore their inputs (dates are not validated). visualization and renderer pass inputs[0] through;
visualization needs it, renderer gives null without it.
"""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.errors import NodeError


class NumberExecutor(Executor):
    node_type = "number"
    data_struct = "NumberData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return params["value"]


class TextInputExecutor(Executor):
    node_type = "text_input"
    data_struct = "TextInputData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return params["text"]


class BooleanInputExecutor(Executor):
    node_type = "boolean_input"
    data_struct = "BooleanInputData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return params["boolean_value"]


class DateInputExecutor(Executor):
    node_type = "date_input"
    data_struct = "DateInputData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return params["date_value"]


class DatetimeInputExecutor(Executor):
    node_type = "datetime_input"
    data_struct = "DateTimeInputData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return params["datetime_value"]


class VisualizationExecutor(Executor):
    node_type = "visualization"
    data_struct = "VisualizationData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        if not inputs:
            raise NodeError("visualization needs at least 1 input")
        return inputs[0]


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
