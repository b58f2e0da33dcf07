"""Pacing executors: rate_limiter and throttle (ENGINE.md B9.50, B9.51).

Both keep per-node memory on the executor instance (one instance per engine, as in Go): the
rate limiter a sliding log of request times per node id, the throttle the time of each node's
last run. Times come from ``rt.now()`` and waits go through ``rt.sleep``, so an injected clock
makes them deterministic and instant. This memory is not part of a snapshot (Go does not
restore it either); it only matters when the same node runs more than once on one engine.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pytest_wfsnap.engine.gofmt import parse_duration
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import (
    float_field,
    given,
    go_float_f,
    go_int,
    int_field,
    str_field,
)
from pytest_wfsnap.errors import NodeError

SECOND = 1_000_000_000
MILLISECOND = 1_000_000
RATE_DEFAULT_MAX_REQUESTS = 10
RATE_DEFAULT_WINDOW = "1s"
THROTTLE_DEFAULT_RPS = 5.0
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def now_ns(rt: Runtime) -> int:
    """The engine clock in integer nanoseconds since the Unix epoch."""
    now = rt.now()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    delta = now - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds * 1_000


@dataclass(slots=True)
class _Bucket:
    """Request times (ns) of one node inside its window; limits fixed at the first run."""

    max_requests: int
    window: int
    requests: list[int] = field(default_factory=list)

    def prune(self, now: int) -> None:
        cutoff = now - self.window
        self.requests = [t for t in self.requests if t > cutoff]


class RateLimiterExecutor(Executor):
    """At most ``max_requests`` runs of a node per ``per_duration``; waits when full."""

    node_type = "rate_limiter"
    data_struct = "RateLimiterData"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, _Bucket] = {}

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = inputs[0] if inputs else None
        max_requests = RATE_DEFAULT_MAX_REQUESTS
        if given(node, "max_requests"):
            max_requests = int_field(params, "max_requests", node)
        per_duration = RATE_DEFAULT_WINDOW
        if given(node, "per_duration"):
            per_duration = str_field(params, "per_duration", node)
        try:
            window = parse_duration(per_duration)
        except NodeError as exc:
            raise NodeError(f"invalid per_duration format: {exc}") from None
        strategy = "fixed_window"
        if given(node, "strategy"):
            strategy = str_field(params, "strategy", node)
        if strategy != "fixed_window":
            raise NodeError(
                f"unsupported rate limit strategy: {strategy} (only fixed_window supported)"
            )
        if max_requests <= 0:
            raise NodeError(
                f"rate_limiter node {node.id}: max_requests must be greater than 0, "
                f"got {max_requests}"
            )
        with self._lock:
            bucket = self._buckets.get(node.id)
            if bucket is None:
                bucket = self._buckets[node.id] = _Bucket(max_requests, window)
            bucket.prune(now_ns(rt))
            full = len(bucket.requests) >= bucket.max_requests
            wait = bucket.window - (now_ns(rt) - bucket.requests[0]) if full else 0
        if full:
            if wait > 0:
                rt.sleep(wait / SECOND)
            with self._lock:
                bucket.prune(now_ns(rt))
        with self._lock:
            bucket.requests.append(now_ns(rt))
            count = len(bucket.requests)
        return {
            "value": value,
            "rate_limited": True,
            "requests_count": count,
            "max_requests": max_requests,
            "window": per_duration,
        }


class ThrottleExecutor(Executor):
    """Space the runs of one node at least ``1/requests_per_second`` apart."""

    node_type = "throttle"
    data_struct = "ThrottleData"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_run: dict[str, int] = {}

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = inputs[0] if inputs else None
        rps = THROTTLE_DEFAULT_RPS
        if given(node, "requests_per_second"):
            rps = float_field(params, "requests_per_second", node)
        if rps <= 0:
            raise NodeError(f"requests_per_second must be positive, got {go_float_f(rps)}")
        min_gap = go_int(SECOND / rps)
        with self._lock:
            last = self._last_run.get(node.id)
        delay = 0
        if last is not None:
            elapsed = now_ns(rt) - last
            if elapsed < min_gap:
                delay = min_gap - elapsed
                rt.sleep(delay / SECOND)
        with self._lock:
            self._last_run[node.id] = now_ns(rt)
        return {
            "value": value,
            "throttled": True,
            "requests_per_second": rps,
            "delay_ms": delay // MILLISECOND,
        }


PACING_EXECUTORS: list[type[Executor]] = [RateLimiterExecutor, ThrottleExecutor]

__all__ = ["PACING_EXECUTORS", "RateLimiterExecutor", "ThrottleExecutor", "now_ns"]
