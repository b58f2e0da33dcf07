"""What executors see of a run: the :class:`Runtime` services (ENGINE.md A2, B2.2, B4.6, B4.7).

:class:`RunServices` holds the per-run state the services need (config, state manager, clock,
deadline, counters, stored results, the run lock) and implements the Runtime protocol of
``nodes/base.py``. The engine builds on it.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.expr.context import ExprContext, Overlay
from pytest_wfsnap.engine.limits import check_variable, http_limit_message, timeout_message
from pytest_wfsnap.engine.state import Clock, StateManager, utc_now
from pytest_wfsnap.errors import LimitError, WorkflowTimeoutError


class RunServices:
    """The Runtime protocol over one run's state."""

    def __init__(
        self,
        config: Config | None,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        sleep: Callable[[float], None] | None = None,
        timer: Callable[[], float] | None = None,
        http_clients: Mapping[str, Any] | None = None,
    ) -> None:
        self._config = config if config is not None else Config()
        self._clock: Clock = clock if clock is not None else utc_now
        if timer is None:
            timer = time.monotonic if clock is None else (lambda: self._clock().timestamp())
        self._timer = timer
        self._sleeper = sleep if sleep is not None else time.sleep
        self._state = StateManager(self._clock)
        self._seed = seed if seed is not None else secrets.randbits(63)
        self._randoms: dict[str, random.Random] = {}
        self._http_clients: Mapping[str, Any] = MappingProxyType(dict(http_clients or {}))
        self._results: dict[str, Any] = {}
        self._results_view: Mapping[str, Any] = MappingProxyType(self._results)
        self._node_count = 0
        self._http_count = 0
        self._lock = threading.RLock()
        self._holder: int | None = None  # the thread running a node under the lock
        self._deadline: float | None = None  # timer value at which the current run times out

    @property
    def config(self) -> Config:
        return self._config

    @property
    def state(self) -> StateManager:
        return self._state

    @property
    def results(self) -> Mapping[str, Any]:
        """Stored node results (a live read-only view)."""
        return self._results_view

    @property
    def http_clients(self) -> Mapping[str, Any]:
        return self._http_clients

    @property
    def seed(self) -> int:
        return self._seed

    @property
    def node_execution_count(self) -> int:
        return self._node_count

    @property
    def http_call_count(self) -> int:
        return self._http_count

    def random_for(self, node_id: str) -> random.Random:
        source = self._randoms.get(node_id)
        if source is None:
            source = self._randoms[node_id] = random.Random(f"{self._seed}:{node_id}")
        return source

    def now(self) -> datetime:
        return self._clock()

    def sleep(self, seconds: float) -> None:
        """Wait up to the run deadline with the run lock released; past it, time out."""
        deadline = self._deadline
        seconds = max(float(seconds), 0.0)
        if deadline is None:
            if seconds:
                self._sleeper(seconds)
            return
        wait = min(seconds, max(deadline - self._timer(), 0.0))
        if wait > 0:
            release = self._holder == threading.get_ident()
            if release:
                self._lock.release()
            try:
                self._sleeper(wait)
            finally:
                if release:
                    self._lock.acquire()
        if wait < seconds or self._timer() > deadline:
            raise WorkflowTimeoutError(timeout_message(self._config.max_execution_time))

    def count_http_call(self) -> None:
        self._http_count += 1
        limit = self._config.max_http_calls_per_exec
        if limit > 0 and self._http_count > limit:
            raise LimitError(http_limit_message(self._http_count, limit))

    def set_variable(self, name: str, value: Any) -> None:
        state = self._state
        with state.lock:
            is_new = not state.has_variable(name)
            check_variable(value, self._config, is_new, state.variable_count())
            state.set_variable(name, value)

    def expr_context(self, extra: Mapping[str, Any] | None = None) -> ExprContext:
        variables: Mapping[str, Any] = self._state.variables_view
        if extra:
            variables = Overlay(extra, variables)
        return ExprContext(self._results_view, variables, self._state.context_view)


__all__ = ["Overlay", "RunServices"]
