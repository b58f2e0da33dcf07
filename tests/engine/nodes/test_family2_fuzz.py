"""Random node data and inputs for every array, loop, resilience and validation executor.

Whatever the data (right or wrong types, missing or extra keys) and the inputs, an executor
either returns a JSON-like value or raises a :class:`WfsnapError`; it never crashes with another
exception and never runs long (waits go to the fake clock, which has a run deadline).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_wfsnap.engine.nodes import arrays, loops, resilience, validation
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec
from pytest_wfsnap.errors import WfsnapError
from tests.engine.nodes.fakes_family2 import FIELDS, FakeRuntime

ALL_EXECUTORS: list[type[Executor]] = [
    *arrays.EXECUTORS,
    *loops.EXECUTORS,
    *resilience.EXECUTORS,
    *validation.EXECUTORS,
]

SNIPPETS = [
    "item",
    "item > 1",
    "item.age >= 18 && item.ok",
    "variables.item % 2 == 0",
    "index == 1",
    "accumulator + item",
    "input * 2",
    "input > 100 ? 'a' : 'b'",
    "contains(item, 'a')",
    "isNull(item)",
    "!item",
    "(item)",
    ">5",
    "<=3",
    "==2",
    "true",
    "sum(items)",
    "avg(item)",
    "item.name.toUpperCase()",
    "node.x.y",
    "context.c",
    "upper(item)",
    "item % 0.5",
    "map(items, item.a)",
    "sort(items)",
    "1s",
    "100ms",
    "50",
    "-1s",
    "asc",
    "desc",
    "first",
    "last",
    "random",
    "exponential",
    "linear",
    "constant",
    "fixed_window",
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "values",
    "error",
    "continue_with_partial",
    "name",
    "id",
    "",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0.0, 1.0, 2.0, -1.0, 0.5, 1e6, 1e300, 20.0, 10001.0])
    | st.text(max_size=12)
    | st.sampled_from(SNIPPETS)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(
            st.sampled_from(
                ["a", "b", "error", "execution_time", "value", "range", "items", "name", "k", "id"]
            )
            | st.text(max_size=4),
            children,
            max_size=5,
        )
    ),
    max_leaves=10,
)
SCHEMAS = st.sampled_from(
    [
        {"type": "object", "required": ["a"]},
        {"type": "array", "items": {"type": "number", "minimum": 0}, "uniqueItems": True},
        {"anyOf": [{"type": "string"}, {"type": "object", "required": ["b"]}]},
        {"allOf": [{"minimum": 1}, {"multipleOf": 2}], "not": {"type": "string"}},
        {"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"maxProperties": 0}},
        {"properties": {"a": {"format": "date-time"}}, "additionalProperties": False},
        {"propertyNames": {"pattern": "^[a-z]+$"}, "dependencies": {"a": ["b"]}},
        {"$ref": "#/definitions/x", "definitions": {"x": {"enum": [1, "a", None]}}},
        {"type": "foo"},
        {"$ref": "#"},
    ]
)


def _params(node_type: str) -> st.SearchStrategy[dict[str, Any]]:
    """Each known field present or not, with any value; sometimes unknown keys too."""
    values: st.SearchStrategy[Any] = scalars | json_values
    if node_type == "schema_validator":
        values = SCHEMAS | values
    known = {key: values for key in FIELDS[node_type]}
    extra = st.dictionaries(st.text(max_size=6), json_values, max_size=2)
    return st.tuples(st.fixed_dictionaries({}, optional=known), extra).map(
        lambda parts: {**parts[1], **parts[0]}
    )


# Array nodes mostly get an array first; any other inputs may follow.
inputs_strategy = st.lists(json_values, max_size=3) | st.tuples(
    st.lists(json_values, max_size=8), st.lists(json_values, max_size=2)
).map(lambda parts: [parts[0], *parts[1]])


def _is_json_like(value: Any, depth: int = 0) -> bool:
    if depth > 60:
        return False
    if value is None or isinstance(value, (bool, int, str)):
        return True
    if isinstance(value, float):
        return True
    if isinstance(value, list):
        return all(_is_json_like(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json_like(v, depth + 1) for k, v in value.items())
    return False


@pytest.mark.parametrize("executor", ALL_EXECUTORS, ids=lambda cls: cls.node_type)
@settings(
    max_examples=50,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_random_node_data_only_raises_wfsnap_errors(
    executor: type[Executor], data: st.DataObject
) -> None:
    node_type = executor.node_type
    raw = data.draw(_params(node_type) | st.none(), label="data")
    params = None
    if raw is not None:
        params = dict(FIELDS[node_type])
        params.update({k: v for k, v in raw.items() if k in params})
    inputs = data.draw(inputs_strategy, label="inputs")
    node = NodeSpec(
        id=data.draw(st.sampled_from(["n1", "n2"])), type=node_type, data=raw, params=params
    )
    rt = FakeRuntime(deadline=600.0, variables={"item": 1.0, "v": [1.0, "a"]})
    instance = executor()
    for _ in range(data.draw(st.integers(min_value=1, max_value=3), label="runs")):
        try:
            result = instance.execute(node, list(inputs), rt)
        except WfsnapError as exc:
            assert str(exc)
        else:
            assert _is_json_like(result)
    assert rt.elapsed() <= 600.0
    assert all(math.isfinite(s) and s >= 0 for s in rt.sleeps)
