"""Verified inputs shared by the row groups, built once per run: payloads with their expected
results, and completed engines' snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmarks.settings import BenchmarkError
from benchmarks.workloads import UNLIMITED, baseline, generate
from pytest_wfsnap import engine
from pytest_wfsnap.engine.config import Config, make_config


def bench_config() -> Config:
    return make_config(UNLIMITED)


@dataclass(frozen=True)
class Workload:
    n: int
    payload: dict[str, Any]
    expected: dict[str, Any]  # node results of the bare loop, equal to the engine's


_CACHE: dict[int, Workload] = {}


def first_difference(got: dict[str, Any], want: dict[str, Any]) -> str:
    """A short description of where two node-result maps differ."""
    for node_id in sorted(set(got) | set(want)):
        if node_id not in got:
            return f"node {node_id}: missing from the engine's results (baseline {want[node_id]!r})"
        if node_id not in want:
            return f"node {node_id}: engine has {got[node_id]!r}, the bare loop skipped it"
        if got[node_id] != want[node_id]:
            return f"node {node_id}: engine {got[node_id]!r} != bare loop {want[node_id]!r}"
    return "no difference"


def check_results(what: str, got: Any, want: dict[str, Any]) -> None:
    """Abort loudly unless the engine's results equal the bare loop's."""
    got = dict(got)
    if got != want:
        raise BenchmarkError(
            f"{what}: the engine's node results differ from the bare loop's "
            f"({len(got)} vs {len(want)} results); first difference: {first_difference(got, want)}"
        )


def workload(n: int) -> Workload:
    """The payload of ``n`` nodes and its results, after checking engine == bare loop."""
    cached = _CACHE.get(n)
    if cached is not None:
        return cached
    payload = generate(n)
    expected = baseline(payload)
    result = engine.new(payload, bench_config()).execute()
    if result.status != "completed":
        raise BenchmarkError(f"{n} nodes: the engine ended with status {result.status!r}")
    check_results(f"{n} nodes", result.node_results, expected)
    _CACHE.clear()  # keep one large workload alive at a time
    _CACHE[n] = Workload(n, payload, expected)
    return _CACHE[n]


__all__ = ["Workload", "bench_config", "check_results", "first_difference", "workload"]
