"""Random whole payloads through ``engine.new(...)`` and ``execute()``.

Nodes of random built-in types (and unknown ones) with random data, random edges (dangling,
self loops, cycles, handles, conditions), given as dicts, as JSON text, as bytes, and as broken
JSON: whatever comes in, the only exceptions that come out are :class:`WfsnapError` subclasses
(PayloadError, GraphError, ExecutionError, ...), and nothing hangs (a small
``max_execution_time``, a ``sleep`` that does not really wait, and a hypothesis deadline).

HTTP nodes run with an allowlist no generated URL matches, so no example ever touches the
network.
"""

from __future__ import annotations

import contextlib
import json
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_wfsnap import engine
from pytest_wfsnap.engine import Config, Result, decode_payload, default_registry
from pytest_wfsnap.engine.datatypes import STRUCTS
from pytest_wfsnap.errors import PayloadError, WfsnapError
from tests.engine.fuzz_strategies import json_values, raw_params, typed_params

TYPES = default_registry().types()
IDS = ["a", "b", "c", "d", "e"]
CONFIG = Config(
    max_execution_time=timedelta(seconds=2),
    max_node_execution_time=timedelta(seconds=1),
    allowed_domains=["wfsnap-fuzz.invalid"],
    max_http_calls_per_exec=3,
)


def node_data(node_type: str) -> st.SearchStrategy[Any]:
    if node_type in STRUCTS:
        return typed_params(node_type) | raw_params(node_type) | st.none()
    return st.dictionaries(st.text(max_size=4), json_values, max_size=3) | st.none()


@st.composite
def nodes(draw: st.DrawFn) -> dict[str, Any]:
    node_type = draw(st.sampled_from(TYPES) | st.sampled_from(["", "nope", "paginator"]))
    node: dict[str, Any] = {"id": draw(st.sampled_from(IDS) | json_values)}
    if draw(st.integers(0, 9)):  # mostly typed; a node without a type has it inferred
        node["type"] = node_type
    data = draw(node_data(node_type))
    if data is not None or draw(st.booleans()):
        node["data"] = data
    if draw(st.integers(0, 9)) == 0:
        node[draw(st.text(max_size=4))] = draw(json_values)
    return node


edge_ends = st.sampled_from(IDS) | st.sampled_from(["zz", ""]) | json_values
edges = st.fixed_dictionaries(
    {"source": edge_ends, "target": edge_ends},
    optional={
        "id": st.text(max_size=3),
        "sourceHandle": st.sampled_from(["true", "false", "a", "default", "path1"]) | json_values,
        "targetHandle": st.text(max_size=3),
        "condition": st.sampled_from(["true", "false", "item > 1"]) | json_values,
    },
)


@st.composite
def payloads(draw: st.DrawFn) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "nodes": draw(st.lists(nodes(), max_size=6)),
        "edges": draw(st.lists(edges, max_size=8)),
    }
    if draw(st.booleans()):
        payload["workflow_id"] = draw(st.text(max_size=6) | json_values)
    return payload


SOURCE_TYPES = ["number", "text_input", "range", "boolean_input", "context_constant"]


@st.composite
def workflows(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly valid workflows: unique ids, typed data, edges forward (so a DAG), with now and
    then a backward edge (a cycle). Sources come first, so later nodes get inputs."""
    count = draw(st.integers(1, len(IDS)))
    node_list = []
    for index, node_id in enumerate(IDS[:count]):
        pool = SOURCE_TYPES if index == 0 else TYPES
        node_type = draw(st.sampled_from(pool))
        node_list.append({"id": node_id, "type": node_type, "data": draw(typed_params(node_type))})
    pairs = [(a, b) for a in range(count) for b in range(a + 1, count)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=6)) if pairs else []
    edge_list: list[dict[str, Any]] = [
        {"source": IDS[a], "target": IDS[b]} for a, b in dict.fromkeys(chosen)
    ]
    for edge in edge_list:
        if draw(st.integers(0, 4)) == 0:
            edge["sourceHandle"] = draw(st.sampled_from(["true", "false", "a", "default"]))
    if pairs and draw(st.integers(0, 9)) == 0:
        a, b = draw(st.sampled_from(pairs))
        edge_list.append({"source": IDS[b], "target": IDS[a]})
    return {"workflow_id": "fuzz", "nodes": node_list, "edges": edge_list}


def to_json(value: Any) -> str:
    return json.dumps(value, allow_nan=True)  # NaN/Infinity tokens: not JSON, must be refused


@st.composite
def broken_json(draw: st.DrawFn) -> str | bytes:
    text = to_json(draw(payloads()))
    mutation = draw(st.sampled_from(["cut", "insert", "replace", "bytes", "garbage"]))
    position = draw(st.integers(0, len(text)))
    if mutation == "cut":
        return text[:position]
    if mutation == "insert":
        inserted = draw(st.sampled_from(list('{}[],:"\\\x00 tnf0-.e')))
        return text[:position] + inserted + text[position:]
    if mutation == "replace":
        return text[:position] + draw(st.text(max_size=3)) + text[position + 1 :]
    if mutation == "bytes":
        raw = text.encode()
        return raw[:position] + draw(st.binary(max_size=3)) + raw[position:]
    return draw(st.text(max_size=40))


inputs = (
    workflows()
    | workflows()
    | workflows().map(to_json)
    | payloads()
    | payloads().map(to_json)
    | payloads().map(lambda payload: to_json(payload).encode())
    | broken_json()
    | json_values.map(to_json)
    | json_values.filter(lambda value: not isinstance(value, dict))
)


def run(payload: Any) -> Result | None:
    """Build and run; None when a WfsnapError stopped it (any other exception propagates)."""
    try:
        eng = engine.new(payload, config=CONFIG, seed=7, sleep=lambda seconds: None)
    except WfsnapError as exc:
        assert str(exc)
        return None
    try:
        return eng.execute()
    except WfsnapError as exc:
        assert str(exc)
        return None


@settings(
    max_examples=250,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(payload=inputs)
def test_random_payloads_only_raise_wfsnap_errors(payload: Any) -> None:
    result = run(payload)
    if result is not None:  # results only for the payload's nodes
        assert set(result.node_results) <= {node.id for node in decode_payload(payload).nodes}


def test_the_generator_makes_runnable_workflows_and_broken_ones() -> None:
    ran = refused = results = 0

    @settings(max_examples=100, deadline=None, database=None)
    @given(workflows() | payloads())
    def probe(payload: dict[str, Any]) -> None:
        nonlocal ran, refused, results
        try:
            eng = engine.new(payload, config=CONFIG, seed=7, sleep=lambda seconds: None)
        except PayloadError:
            refused += 1
            return
        ran += 1
        with contextlib.suppress(WfsnapError):
            results += len(eng.execute().node_results)

    probe()
    assert ran > 0 and refused > 0 and results > 0
