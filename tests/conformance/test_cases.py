"""Runs the conformance corpus (tests/data/conformance/cases.json) against the engine.

Every case is a test. A case needing a built-in node type whose executor is not registered yet,
or a snapshot case before ``pytest_wfsnap.engine.snapshots`` exists, is skipped as "not yet
covered" (never silently dropped). The session ends with
``conformance: P passed, F failed, N not yet covered`` (see tests/conftest.py).
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pytest_wfsnap import engine
from pytest_wfsnap.engine.config_text import config_from_overrides
from pytest_wfsnap.engine.decode import decode_payload
from pytest_wfsnap.engine.registry import default_registry
from pytest_wfsnap.errors import ExecutionError, PayloadError, WfsnapError
from pytest_wfsnap.snapshot.version import FORMAT_VERSION

CASES_FILE = Path(__file__).parent.parent / "data" / "conformance" / "cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
NOT_COVERED = "not yet covered"

# The 52 node types of the Go engine's DefaultRegistry (ENGINE.md B8). Other types in a case
# (custom names, "paginator", "") are expected to have no executor.
BUILTIN_TYPES = frozenset(
    {
        "number",
        "text_input",
        "boolean_input",
        "date_input",
        "datetime_input",
        "visualization",
        "operation",
        "text_operation",
        "http",
        "expression",
        "condition",
        "for_each",
        "while_loop",
        "filter",
        "map",
        "reduce",
        "slice",
        "sort",
        "find",
        "flat_map",
        "group_by",
        "unique",
        "chunk",
        "reverse",
        "partition",
        "zip",
        "sample",
        "range",
        "compact",
        "transpose",
        "variable",
        "extract",
        "transform",
        "accumulator",
        "counter",
        "parse",
        "format",
        "switch",
        "parallel",
        "join",
        "split",
        "delay",
        "cache",
        "retry",
        "try_catch",
        "timeout",
        "rate_limiter",
        "throttle",
        "schema_validator",
        "context_variable",
        "context_constant",
        "renderer",
    }
)


@dataclass(frozen=True)
class Difference:
    """A case whose Go expectation this port changes on purpose (ENGINE.md A1/A3).

    ``expect`` replaces keys of the case's ``expect``; ``snapshot_expect`` keys of its
    ``snapshot.expect``. The case then runs against the replaced expectations.
    """

    reason: str
    expect: dict[str, Any] = field(default_factory=dict)
    snapshot_expect: dict[str, Any] = field(default_factory=dict)


_NEW_FORMAT = (
    f"this port writes snapshot format {FORMAT_VERSION} (ENGINE.md A3: the Go format plus the "
    "fields needed to resume exactly); it still reads Go's 1.0.0 snapshots."
)

INTENDED_DIFFERENCES: dict[str, Difference] = {
    "snapshot_save_basic": Difference(
        _NEW_FORMAT + " current_level is meaningful (A3): the number of nodes decided in "
        "topological order, 3 after a completed 3-node run; Go always writes 0.",
        snapshot_expect={"version": FORMAT_VERSION, "current_level": 3},
    ),
    "snapshot_serialize_roundtrip": Difference(
        _NEW_FORMAT, snapshot_expect={"version": FORMAT_VERSION}
    ),
    "snapshot_invalid_version": Difference(
        "this port reads more than one format version, so the refusal lists the versions it "
        "reads instead of Go's '(expected 1.0.0)'.",
        snapshot_expect={"load_error_contains": "unsupported snapshot version: 99.99.99"},
    ),
}
# Expectations naming some node results (like the case's node_results): listed ids must match.
_PARTIAL_RESULTS = frozenset({"resumed_results", "restored_results"})


def _registry_types() -> frozenset[str]:
    return frozenset(default_registry().types())


def _same(actual: Any, expected: Any) -> bool:
    """Deep JSON equality; int and float compare by value, bools only equal bools."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and actual == expected
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(_same(actual[key], value) for key, value in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_same(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


def _snapshots_module() -> ModuleType | None:
    try:
        return importlib.import_module("pytest_wfsnap.engine.snapshots")
    except ModuleNotFoundError as exc:
        if exc.name == "pytest_wfsnap.engine.snapshots":
            return None
        raise


def _require_coverage(case: dict[str, Any], registered: frozenset[str]) -> None:
    if "snapshot" in case and _snapshots_module() is None:
        pytest.skip(f"{NOT_COVERED}: pytest_wfsnap.engine.snapshots does not exist yet")
    try:
        nodes = decode_payload(case["payload"]).nodes
    except PayloadError:
        return  # a decode-time case needs no executor
    missing = sorted({n.type for n in nodes if n.type in BUILTIN_TYPES} - registered)
    if missing:
        pytest.skip(f"{NOT_COVERED}: no executor registered for {', '.join(missing)}")


def _payload(case: dict[str, Any], request: pytest.FixtureRequest) -> Any:
    payload = case["payload"]
    server = case.get("fixture", {}).get("http_server")
    if server is None:
        return payload
    httpserver = request.getfixturevalue("httpserver")
    body: str = server["body"]
    matcher = re.compile(".*")
    if body.startswith("Response N"):
        count = {"n": 0}

        def numbered(_: Any) -> Any:
            from werkzeug import Response

            count["n"] += 1
            return Response(f"Response {count['n']}", content_type=server["content_type"])

        httpserver.expect_request(matcher).respond_with_handler(numbered)
    else:
        httpserver.expect_request(matcher).respond_with_data(
            body, status=server["status"], content_type=server["content_type"]
        )
    url = f"http://{httpserver.host}:{httpserver.port}"
    return json.loads(json.dumps(payload).replace(server["url_placeholder"], url))


def _check_error(message: str, expect: dict[str, Any]) -> None:
    assert expect["error_contains"] in message, f"error {message!r}"
    if expect.get("error_exact"):
        assert message == expect["error_exact"]


def _check_result(result: Any, eng: engine.Engine, expect: dict[str, Any]) -> None:
    results = result.node_results
    for node_id, value in (expect.get("node_results") or {}).items():
        assert node_id in results, f"node {node_id} has no result"
        assert _same(results[node_id], value), (
            f"node {node_id}: got {results[node_id]!r}, expected {value!r}"
        )
    for node_id in expect.get("node_results_absent") or []:
        assert node_id not in results, f"node {node_id} should have been skipped"
    if "node_result_count" in expect:
        assert len(results) == expect["node_result_count"]
    if expect["final_output_asserted"]:
        assert _same(result.final_output, expect["final_output"]), (
            f"final_output: got {result.final_output!r}, expected {expect['final_output']!r}"
        )
    for counter, value in (expect.get("engine_counters") or {}).items():
        assert getattr(eng, counter) == value, counter


def _run(payload: Any, config: engine.Config, expect: dict[str, Any]) -> engine.Engine:
    if expect.get("error_phase") == "parse":
        with pytest.raises(PayloadError) as raised:
            engine.new(payload, config)
        _check_error(str(raised.value), expect)
        return engine.new({"nodes": [], "edges": []}, config)
    eng = engine.new(payload, config)
    if expect["error_contains"] is None:
        result = eng.execute()
        assert result.status == "completed"
    else:
        with pytest.raises(ExecutionError) as failed:
            eng.execute()
        _check_error(str(failed.value), expect)
        partial = failed.value.result
        assert partial is not None and partial.status == "failed"
        result = partial
    _check_result(result, eng, expect)
    return eng


def _run_snapshot_steps(
    payload: Any, config: engine.Config, case: dict[str, Any], expect: dict[str, Any]
) -> None:
    snapshots = _snapshots_module()
    assert snapshots is not None
    spec = case["snapshot"]
    want = dict(spec["expect"])
    want.update(INTENDED_DIFFERENCES.get(case["name"], Difference("")).snapshot_expect)
    got: dict[str, Any] = {}
    eng = engine.new(payload, config)
    snap: Any = None
    data = b""
    restored: engine.Engine | None = None
    for step in spec["steps"]:
        if step == "execute" and restored is None:
            eng = _run(payload, config, expect)
        elif step == "execute":
            assert restored is not None
            resumed = restored.execute()
            got.update(
                resumed_results=resumed.node_results,
                resumed_result_count=len(resumed.node_results),
                resumed_node_execution_count=restored.node_execution_count,
                resumed_counter=restored.state.get_counter(),
            )
        elif step == "save_snapshot":
            snap = eng.save_snapshot()
        elif step == "serialize":
            data = snapshots.serialize_snapshot(snap)
            got["serialized_is_indented_json"] = (
                isinstance(json.loads(data), dict) and b"\n  " in data
            )
        elif step == "deserialize":
            snap = snapshots.deserialize_snapshot(data)
            got["execution_id_preserved"] = snap.execution_id == eng.execution_id
        elif step == "load_snapshot":
            restored = snapshots.load_snapshot(snap, None)
            got.update(
                restored_workflow_id=restored.workflow_id,
                restored_execution_id_equals_original=restored.execution_id == eng.execution_id,
                restored_results=dict(restored.results),
                restored_node_execution_count=restored.node_execution_count,
            )
        elif step == "execute_from_snapshot":
            resumed = snapshots.execute_from_snapshot(snap, None)
            again = snapshots.load_snapshot(snap, None)
            again.execute()
            got.update(
                resumed_results=resumed.node_results,
                resumed_result_count=len(resumed.node_results),
                resumed_node_execution_count=again.node_execution_count,
            )
        elif step == "load_snapshot_literal":
            with pytest.raises(WfsnapError) as refused:
                literal = snapshots.deserialize_snapshot(json.dumps(spec["literal"]).encode())
                snapshots.load_snapshot(literal, None)
            got["load_error_contains"] = str(refused.value)
        else:
            raise AssertionError(f"unknown snapshot step {step!r}")
    if snap is not None:
        got.update(
            version=snap.version,
            workflow_id=snap.workflow_id,
            execution_id_nonempty=bool(snap.execution_id),
            nodes_len=len(snap.nodes),
            edges_len=len(snap.edges),
            results_len=len(snap.results),
            snapshot_time_nonzero=bool(snap.snapshot_time),
            current_level=snap.current_level,
            node_execution_count=snap.node_execution_count,
            http_call_count=snap.http_call_count,
            variables=snap.variables,
            counter=snap.counter,
            accumulator=snap.accumulator,
        )
    for key, value in want.items():
        assert key in got, f"snapshot expectation {key!r} was not produced by the steps"
        if key == "load_error_contains":
            assert value in got[key], got[key]
        elif key in _PARTIAL_RESULTS:
            for node_id, result in value.items():
                assert _same(got[key].get(node_id), result), f"{key}[{node_id}]: {got[key]!r}"
        else:
            assert _same(got[key], value), f"{key}: got {got[key]!r}, expected {value!r}"


@pytest.fixture(scope="session")
def registered_types() -> frozenset[str]:
    return _registry_types()


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(
    case: dict[str, Any], registered_types: frozenset[str], request: pytest.FixtureRequest
) -> None:
    _require_coverage(case, registered_types)
    expect = dict(case["expect"])
    expect.update(INTENDED_DIFFERENCES.get(case["name"], Difference("")).expect)
    payload = _payload(case, request)
    config = config_from_overrides(case["config_overrides"])
    if "snapshot" in case:
        _run_snapshot_steps(payload, config, case, expect)
    else:
        _run(payload, config, expect)


def test_intended_differences_name_real_cases() -> None:
    names = {case["name"] for case in CASES}
    for name, difference in INTENDED_DIFFERENCES.items():
        assert name in names, name
        assert difference.reason, name
