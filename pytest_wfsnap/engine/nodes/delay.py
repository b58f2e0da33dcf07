"""The delay node (ENGINE.md B9.40): wait, then pass inputs[0] on.

The wait goes through ``rt.sleep`` so the run deadline is honoured and a test runtime can record
the requested time instead of sleeping.
"""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.engine.gofmt import parse_duration
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import str_field
from pytest_wfsnap.errors import NodeError


class DelayExecutor(Executor):
    node_type = "delay"
    data_struct = "DelayData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = inputs[0] if inputs else None
        duration = str_field(params, "duration", node)
        try:
            nanoseconds = parse_duration(duration)
        except NodeError as exc:
            raise NodeError(f"invalid duration format: {exc}") from None
        rt.sleep(max(nanoseconds, 0) / 1e9)  # Go's time.Sleep returns at once for <= 0
        return {"value": value, "duration": duration, "delayed": True}


EXECUTORS: list[type[Executor]] = [DelayExecutor]

__all__ = ["EXECUTORS", "DelayExecutor"]
