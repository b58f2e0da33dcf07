"""retry, try_catch, timeout, parallel, rate_limiter and throttle (ENGINE.md B9.44-9.51).

Waits go through the fake runtime's ``sleep``, which advances its clock and records the
requested seconds; nothing really sleeps.
"""

from __future__ import annotations

from typing import Any

import pytest

from pytest_wfsnap.engine.nodes import resilience
from pytest_wfsnap.engine.nodes.resilience import (
    ParallelExecutor,
    RetryExecutor,
    TimeoutExecutor,
    TryCatchExecutor,
    retry_delay,
    retry_tail_ns,
)
from pytest_wfsnap.engine.nodes.resilience_pacing import RateLimiterExecutor, ThrottleExecutor
from pytest_wfsnap.errors import WorkflowTimeoutError
from tests.engine.nodes.fakes_family2 import FakeRuntime, fails_with, run

BOOM = {"error": "boom"}


def test_module_exports() -> None:
    assert [cls.node_type for cls in resilience.EXECUTORS] == [
        "retry",
        "try_catch",
        "timeout",
        "parallel",
        "rate_limiter",
        "throttle",
    ]


@pytest.mark.parametrize("executor", resilience.EXECUTORS)
def test_missing_data(executor: Any) -> None:
    with fails_with(f"expected {executor.data_struct}, got <nil>"):
        run(executor, None, [1.0])


# --- retry ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [3.0, "ok", None, [BOOM], {"status": "error"}])
def test_retry_passes_non_errors_through(value: Any) -> None:
    rt = FakeRuntime()
    result = run(RetryExecutor, {"max_attempts": 3}, [value], rt)
    assert result == {"value": value, "attempts": 1, "success": True}
    assert type(result["attempts"]) is int
    assert rt.sleeps == []


@pytest.mark.parametrize(
    ("data", "sleeps"),
    [
        ({}, [1.0, 2.0]),
        ({"max_attempts": 2, "initial_delay": "1ms"}, [0.001]),
        ({"max_attempts": 4, "initial_delay": "10s", "max_delay": "15s"}, [10.0, 15.0, 15.0]),
        ({"max_attempts": 4, "backoff_strategy": "linear"}, [1.0, 2.0, 3.0]),
        ({"max_attempts": 4, "backoff_strategy": "constant"}, [1.0, 1.0, 1.0]),
        ({"max_attempts": 3, "backoff_strategy": "fibonacci"}, [1.0, 1.0]),
        ({"max_attempts": 3, "backoff_strategy": ""}, [1.0, 1.0]),
        ({"max_attempts": 4, "multiplier": 3.0}, [1.0, 3.0, 9.0]),
        ({"max_attempts": 4, "multiplier": 0.0}, [1.0]),
        ({"max_attempts": 3, "multiplier": 0.5, "initial_delay": "1s"}, [1.0, 0.5]),
        ({"max_attempts": 3, "initial_delay": "soon", "max_delay": "later"}, [1.0, 2.0]),
        ({"max_attempts": 3, "initial_delay": "50"}, [0.05, 0.1]),
        ({"max_attempts": 3, "initial_delay": "-1s"}, []),
        ({"max_attempts": 1}, []),
    ],
)
def test_retry_waits_then_fails(data: dict[str, Any], sleeps: list[float]) -> None:
    rt = FakeRuntime()
    attempts = data.get("max_attempts", 3)
    with fails_with(f"max retry attempts ({attempts}) reached: boom"):
        run(RetryExecutor, data, [BOOM], rt)
    assert rt.sleeps == pytest.approx(sleeps)


def test_retry_message_of_a_non_string_error_is_empty() -> None:
    with fails_with("max retry attempts (2) reached: "):
        run(RetryExecutor, {"max_attempts": 2, "initial_delay": "0"}, [{"error": 500.0}])


def test_retry_on_errors_filter() -> None:
    rt = FakeRuntime()
    with fails_with("error not in retry list: boom"):
        run(RetryExecutor, {"retry_on_errors": ["timeout"]}, [BOOM], rt)
    assert rt.sleeps == []
    with fails_with("max retry attempts (2) reached: connection timeout"):
        run(
            RetryExecutor,
            {"max_attempts": 2, "retry_on_errors": ["nope", "timeout"]},
            [{"error": "connection timeout"}],
            rt,
        )
    assert rt.sleeps == [1.0]


@pytest.mark.parametrize("attempts", [0, -3])
@pytest.mark.parametrize("value", [BOOM, 1.0])
def test_retry_without_attempts_is_a_clear_error(attempts: int, value: Any) -> None:
    with fails_with(f"retry node n1: max_attempts must be at least 1, got {attempts}"):
        run(RetryExecutor, {"max_attempts": attempts}, [value])


def test_retry_needs_an_input() -> None:
    with fails_with("retry node requires at least one input"):
        run(RetryExecutor, {"max_attempts": 0}, [])


def test_retry_huge_attempt_counts_do_not_spin() -> None:
    rt = FakeRuntime()
    with fails_with(f"max retry attempts ({10**12}) reached: boom"):
        run(
            RetryExecutor,
            {"max_attempts": 10**12, "backoff_strategy": "constant", "initial_delay": "0"},
            [BOOM],
            rt,
        )
    assert rt.sleeps == []


def test_retry_exponential_delays_beyond_int64_do_not_sleep_as_in_go() -> None:
    rt = FakeRuntime()
    with fails_with(f"max retry attempts ({10**9}) reached: boom"):
        run(RetryExecutor, {"max_attempts": 10**9}, [BOOM], rt)
    # 1+2+4+8+16 seconds, then the 30s cap until 1s * 2**34 leaves int64 (attempt 35).
    assert len(rt.sleeps) == 34
    assert sum(rt.sleeps) == pytest.approx(31 + 30 * 29)


def test_retry_long_tail_is_slept_as_one_wait() -> None:
    rt = FakeRuntime()
    with fails_with("max retry attempts (5001) reached: boom"):
        run(
            RetryExecutor,
            {"max_attempts": 5001, "backoff_strategy": "constant", "initial_delay": "1ms"},
            [BOOM],
            rt,
        )
    assert len(rt.sleeps) == 1001
    assert rt.sleeps[-1] == pytest.approx(4.0)
    assert sum(rt.sleeps) == pytest.approx(5.0)


def test_retry_is_interrupted_by_the_run_deadline() -> None:
    rt = FakeRuntime(deadline=5.0)
    with pytest.raises(WorkflowTimeoutError):
        run(RetryExecutor, {"max_attempts": 10}, [BOOM], rt)
    assert rt.elapsed() == pytest.approx(5.0)


def test_retry_delay_go_conversions() -> None:
    second = 1_000_000_000
    assert retry_delay("exponential", second, 30 * second, 2.0, 3) == 4 * second
    assert retry_delay("exponential", second, 30 * second, 2.0, 40) < 0  # beyond int64
    assert retry_delay("exponential", second, 30 * second, float("nan"), 2) < 0
    assert retry_delay("exponential", -second, 30 * second, -2.0, 2) == 2 * second
    assert retry_delay("linear", 5, 100, 2.0, 7) == 35
    assert retry_delay("linear", 2**62, 2**63 - 1, 2.0, 4) == 0  # int64 wrap-around
    assert retry_delay("other", 5, 3, 2.0, 9) == 3


@pytest.mark.parametrize(
    ("strategy", "initial", "cap", "multiplier"),
    [
        ("constant", 1_000_000, 10**9, 2.0),
        ("constant", -5, 10**9, 2.0),
        ("linear", 1_000_000, 10**9, 2.0),
        ("linear", 7, 10**12, 2.0),
        ("exponential", 1_000_000, 10**9, 1.0001),
        ("exponential", 10**9, 30 * 10**9, 0.9995),
        ("exponential", 10**6, 10**10, -1.0002),
        ("exponential", -(10**6), 10**10, -1.0002),
        ("exponential", 10**6, 10**10, 1.0),
        ("exponential", 10**6, 10**10, -1.0),
        ("exponential", 10**9, 30 * 10**9, 2.0),
        ("exponential", 10**9, -1, 1.5),
    ],
)
def test_retry_tail_matches_the_attempt_by_attempt_sum(
    strategy: str, initial: int, cap: int, multiplier: float
) -> None:
    first, last = 1001, 20000
    exact = sum(
        max(retry_delay(strategy, initial, cap, multiplier, a), 0) for a in range(first, last + 1)
    )
    tail = retry_tail_ns(strategy, initial, cap, multiplier, first, last)
    assert tail == pytest.approx(exact, rel=1e-9, abs=last - first + 1)


# --- try_catch --------------------------------------------------------------------------------


def test_try_catch_passes_non_errors_through() -> None:
    assert run(TryCatchExecutor, {"continue_on_error": True}, [1.0]) == {
        "value": 1.0,
        "error_caught": False,
    }
    assert run(TryCatchExecutor, {}, [{"ok": True}]) == {
        "value": {"ok": True},
        "error_caught": False,
    }


def test_try_catch_replaces_an_error_by_the_fallback() -> None:
    assert run(TryCatchExecutor, {"fallback_value": "default"}, [BOOM]) == {
        "value": "default",
        "error_caught": True,
        "error_message": "boom",
    }
    assert run(TryCatchExecutor, {}, [BOOM])["value"] is None
    with_path = run(TryCatchExecutor, {"error_output_path": "errors"}, [BOOM])
    assert with_path["error_output_path"] == "errors"


@pytest.mark.parametrize(
    ("error", "message"),
    [(404.0, "404"), ({"code": 1.0}, "map[code:1]"), (None, "<nil>"), ([1.5, "x"], "[1.5 x]")],
)
def test_try_catch_message_of_non_string_errors(error: Any, message: str) -> None:
    result = run(TryCatchExecutor, {"fallback_value": 0.0}, [{"error": error}])
    assert result["error_message"] == message


def test_try_catch_continue_on_error_defaults_to_true() -> None:
    assert run(TryCatchExecutor, {}, [BOOM])["error_caught"] is True
    assert run(TryCatchExecutor, {"continue_on_error": None}, [BOOM])["error_caught"] is True
    with fails_with("error caught: boom"):
        run(TryCatchExecutor, {"fallback_value": "default", "continue_on_error": False}, [BOOM])


def test_try_catch_needs_an_input() -> None:
    with fails_with("try-catch node requires at least one input"):
        run(TryCatchExecutor, {}, [])


# --- timeout ----------------------------------------------------------------------------------

SLOW = {"execution_time": "2s"}


def test_timeout_partial_result() -> None:
    data = {"timeout": "1s", "timeout_action": "continue_with_partial"}
    assert run(TimeoutExecutor, data, [SLOW]) == {
        "value": SLOW,
        "timeout_duration": "1s",
        "execution_time": "2s",
        "timed_out": True,
        "timeout_exceeded": True,
        "partial_result": True,
    }
    assert run(TimeoutExecutor, {"timeout": "1s", "timeout_action": ""}, [SLOW])["partial_result"]


def test_timeout_error_action() -> None:
    with fails_with("operation timed out after 2s (limit: 1s)"):
        run(TimeoutExecutor, {"timeout": "1s"}, [SLOW])
    with fails_with("operation timed out after 1m30s (limit: 1.5ms)"):
        run(
            TimeoutExecutor,
            {"timeout": "1.5ms", "timeout_action": "error"},
            [{"execution_time": "90s"}],
        )


@pytest.mark.parametrize(
    ("data", "value", "limit", "elapsed"),
    [
        ({"timeout": "1s"}, 5.0, "1s", "0s"),
        ({"timeout": "2s"}, SLOW, "2s", "2s"),
        ({"timeout": "1500"}, {"execution_time": "1200"}, "1.5s", "1.2s"),
        ({"timeout": "1s"}, {"execution_time": "soon"}, "1s", "0s"),
        ({"timeout": "1s"}, {"execution_time": 5.0}, "1s", "0s"),
        ({}, {"execution_time": "29s"}, "30s", "29s"),
        ({"timeout": None}, 1.0, "30s", "0s"),
        ({"timeout": "1h"}, {"execution_time": "1µs"}, "1h0m0s", "1µs"),
    ],
)
def test_timeout_not_exceeded(data: dict[str, Any], value: Any, limit: str, elapsed: str) -> None:
    assert run(TimeoutExecutor, data, [value]) == {
        "value": value,
        "timeout_duration": limit,
        "execution_time": elapsed,
        "timed_out": False,
    }


def test_timeout_errors_in_go_order() -> None:
    with fails_with("invalid timeout duration: abc"):
        run(TimeoutExecutor, {"timeout": "abc"}, [])
    with fails_with("invalid timeout duration: "):
        run(TimeoutExecutor, {"timeout": ""}, [1.0])
    with fails_with("timeout node requires at least one input"):
        run(TimeoutExecutor, {"timeout": "1s"}, [])


# --- parallel ---------------------------------------------------------------------------------


def test_parallel_collects_inputs_in_order() -> None:
    assert run(ParallelExecutor, {}, [1.0, 2.0, None]) == {
        "results": [1.0, 2.0, None],
        "count": 3,
        "concurrency": 10,
    }
    assert run(ParallelExecutor, {"max_concurrency": 3}, ["a"])["concurrency"] == 3


@pytest.mark.parametrize("concurrency", [0, -2])
def test_parallel_without_concurrency_is_a_clear_error(concurrency: int) -> None:
    with fails_with(f"parallel node n1: max_concurrency must be greater than 0, got {concurrency}"):
        run(ParallelExecutor, {"max_concurrency": concurrency}, [1.0])


def test_parallel_needs_an_input() -> None:
    with fails_with("parallel node requires at least one input"):
        run(ParallelExecutor, {"max_concurrency": 0}, [])


# --- rate_limiter -----------------------------------------------------------------------------


def test_rate_limiter_first_call() -> None:
    rt = FakeRuntime()
    data = {"max_requests": 10, "per_duration": "1s"}
    result = run(RateLimiterExecutor, data, [1.0], rt)
    assert result == {
        "value": 1.0,
        "rate_limited": True,
        "requests_count": 1,
        "max_requests": 10,
        "window": "1s",
    }
    assert rt.sleeps == []
    assert run(RateLimiterExecutor, {}, [], rt) == {
        "value": None,
        "rate_limited": True,
        "requests_count": 1,
        "max_requests": 10,
        "window": "1s",
    }


def test_rate_limiter_waits_for_the_oldest_request_to_leave_the_window() -> None:
    rt = FakeRuntime()
    limiter = RateLimiterExecutor()
    data = {"max_requests": 2, "per_duration": "1s"}
    counts = []
    for _ in range(2):
        counts.append(run(limiter, data, ["x"], rt)["requests_count"])
        rt.clock.advance(0.4)
    counts.append(run(limiter, data, ["x"], rt)["requests_count"])
    assert counts == [1, 2, 2]
    assert rt.sleeps == pytest.approx([0.2])
    assert rt.elapsed() == pytest.approx(1.0)


def test_rate_limiter_full_window_at_one_instant() -> None:
    rt = FakeRuntime()
    limiter = RateLimiterExecutor()
    data = {"max_requests": 2, "per_duration": "500"}
    counts = [run(limiter, data, [i], rt)["requests_count"] for i in range(3)]
    assert counts == [1, 2, 1]
    assert rt.sleeps == pytest.approx([0.5])
    assert run(limiter, data, [0], rt)["window"] == "500"


def test_rate_limiter_keeps_one_window_per_node_and_engine() -> None:
    rt = FakeRuntime()
    limiter = RateLimiterExecutor()
    data = {"max_requests": 1, "per_duration": "1m"}
    assert run(limiter, data, [1], rt, "a")["requests_count"] == 1
    assert run(limiter, data, [1], rt, "b")["requests_count"] == 1
    assert run(RateLimiterExecutor(), data, [1], rt, "a")["requests_count"] == 1
    assert rt.sleeps == []
    run(limiter, data, [1], rt, "a")
    assert rt.sleeps == pytest.approx([60.0])


def test_rate_limiter_errors() -> None:
    with fails_with(
        "invalid per_duration format: invalid duration format: soon (use formats like "
        "'5s', '10m', '1h')"
    ):
        run(RateLimiterExecutor, {"max_requests": 1, "per_duration": "soon"}, [])
    with fails_with(
        "unsupported rate limit strategy: sliding_window (only fixed_window supported)"
    ):
        run(
            RateLimiterExecutor,
            {"max_requests": 1, "per_duration": "1s", "strategy": "sliding_window"},
            [],
        )
    with fails_with("rate_limiter node n1: max_requests must be greater than 0, got 0"):
        run(RateLimiterExecutor, {"max_requests": 0, "per_duration": "1s"}, [])


# --- throttle ---------------------------------------------------------------------------------


def test_throttle_first_call_does_not_wait() -> None:
    rt = FakeRuntime()
    result = run(ThrottleExecutor, {"requests_per_second": 5.0}, [1.0], rt)
    assert result == {
        "value": 1.0,
        "throttled": True,
        "requests_per_second": 5.0,
        "delay_ms": 0,
    }
    assert type(result["delay_ms"]) is int
    assert rt.sleeps == []


@pytest.mark.parametrize(
    ("rps", "gap", "delay_ms"),
    [(5.0, 0.0, 200), (5.0, 0.15, 50), (5.0, 1.0, 0), (3.0, 0.0, 333), (4, 0.1, 150)],
)
def test_throttle_spaces_runs_of_one_node(rps: float, gap: float, delay_ms: int) -> None:
    rt = FakeRuntime()
    throttle = ThrottleExecutor()
    run(throttle, {"requests_per_second": rps}, [None], rt)
    rt.clock.advance(gap)
    result = run(throttle, {"requests_per_second": rps}, [None], rt)
    assert result["delay_ms"] == delay_ms
    assert sum(rt.sleeps) == pytest.approx(delay_ms / 1000, abs=1e-3)
    other = run(throttle, {"requests_per_second": rps}, [None], rt, "other")
    assert other["delay_ms"] == 0


@pytest.mark.parametrize(("rps", "shown"), [(0.0, "0.000000"), (-1.5, "-1.500000")])
def test_throttle_rate_must_be_positive(rps: float, shown: str) -> None:
    with fails_with(f"requests_per_second must be positive, got {shown}"):
        run(ThrottleExecutor, {"requests_per_second": rps}, [])
