"""Random params and inputs for every executor of the input, basic, state, control, transform,
parse/format and delay families.

Whatever the params (the node's Go fields with random JSON values: right keys with wrong
types, missing keys, unknown keys) and the inputs, an executor either returns an engine value
or raises a :class:`WfsnapError`; it never crashes with another exception and never runs long
(the fake runtime's ``sleep`` only moves a fake clock; hypothesis enforces a deadline).

Two ways in: params built by hand (anything goes, as a caller constructing a NodeSpec might),
and params made by the real payload decoder from random node data (well typed, or a
PayloadError), which reach deeper into each executor.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from pytest_wfsnap.engine.datatypes import STRUCTS
from pytest_wfsnap.engine.decode import decode_payload
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
from pytest_wfsnap.errors import NodeError, PayloadError, WfsnapError
from tests.engine.fuzz_strategies import json_values, raw_params, texts, typed_params
from tests.engine.nodes.fakes import FakeRuntime

MODULES = (inputs, basic, state_nodes, control, transform, parse_format, delay)
ALL_EXECUTORS: list[type[Executor]] = [cls for module in MODULES for cls in module.EXECUTORS]

input_lists = st.lists(json_values, max_size=4) | st.lists(
    st.floats(allow_nan=False) | texts, min_size=1, max_size=3
)


def is_engine_value(value: Any, depth: int = 0) -> bool:
    """None, bool, int, float, str, aware datetime, or lists/str-keyed dicts of them."""
    if depth > 100:
        return False
    if value is None or isinstance(value, bool | int | float | str):
        return True
    if isinstance(value, datetime):
        return value.tzinfo is not None
    if isinstance(value, list):
        return all(is_engine_value(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_engine_value(v, depth + 1) for k, v in value.items())
    return False


def run_checked(executor: type[Executor], node: NodeSpec, inputs: list[Any]) -> None:
    rt = FakeRuntime(variables={"v": 1.0, "w": [1.0, "a"]}, results={"x": {"value": 2.0}})
    instance = executor()
    for _ in range(2):  # a second run sees the state the first one left
        try:
            result = instance.execute(node, list(inputs), rt)
        except WfsnapError as exc:
            assert str(exc), f"{type(exc).__name__} without a message"
        else:
            assert is_engine_value(result), result
    assert all(math.isfinite(seconds) and seconds >= 0 for seconds in rt.sleeps)


SETTINGS = settings(
    max_examples=40,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("executor", ALL_EXECUTORS, ids=lambda cls: cls.node_type)
@SETTINGS
@given(data=st.data())
def test_hand_built_params_only_raise_wfsnap_errors(
    executor: type[Executor], data: st.DataObject
) -> None:
    node_type = executor.node_type
    raw = data.draw(raw_params(node_type) | st.none(), label="data")
    params: dict[str, Any] | None = None
    if raw is not None:
        params = dict(STRUCTS[node_type].zeros)  # the contract: every field, zero-filled ...
        params.update(raw)  # ... here overwritten with values of any type
        if data.draw(st.booleans(), label="drop keys"):
            for key in data.draw(st.lists(st.sampled_from(sorted(params)), max_size=3)):
                params.pop(key, None)  # and a careless caller may even leave fields out
    node = NodeSpec(id="n1", type=node_type, data=raw, params=params)
    run_checked(executor, node, data.draw(input_lists, label="inputs"))


@pytest.mark.parametrize("executor", ALL_EXECUTORS, ids=lambda cls: cls.node_type)
@SETTINGS
@given(data=st.data())
def test_decoded_params_only_raise_wfsnap_errors(
    executor: type[Executor], data: st.DataObject
) -> None:
    node_type = executor.node_type
    raw = data.draw(typed_params(node_type) | raw_params(node_type), label="data")
    try:
        payload = decode_payload({"nodes": [{"id": "n1", "type": node_type, "data": raw}]})
    except PayloadError as exc:
        assert str(exc).startswith("failed to parse payload: ")
        return
    run_checked(executor, payload.nodes[0], data.draw(input_lists, label="inputs"))


def test_the_strategies_give_wrong_types_and_well_typed_nodes() -> None:
    # Hand-built params really do hold wrong types (a list in a string field) ...
    found = find(raw_params("condition"), lambda p: isinstance(p.get("condition"), list))
    assert isinstance(found["condition"], list)

    # ... and typed params decode into nodes that take a real branch.
    def cache_node(data: dict[str, Any]) -> Any:
        return decode_payload({"nodes": [{"id": "n1", "type": "cache", "data": data}]}).nodes[0]

    def decodes(data: dict[str, Any]) -> bool:
        try:
            cache_node(data)
        except PayloadError:  # e.g. no cache_key: a set needs one
            return False
        return True

    typed = find(
        typed_params("cache"),
        lambda p: p.get("cache_op") == "set" and "ttl" in p and decodes(p),
    )
    node = cache_node(typed)
    assert node.params is not None and node.params["cache_op"] == "set"


# Cases the fuzzing found: fields of the wrong type (or missing) in hand-built params crashed
# with KeyError/TypeError/AttributeError; they are now NodeErrors naming node and field.
WRONG_FIELDS = [
    ("text_operation", {"text_op": []}, ["a"], "field 'text_op' must be a string, got []"),
    ("operation", {"op": 1.0}, [1.0, 2.0], "field 'op' must be a string, got float64"),
    ("variable", {"var_name": 1.0, "var_op": "set"}, [1.0], "field 'var_name' must be a string"),
    ("counter", {"counter_op": "increment", "delta": "2"}, [], "field 'delta' must be a number"),
    ("cache", {"cache_op": "set", "cache_key": "k", "ttl": 5.0}, [1.0], "field 'ttl' must be"),
    ("context_variable", {"context_values": ["x"]}, [], "'context_values' must be a list of obj"),
    ("switch", {"cases": [{"when": True}]}, [1.0], "field 'when' must be a string, got bool"),
    ("switch", {"cases": "a"}, [1.0], "field 'cases' must be a list of objects, got string"),
    ("join", {"join_strategy": ["all"]}, [1.0], "field 'join_strategy' must be a string"),
    ("split", {"paths": [1.0]}, [1.0], "field 'paths' must be a list of strings"),
    ("extract", {"field": {"a": 1.0}}, [{"a": 1.0}], "field 'field' must be a string"),
    ("format", {"output_type": "csv", "delimiter": 9.0}, [{}], "field 'delimiter' must be"),
    ("format", {"pretty_print": "yes"}, [{}], "field 'pretty_print' must be a boolean"),
    ("delay", {"duration": 5.0}, [], "field 'duration' must be a string, got float64"),
]


@pytest.mark.parametrize(("node_type", "data", "inputs", "message"), WRONG_FIELDS)
def test_wrong_field_types_are_node_errors_naming_the_field(
    node_type: str, data: dict[str, Any], inputs: list[Any], message: str
) -> None:
    executor = next(cls for cls in ALL_EXECUTORS if cls.node_type == node_type)
    params = {**STRUCTS[node_type].zeros, **data}
    node = NodeSpec(id="n7", type=node_type, data=data, params=params)
    with pytest.raises(NodeError) as info:
        executor().execute(node, inputs, FakeRuntime())
    assert str(info.value).startswith(f"{node_type} node n7: ")
    assert message in str(info.value)


def test_an_input_node_without_its_field_gives_null() -> None:
    node = NodeSpec(id="n1", type="number", data={}, params={})
    assert inputs.NumberExecutor().execute(node, [], FakeRuntime()) is None
