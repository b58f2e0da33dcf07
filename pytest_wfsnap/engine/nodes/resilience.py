"""Resilience executors: retry, try_catch, timeout, parallel (ENGINE.md B9.44-9.47).

They behave as in the Go engine, which means none of them re-runs or wraps another node:
retry and try_catch inspect their input for an ``error`` key, timeout compares a simulated
``execution_time`` from its input with its limit, and parallel collects its inputs. Retry
waits between attempts through ``rt.sleep`` (so a test clock makes it instant and the run
deadline interrupts it).

Go crashes on ``max_attempts <= 0`` (retry) and hangs or crashes on ``max_concurrency <= 0``
(parallel); here both are clear node errors.

``EXECUTORS`` also lists rate_limiter and throttle from :mod:`.resilience_pacing`.
"""

from __future__ import annotations

import math
from typing import Any

from pytest_wfsnap.engine.gofmt import format_duration, go_v, parse_duration
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import (
    INT64_MAX,
    bool_field,
    first_input,
    float_field,
    given,
    go_int,
    int_field,
    str_field,
    str_list_field,
    wrap_int64,
)
from pytest_wfsnap.engine.nodes.resilience_pacing import PACING_EXECUTORS
from pytest_wfsnap.errors import NodeError

SECOND = 1_000_000_000
RETRY_DEFAULT_ATTEMPTS = 3
RETRY_DEFAULT_INITIAL = SECOND
RETRY_DEFAULT_MAX = 30 * SECOND
RETRY_DEFAULT_MULTIPLIER = 2.0
# Waits of the first attempts are slept one by one; beyond this many attempts the remaining
# waits are slept as one (their total), so a huge max_attempts never spins.
RETRY_STEPPED_ATTEMPTS = 1000
TIMEOUT_DEFAULT = 30 * SECOND
PARALLEL_DEFAULT_CONCURRENCY = 10


# --- retry -------------------------------------------------------------------------------------


def _go_pow(base: float, exponent: int) -> float:
    """Go ``math.Pow(base, float64(exponent))`` for a non-negative integer exponent."""
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return -math.inf if base < 0 and exponent % 2 else math.inf


def retry_delay(strategy: str, initial: int, cap: int, multiplier: float, attempt: int) -> int:
    """The wait (ns) after failed ``attempt``, with Go's float and int64 conversions.

    Exponential: ``Duration(float64(initial) * Pow(multiplier, attempt-1))`` (values outside
    int64 become the minimum int64, so huge exponential delays do not sleep, as in Go); linear:
    ``initial * attempt`` (int64); anything else: ``initial``. Capped at ``cap``.
    """
    if strategy == "exponential":
        delay = go_int(float(initial) * _go_pow(multiplier, attempt - 1))
    elif strategy == "linear":
        delay = wrap_int64(initial * attempt)
    else:
        delay = initial
    return cap if delay > cap else delay


def _clamped_geometric_sum(log_first: float, log_ratio: float, count: int, cap: int) -> float:
    """Sum over j < count of the waits ``exp(log_first + j*log_ratio)`` after Go's handling:
    values of 2**63 or more do not sleep, values above ``cap`` wait ``cap``, values below one
    nanosecond truncate to zero."""
    if count <= 0 or cap <= 0:
        return 0.0
    log_big = 63 * math.log(2)
    log_cap = math.log(cap)
    if log_ratio == 0:
        if log_first >= log_big or log_first < 0:
            return 0.0
        return count * (cap if log_first > log_cap else math.exp(log_first))

    def index_at(log_value: float) -> float:  # real j where the term equals exp(log_value)
        return (log_value - log_first) / log_ratio

    total = 0.0
    # Capped stretch: cap < term < 2**63; geometric stretch: 1 <= term <= cap.
    for low_log, high_log, capped in ((log_cap, log_big, True), (0.0, log_cap, False)):
        a, b = sorted((index_at(low_log), index_at(high_log)))
        j0 = max(0, math.ceil(a))
        j1 = min(count - 1, math.floor(b))
        if j0 > j1:
            continue
        if capped:
            total += cap * (j1 - j0 + 1)
        else:
            ratio = math.exp(log_ratio)
            n = j1 - j0 + 1
            first = math.exp(log_first + j0 * log_ratio)
            total += first * (math.expm1(n * log_ratio) / (ratio - 1.0))
    return total


def retry_tail_ns(
    strategy: str, initial: int, cap: int, multiplier: float, first: int, last: int
) -> float:
    """Total wait (ns) after attempts ``first..last``: the coalesced tail of a long retry."""
    count = last - first + 1
    if count <= 0 or cap <= 0:
        return 0.0
    if strategy == "linear":
        if initial <= 0:
            return 0.0
        plain_to = min(last, cap // initial)  # initial*a <= cap
        total = 0
        if first <= plain_to:
            total += initial * (first + plain_to) * (plain_to - first + 1) // 2
        capped_from = max(first, plain_to + 1)
        capped_to = min(last, INT64_MAX // initial)  # beyond this Go's int64 product wraps
        if capped_from <= capped_to:
            total += cap * (capped_to - capped_from + 1)
        return float(total)
    if strategy != "exponential":
        return float(min(initial, cap) * count) if min(initial, cap) > 0 else 0.0
    # exponential: term(a) = initial * m**(a-1); only positive terms wait.
    if initial == 0 or math.isnan(multiplier) or math.isinf(multiplier) or multiplier == 0:
        return 0.0  # first > 1: every term is 0, NaN or out of range
    k0, k1 = first - 1, last - 1
    log_abs_m = math.log(abs(multiplier))
    if multiplier > 0:
        if initial < 0:
            return 0.0
        return _clamped_geometric_sum(math.log(initial) + k0 * log_abs_m, log_abs_m, count, cap)
    parity = 0 if initial > 0 else 1  # exponents k whose sign makes the term positive
    if k0 % 2 != parity:
        k0 += 1
    if k1 % 2 != parity:
        k1 -= 1
    if k0 > k1:
        return 0.0
    log_first = math.log(abs(initial)) + k0 * log_abs_m
    return _clamped_geometric_sum(log_first, 2 * log_abs_m, (k1 - k0) // 2 + 1, cap)


def _duration_or(value: str, default: int) -> int:
    try:
        return parse_duration(value)
    except NodeError:
        return default


class RetryExecutor(Executor):
    """Pass a non-error input through; for an ``{"error": ...}`` input wait out the attempts
    and fail with the Go message."""

    node_type = "retry"
    data_struct = "RetryData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        attempts = RETRY_DEFAULT_ATTEMPTS
        if given(node, "max_attempts"):
            attempts = int_field(params, "max_attempts", node)
        strategy = "exponential"
        if given(node, "backoff_strategy"):
            strategy = str_field(params, "backoff_strategy", node)
        initial = RETRY_DEFAULT_INITIAL
        if given(node, "initial_delay"):
            initial = _duration_or(str_field(params, "initial_delay", node), initial)
        cap = RETRY_DEFAULT_MAX
        if given(node, "max_delay"):
            cap = _duration_or(str_field(params, "max_delay", node), cap)
        multiplier = RETRY_DEFAULT_MULTIPLIER
        if given(node, "multiplier"):
            multiplier = float_field(params, "multiplier", node)
        patterns = str_list_field(params, "retry_on_errors", node)
        value = first_input(inputs, "retry node requires at least one input")
        if attempts <= 0:
            raise NodeError(
                f"retry node {node.id}: max_attempts must be at least 1, got {attempts}"
            )
        if not (isinstance(value, dict) and "error" in value):
            return {"value": value, "attempts": 1, "success": True}
        error = value["error"]
        message = error if isinstance(error, str) else ""
        if patterns and not any(pattern in message for pattern in patterns):
            raise NodeError(f"error not in retry list: {message}")
        stepped = min(attempts - 1, RETRY_STEPPED_ATTEMPTS)
        for attempt in range(1, stepped + 1):
            delay = retry_delay(strategy, initial, cap, multiplier, attempt)
            if delay > 0:
                rt.sleep(delay / SECOND)
        if attempts - 1 > stepped:
            tail = retry_tail_ns(strategy, initial, cap, multiplier, stepped + 1, attempts - 1)
            if tail > 0:
                rt.sleep(tail / SECOND)
        raise NodeError(f"max retry attempts ({attempts}) reached: {message}")


# --- try_catch, timeout, parallel --------------------------------------------------------------


class TryCatchExecutor(Executor):
    """Replace an ``{"error": ...}`` input by the fallback value (or fail when asked to)."""

    node_type = "try_catch"
    data_struct = "TryCatchData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        fallback = params.get("fallback_value")
        continue_on_error = True
        if given(node, "continue_on_error"):
            continue_on_error = bool_field(params, "continue_on_error", node)
        output_path = str_field(params, "error_output_path", node)
        value = first_input(inputs, "try-catch node requires at least one input")
        if not (isinstance(value, dict) and "error" in value):
            return {"value": value, "error_caught": False}
        error = value["error"]
        message = error if isinstance(error, str) else go_v(error)
        result: dict[str, Any] = {"value": fallback, "error_caught": True, "error_message": message}
        if output_path:
            result["error_output_path"] = output_path
        if not continue_on_error:
            raise NodeError(f"error caught: {message}")
        return result


class TimeoutExecutor(Executor):
    """Compare the input's simulated ``execution_time`` with the limit."""

    node_type = "timeout"
    data_struct = "TimeoutData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        limit = TIMEOUT_DEFAULT
        if given(node, "timeout"):
            text = str_field(params, "timeout", node)
            try:
                limit = parse_duration(text)
            except NodeError:
                raise NodeError(f"invalid timeout duration: {text}") from None
        action = "error"
        if given(node, "timeout_action"):
            action = str_field(params, "timeout_action", node)
        value = first_input(inputs, "timeout node requires at least one input")
        elapsed = 0
        if isinstance(value, dict) and isinstance(value.get("execution_time"), str):
            elapsed = _duration_or(value["execution_time"], 0)
        timed_out = elapsed > limit
        result: dict[str, Any] = {
            "value": value,
            "timeout_duration": format_duration(limit),
            "execution_time": format_duration(elapsed),
            "timed_out": timed_out,
        }
        if timed_out:
            result["timeout_exceeded"] = True
            if action == "error":
                raise NodeError(
                    f"operation timed out after {format_duration(elapsed)} "
                    f"(limit: {format_duration(limit)})"
                )
            result["partial_result"] = True
        return result


class ParallelExecutor(Executor):
    """Collect all inputs in edge order."""

    node_type = "parallel"
    data_struct = "ParallelData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        first_input(inputs, "parallel node requires at least one input")
        concurrency = PARALLEL_DEFAULT_CONCURRENCY
        if given(node, "max_concurrency"):
            concurrency = int_field(params, "max_concurrency", node)
        if concurrency <= 0:
            raise NodeError(
                f"parallel node {node.id}: max_concurrency must be greater than 0, "
                f"got {concurrency}"
            )
        return {"results": list(inputs), "count": len(inputs), "concurrency": concurrency}


EXECUTORS: list[type[Executor]] = [
    RetryExecutor,
    TryCatchExecutor,
    TimeoutExecutor,
    ParallelExecutor,
    *PACING_EXECUTORS,
]

__all__ = [
    "EXECUTORS",
    "ParallelExecutor",
    "RetryExecutor",
    "TimeoutExecutor",
    "TryCatchExecutor",
    "retry_delay",
    "retry_tail_ns",
]
