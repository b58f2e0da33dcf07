"""The executor registry: registration forms, duplicates, built-in discovery, custom data."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.registry import (
    NodeContext,
    Registry,
    builtin_executors,
    collect_executors,
    default_registry,
)
from pytest_wfsnap.errors import ExecutionError, RegistryError


class Upper(Executor):
    node_type = "upper"
    data_struct = "UpperData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        return str(params["text"]).upper()


def test_register_a_class_creates_one_instance_per_engine() -> None:
    registry = Registry()
    registry.register(Upper)
    first, second = registry.create("upper"), registry.create("upper")
    assert isinstance(first, Upper) and first is not second
    assert "upper" in registry and registry.types() == ["upper"] and len(registry) == 1
    assert registry.create("missing") is None


def test_register_functions_instances_and_decorated_classes() -> None:
    registry = Registry()

    @registry.executor("double")
    def double(ctx: NodeContext) -> Any:
        return ctx.inputs[0] * ctx.data["factor"]

    @registry.executor("shout")
    class Shout:
        def execute(self, node: NodeSpec, inputs: list[Any], rt: Runtime) -> Any:
            return f"{(node.params or {})['word']}!"

    shared = Upper()
    registry.register(shared, "upper2")
    assert callable(double) and isinstance(Shout(), Shout)
    assert registry.create("upper2") is shared
    eng = engine.new(
        {
            "nodes": [
                {"id": "n", "type": "number", "data": {"value": 4}},
                {"id": "d", "type": "double", "data": {"factor": 2, "nested": {"keep": [1]}}},
                {"id": "s", "type": "shout", "data": {"word": "hey"}},
            ],
            "edges": [{"source": "n", "target": "d"}],
        },
        registry=registry.copy(),
    )
    registry.register(lambda ctx: ctx.data["value"], "number")
    with pytest.raises(ExecutionError, match="no executor registered for type: number"):
        eng.execute()  # the copy was taken before "number" was registered
    result = engine.new(eng.payload, registry=registry).execute()
    assert result.node_results == {"n": 4.0, "d": 8.0, "s": "hey!"}


def test_custom_executors_receive_their_data_intact() -> None:
    registry = Registry()
    seen: list[Any] = []

    @registry.executor("custom")
    def custom(ctx: NodeContext) -> Any:
        seen.append((ctx.id, ctx.type, ctx.data, ctx.node.params))
        return None

    data = {"factor": 3, "Label": "x", "nested": {"a": [1, None]}}
    engine.new(
        {"nodes": [{"id": "c", "type": "custom", "data": data}]}, registry=registry
    ).execute()
    expected = {"factor": 3.0, "Label": "x", "nested": {"a": [1.0, None]}}
    assert seen == [("c", "custom", expected, expected)]


def test_duplicates_and_malformed_registrations_are_refused() -> None:
    registry = Registry()
    registry.register(Upper)
    with pytest.raises(RegistryError) as raised:
        registry.register(Upper)
    assert str(raised.value) == "executor already registered for type: upper"
    with pytest.raises(RegistryError, match="no node type given"):
        registry.register(lambda ctx: None)
    with pytest.raises(RegistryError, match="no node type given"):
        registry.register(Executor)
    with pytest.raises(RegistryError, match="execute"):
        registry.register(int, "int")
    with pytest.raises(RegistryError, match="expected an executor class"):
        registry.register(42, "answer")
    registry.unregister("upper")
    registry.register(Upper)
    with pytest.raises(RegistryError, match="no executor registered for type: nope"):
        registry.unregister("nope")


def test_collect_executors_skips_missing_modules_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = types.ModuleType("wfsnap_test_family_good")
    good.EXECUTORS = [Upper]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, good.__name__, good)
    found = collect_executors(["wfsnap_test_family_missing", good.__name__])
    assert found == (Upper,)
    (tmp_path / "wfsnap_test_family_broken.py").write_text("import wfsnap_no_such_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="wfsnap_no_such_dependency"):
        collect_executors(["wfsnap_test_family_broken"])


def test_default_registry_is_a_fresh_copy_each_time() -> None:
    first, second = default_registry(), default_registry()
    assert first is not second and first.types() == second.types()
    assert len(first) == len(builtin_executors())
    first.register(Upper)
    assert "upper" not in second
