"""Which executor runs each node type (ENGINE.md B8).

A :class:`Registry` maps node types to executor factories. Built-in executors come from the node
family modules (each exports ``EXECUTORS``, a list of executor classes); users add their own:

.. code-block:: python

    registry = engine.default_registry()

    @registry.executor("double")
    def double(ctx):                      # a function gets a NodeContext
        return ctx.inputs[0] * ctx.data["factor"]

    @registry.executor("shout")
    class Shout:                          # or a class with execute(node, inputs, rt)
        def execute(self, node, inputs, rt):
            return str(inputs[0]).upper()

Custom node types receive their data exactly as given in the payload (``ctx.data`` /
``node.params``). Each engine creates its own executor instances, so per-node memory (a rate
limiter's window, an HTTP client) is never shared between engines.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeVar

from pytest_wfsnap.engine.nodes.base import NodeSpec, Runtime
from pytest_wfsnap.errors import RegistryError

FAMILY_MODULES = (
    "inputs",
    "basic",
    "state_nodes",
    "control",
    "transform",
    "parse_format",
    "arrays",
    "loops",
    "resilience",
    "delay",
    "validation",
    "http",
)
_PACKAGE = "pytest_wfsnap.engine.nodes"


class ExecutorLike(Protocol):
    def execute(self, node: NodeSpec, inputs: list[Any], rt: Runtime) -> Any: ...


ExecutorFactory = Callable[[], ExecutorLike]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class NodeContext:
    """What a function executor receives."""

    node: NodeSpec
    inputs: list[Any]
    rt: Runtime

    @property
    def id(self) -> str:
        return self.node.id

    @property
    def type(self) -> str:
        return self.node.type

    @property
    def data(self) -> dict[str, Any]:
        """The node's data object as given in the payload ({} when it has none)."""
        return self.node.data if self.node.data is not None else {}


class FunctionExecutor:
    """Adapts ``fn(ctx: NodeContext)`` to the executor interface."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[NodeContext], Any]) -> None:
        self.function = function

    def execute(self, node: NodeSpec, inputs: list[Any], rt: Runtime) -> Any:
        return self.function(NodeContext(node, inputs, rt))


def _shared(instance: ExecutorLike) -> ExecutorFactory:
    return lambda: instance


class Registry:
    """Node type -> executor factory. One factory per type; registering a type twice fails."""

    def __init__(self) -> None:
        self._factories: dict[str, ExecutorFactory] = {}

    def register(self, executor: Any, node_type: str | None = None) -> None:
        """Register an executor class, an executor instance, or a function ``fn(ctx)``.

        The type name is ``node_type`` or, for classes and instances, their ``node_type``
        attribute. A class is instantiated once per engine; an instance is shared.
        """
        name = node_type if node_type is not None else getattr(executor, "node_type", None)
        if not isinstance(name, str) or not name:
            raise RegistryError(
                f"cannot register {executor!r}: no node type given; pass node_type=... or set "
                "a non-empty node_type attribute on the executor"
            )
        factory: ExecutorFactory
        if isinstance(executor, type):
            if not callable(getattr(executor, "execute", None)):
                raise RegistryError(
                    f"cannot register {executor.__name__} for type {name}: an executor class "
                    "needs an execute(node, inputs, rt) method"
                )
            factory = executor
        elif callable(getattr(executor, "execute", None)):
            factory = _shared(executor)
        elif callable(executor):
            factory = _shared(FunctionExecutor(executor))
        else:
            raise RegistryError(
                f"cannot register {executor!r} for type {name}: expected an executor class, "
                "an object with an execute(node, inputs, rt) method, or a function fn(ctx)"
            )
        if name in self._factories:
            raise RegistryError(f"executor already registered for type: {name}")
        self._factories[name] = factory

    def executor(self, node_type: str) -> Callable[[T], T]:
        """Decorator form of :meth:`register` for functions and classes."""

        def decorate(target: T) -> T:
            self.register(target, node_type)
            return target

        return decorate

    def unregister(self, node_type: str) -> None:
        """Remove a type (e.g. to replace a built-in executor with your own)."""
        if self._factories.pop(node_type, None) is None:
            raise RegistryError(f"no executor registered for type: {node_type}")

    def create(self, node_type: str) -> ExecutorLike | None:
        """A new executor for ``node_type`` (or the shared instance), or None if unknown."""
        factory = self._factories.get(node_type)
        return None if factory is None else factory()

    def copy(self) -> Registry:
        clone = Registry()
        clone._factories = dict(self._factories)
        return clone

    def types(self) -> list[str]:
        """Registered node types, sorted."""
        return sorted(self._factories)

    def __contains__(self, node_type: object) -> bool:
        return node_type in self._factories

    def __iter__(self) -> Iterator[str]:
        return iter(self.types())

    def __len__(self) -> int:
        return len(self._factories)


def collect_executors(module_names: Iterable[str]) -> tuple[Any, ...]:
    """The ``EXECUTORS`` of the named modules, in order; modules that do not exist are skipped
    (an error inside an existing module is raised)."""
    classes: list[Any] = []
    for module_name in module_names:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        classes.extend(getattr(module, "EXECUTORS", ()))
    return tuple(classes)


@cache
def builtin_executors() -> tuple[Any, ...]:
    """Executor classes exported by the node family modules that are installed."""
    return collect_executors(f"{_PACKAGE}.{family}" for family in FAMILY_MODULES)


def default_registry() -> Registry:
    """A new registry holding every built-in executor (a fresh copy on each call)."""
    registry = Registry()
    for executor in builtin_executors():
        registry.register(executor)
    return registry


__all__ = [
    "FAMILY_MODULES",
    "ExecutorFactory",
    "ExecutorLike",
    "FunctionExecutor",
    "NodeContext",
    "Registry",
    "builtin_executors",
    "collect_executors",
    "default_registry",
]
