"""A reusable Runtime for calling node executors directly, without an engine.

:class:`FakeRuntime` implements the Runtime protocol with a real :class:`StateManager` on an
injectable clock (:class:`FakeClock`, which only moves when told to), a ``sleep`` that records
the requested seconds and advances the clock instead of sleeping, and a ``set_variable`` that
enforces ``Config.max_variables`` like the engine (and can be told to fail, to check that
executors let its errors through). :func:`make_node` builds a :class:`NodeSpec` the way the
payload decoder does: ``params`` zero-filled per the Go data struct, ``data`` kept verbatim.
"""

from __future__ import annotations

import random
from collections import ChainMap
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.expr.context import ExprContext
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec
from pytest_wfsnap.engine.state import StateManager
from pytest_wfsnap.errors import LimitError, NodeError

START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

# Go data-struct fields (JSON name -> zero value) of the node types tested with this runtime.
FIELDS: dict[str, dict[str, Any]] = {
    "number": {"value": 0.0},
    "text_input": {"text": ""},
    "boolean_input": {"boolean_value": False},
    "date_input": {"date_value": ""},
    "datetime_input": {"datetime_value": ""},
    "visualization": {"mode": ""},
    "renderer": {"mode": ""},
    "operation": {"op": ""},
    "text_operation": {"text_op": "", "separator": "", "repeat_n": 0},
    "variable": {"var_name": "", "var_op": "", "scope": ""},
    "extract": {"field": "", "fields": None},
    "transform": {"transform_type": ""},
    "accumulator": {"accum_op": "", "initial_value": None},
    "counter": {"counter_op": "", "delta": 0.0, "initial_value": None},
    "parse": {"input_type": ""},
    "format": {"output_type": "", "pretty_print": False, "include_headers": False, "delimiter": ""},
    "delay": {"duration": ""},
    "cache": {
        "cache_op": "",
        "cache_key": "",
        "ttl": "",
        "max_size": 0,
        "eviction": "",
        "storage": "",
    },
    "context_variable": {"context_name": "", "context_value": None, "context_values": None},
    "context_constant": {"context_name": "", "context_value": None, "context_values": None},
    "condition": {"condition": "", "true_path": "", "false_path": ""},
    "switch": {"cases": None},
    "join": {"join_strategy": "", "timeout": ""},
    "split": {"paths": None},
}
_ELEMENTS: dict[str, dict[str, Any]] = {
    "cases": {"when": "", "output_path": "", "is_default": False},
    "context_values": {"name": "", "value": None, "type": ""},
}


class FakeClock:
    """A settable clock: ``now`` only moves when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class RuntimeAccessors:
    """The read-only parts of the Runtime protocol, shared by the test runtimes."""

    _config: Config
    _state: StateManager
    _results: dict[str, Any]
    _http_clients: Mapping[str, Any] = {}

    @property
    def config(self) -> Config:
        return self._config

    @property
    def state(self) -> StateManager:
        return self._state

    @property
    def results(self) -> Mapping[str, Any]:
        return self._results

    @property
    def http_clients(self) -> Mapping[str, Any]:
        return self._http_clients


class FakeRuntime(RuntimeAccessors):
    """The Runtime protocol with a fake clock, recorded sleeps and a real state manager."""

    def __init__(
        self,
        *,
        config: Config | None = None,
        results: Mapping[str, Any] | None = None,
        variables: Mapping[str, Any] | None = None,
        clock: FakeClock | None = None,
    ) -> None:
        self.clock = clock or FakeClock()
        self._state = StateManager(clock=self.clock)
        for name, value in (variables or {}).items():
            self._state.set_variable(name, value)
        self._config = config or Config()
        self._results: dict[str, Any] = dict(results or {})
        self.sleeps: list[float] = []
        self.set_variable_calls: list[tuple[str, Any]] = []
        self.fail_set_variable: NodeError | None = None

    def random_for(self, node_id: str) -> random.Random:
        return random.Random(node_id)

    def now(self) -> datetime:
        return self.clock()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(seconds)

    def count_http_call(self) -> None:
        return None

    def set_variable(self, name: str, value: Any) -> None:
        self.set_variable_calls.append((name, value))
        if self.fail_set_variable is not None:
            raise self.fail_set_variable
        limit = self._config.max_variables
        count = self._state.variable_count()
        if limit > 0 and not self._state.has_variable(name) and count >= limit:
            raise LimitError(f"maximum variables exceeded: {count} (limit: {limit})")
        self._state.set_variable(name, value)

    def expr_context(self, extra: Mapping[str, Any] | None = None) -> ExprContext:
        variables: Mapping[str, Any] = self._state.variables_view
        if extra:
            variables = ChainMap(dict(extra), dict(variables))
        return ExprContext(self._results, variables, self._state.context_view)


def _zero_fill(zeros: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    params = dict(zeros)
    for key, value in data.items():
        if key not in params or value is None:
            continue
        zero = params[key]
        if key in _ELEMENTS and isinstance(value, list):
            value = [_zero_fill(_ELEMENTS[key], item) for item in value]
        elif type(zero) is int and isinstance(value, float) and value.is_integer():
            value = int(value)  # Go int fields decode JSON numbers as int
        elif type(zero) is float and type(value) is int:
            value = float(value)  # and float64 fields as float
        params[key] = value
    return params


def make_node(node_type: str, data: Mapping[str, Any] | None, node_id: str = "n1") -> NodeSpec:
    """A NodeSpec as the decoder makes it: null and absent fields hold Go zero values."""
    if data is None:
        return NodeSpec(id=node_id, type=node_type, data=None, params=None)
    return NodeSpec(
        id=node_id, type=node_type, data=dict(data), params=_zero_fill(FIELDS[node_type], data)
    )


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


__all__ = ["FIELDS", "START", "FakeClock", "FakeRuntime", "make_node", "run"]
