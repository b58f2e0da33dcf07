"""The contract between the engine and node executors.

An executor is a small class with a ``node_type`` name and an ``execute(node, inputs, rt)``
method. The engine creates one instance of every executor class per engine (so per-node memory
such as a rate limiter's window lives on the instance), and calls ``execute`` with:

* ``node``: the decoded :class:`NodeSpec` (``node.params`` holds the typed fields),
* ``inputs``: the stored results of the node's executed predecessors, in edge order,
* ``rt``: the :class:`Runtime` of the run (state manager, config, clock, counters, ...).

An executor returns the node's result (any JSON-like value) or raises
:class:`~pytest_wfsnap.errors.NodeError` with the Go message text; the engine adds
``error executing node <id>: ``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import msgspec

from pytest_wfsnap.errors import NodeError

if TYPE_CHECKING:  # pragma: no cover
    from pytest_wfsnap.engine.config import Config
    from pytest_wfsnap.engine.expr.context import ExprContext
    from pytest_wfsnap.engine.state import StateManager


class NodeSpec(msgspec.Struct, frozen=True, gc=False):
    """A decoded workflow node.

    ``data`` is the node's data object exactly as given in the payload (None when missing or
    null); it is what snapshots store, so custom node data survives a round trip.
    ``params`` is the decoded form used by built-in executors: every field of the type's Go data
    struct under its canonical JSON name, missing ones filled with the Go zero value ("" for
    strings, 0.0/0 for numbers, False, None for ``interface{}`` and slices). For custom types
    ``params`` is the data object itself. ``params`` is None exactly when ``data`` is None.

    A frozen struct, built at C speed and left out of the garbage collector's passes (it refers
    only to JSON-like data, never back to itself): large workflows make one per node.
    """

    id: str
    type: str
    data: dict[str, Any] | None
    params: dict[str, Any] | None


class Runtime(Protocol):
    """What the engine offers an executor during a run."""

    @property
    def config(self) -> Config: ...

    @property
    def state(self) -> StateManager: ...

    @property
    def results(self) -> Mapping[str, Any]:
        """Stored node results so far (read-only view)."""
        ...

    def random_for(self, node_id: str) -> random.Random:
        """A random source derived from the engine seed and ``node_id``.

        Deterministic per (seed, node), so a seeded run is reproducible and a resumed run draws
        exactly what the uninterrupted run would have drawn.
        """
        ...

    @property
    def http_clients(self) -> Mapping[str, Any]:
        """Named HTTP clients attached to the engine, by uid."""
        ...

    def now(self) -> datetime:
        """The engine clock (timezone-aware; injectable for tests and restores)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait, honouring the run deadline; other threads may snapshot meanwhile."""
        ...

    def count_http_call(self) -> None:
        """Count one HTTP call; raises LimitError past ``max_http_calls_per_exec``."""
        ...

    def set_variable(self, name: str, value: Any) -> None:
        """Set a workflow variable with value validation and the MaxVariables limit."""
        ...

    def expr_context(self, extra: Mapping[str, Any] | None = None) -> ExprContext:
        """An expression context; ``extra`` variables overlay the workflow variables."""
        ...


class Executor:
    """Base class of node executors.

    Subclasses set ``node_type`` and ``data_struct`` (the Go struct name used in the
    ``expected <Struct>, got <nil>`` error when a node has no data object) and implement
    :meth:`run`. ``execute`` does the data check, so ``run`` always gets a params dict.
    """

    node_type: ClassVar[str] = ""
    data_struct: ClassVar[str] = ""

    def execute(self, node: NodeSpec, inputs: list[Any], rt: Runtime) -> Any:
        params = node.params
        if params is None:
            raise NodeError(f"expected {self.data_struct}, got <nil>")
        return self.run(params, inputs, rt, node)

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        raise NotImplementedError  # pragma: no cover - every subclass implements it


def need_inputs(inputs: list[Any], message: str, count: int = 1) -> None:
    """Raise ``NodeError(message)`` unless at least ``count`` inputs are present."""
    if len(inputs) < count:
        raise NodeError(message)


def first_input(inputs: list[Any], message: str) -> Any:
    """``inputs[0]``, or ``NodeError(message)`` when the node has no input."""
    if not inputs:
        raise NodeError(message)
    return inputs[0]


__all__ = ["Executor", "NodeSpec", "Runtime", "first_input", "need_inputs"]
