"""A small Runtime for calling array, loop, resilience and validation executors directly.

It holds a real :class:`StateManager`, an injectable clock (starting at a fixed instant) and a
fake ``sleep`` that advances that clock and records the requested seconds: nothing really
sleeps. An optional deadline makes ``sleep`` raise like the engine's run deadline does.
"""

from __future__ import annotations

import random
import re
from collections import ChainMap
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.expr.context import ExprContext
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec
from pytest_wfsnap.engine.state import StateManager
from pytest_wfsnap.errors import NodeError, WfsnapError, WorkflowTimeoutError
from tests.engine.nodes.fakes import START, FakeClock, RuntimeAccessors

# Go data-struct fields of each node type with their zero values (ENGINE.md B1.4).
FIELDS: dict[str, dict[str, Any]] = {
    "expression": {"expression": ""},
    "filter": {"condition": ""},
    "map": {"expression": "", "field": ""},
    "reduce": {"expression": "", "initial_value": None},
    "for_each": {"max_iterations": 0},
    "while_loop": {"condition": "", "max_iterations": 0},
    "slice": {"start": None, "end": None, "length": None},
    "sort": {"field": "", "order": ""},
    "find": {"condition": "", "return_index": False},
    "flat_map": {"expression": "", "field": ""},
    "group_by": {"field": "", "aggregate": "", "value_field": ""},
    "unique": {"field": ""},
    "chunk": {"size": None},
    "reverse": {},
    "partition": {"condition": ""},
    "zip": {"arrays": None, "fill_missing": None, "remove_empty": False},
    "sample": {"count": None, "method": ""},
    "range": {"start": None, "end": None, "step": None},
    "compact": {"remove_empty": False},
    "transpose": {},
    "retry": {
        "max_attempts": 0,
        "backoff_strategy": "",
        "initial_delay": "",
        "max_delay": "",
        "multiplier": 0.0,
        "retry_on_errors": None,
    },
    "try_catch": {"fallback_value": None, "continue_on_error": False, "error_output_path": ""},
    "timeout": {"timeout": "", "timeout_action": ""},
    "parallel": {"max_concurrency": 0, "timeout": ""},
    "rate_limiter": {"max_requests": 0, "per_duration": "", "strategy": ""},
    "throttle": {"requests_per_second": 0.0},
    "schema_validator": {"schema": None, "strict": False},
}


class FakeRuntime(RuntimeAccessors):
    """The Runtime protocol with a fake clock, recorded sleeps and seeded random sources."""

    def __init__(
        self,
        *,
        results: Mapping[str, Any] | None = None,
        variables: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        seed: int = 7,
        deadline: float | None = None,
        config: Config | None = None,
    ) -> None:
        self.clock = FakeClock()
        self._state = StateManager(clock=self.clock)
        for name, value in (variables or {}).items():
            self._state.set_variable(name, value)
        for name, value in (context or {}).items():
            self._state.set_context_var(name, value)
        self._results: dict[str, Any] = dict(results or {})
        self._config = config or Config()
        self._seed = seed
        self._randoms: dict[str, random.Random] = {}
        self.deadline = deadline  # seconds after START at which sleep raises
        self.sleeps: list[float] = []
        self.expr_context_calls = 0

    def random_for(self, node_id: str) -> random.Random:
        source = self._randoms.get(node_id)
        if source is None:
            source = self._randoms[node_id] = random.Random(f"{self._seed}:{node_id}")
        return source

    def now(self) -> datetime:
        return self.clock()

    def elapsed(self) -> float:
        return (self.clock() - START).total_seconds()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.deadline is not None and self.elapsed() + seconds > self.deadline:
            self.clock.advance(max(self.deadline - self.elapsed(), 0.0))
            raise WorkflowTimeoutError("workflow execution timeout: exceeded deadline")
        self.clock.advance(seconds)

    def count_http_call(self) -> None:
        return None

    def set_variable(self, name: str, value: Any) -> None:
        self._state.set_variable(name, value)

    def expr_context(self, extra: Mapping[str, Any] | None = None) -> ExprContext:
        self.expr_context_calls += 1
        variables: Mapping[str, Any] = self._state.variables_view
        if extra:
            variables = ChainMap(dict(extra), dict(variables))
        return ExprContext(self._results, variables, self._state.context_view)


def make_node(node_type: str, data: Mapping[str, Any] | None, node_id: str = "n1") -> NodeSpec:
    """A NodeSpec as the engine decodes it: ``params`` zero-filled per the Go data struct."""
    if data is None:
        return NodeSpec(id=node_id, type=node_type, data=None, params=None)
    params = dict(FIELDS[node_type])
    for key, value in data.items():
        if key in params:
            params[key] = value
    return NodeSpec(id=node_id, type=node_type, data=dict(data), params=params)


def run(
    executor: Executor | type[Executor],
    data: Mapping[str, Any] | None,
    inputs: list[Any] | None = None,
    rt: FakeRuntime | None = None,
    node_id: str = "n1",
) -> Any:
    """Execute one node of ``executor``'s type with ``data`` and ``inputs``."""
    instance = executor() if isinstance(executor, type) else executor
    node = make_node(instance.node_type, data, node_id)
    return instance.execute(node, list(inputs or []), rt or FakeRuntime())


def fails_with(message: str, exc: type[WfsnapError] = NodeError) -> Any:
    """``pytest.raises`` for an error whose whole message is ``message``."""
    return pytest.raises(exc, match=f"^{re.escape(message)}$")


__all__ = ["FIELDS", "START", "FakeClock", "FakeRuntime", "fails_with", "make_node", "run"]
