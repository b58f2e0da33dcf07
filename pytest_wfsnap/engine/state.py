"""The state manager shared by every node of one run (Go ``state.Manager``).

Variables, ONE accumulator, ONE counter, a cache with per-entry expiration, context variables and
context constants. Every method takes the manager's lock, so executors and snapshotters on other
threads see consistent values. The clock is injectable: cache expiry never needs a real sleep in
tests, and a restore can be judged "as of" a recorded time.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The default clock: the current time, timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass(slots=True)
class CacheEntry:
    """A cached value and the instant after which it is expired."""

    value: Any
    expiration: datetime


class VariableNotFound(KeyError):
    """Raised by :meth:`StateManager.get_variable` for a missing name."""


class StateManager:
    """Workflow state for one engine."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self._lock = threading.RLock()
        self.clock = clock
        self._variables: dict[str, Any] = {}
        self._accumulator: Any = None
        self._counter: float = 0.0
        self._cache: dict[str, CacheEntry] = {}
        self._context_vars: dict[str, Any] = {}
        self._context_consts: dict[str, Any] = {}
        self._context_merged: dict[str, Any] = {}

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    # --- variables ------------------------------------------------------------------------
    def get_variable(self, name: str) -> Any:
        with self._lock:
            try:
                return self._variables[name]
            except KeyError:
                raise VariableNotFound(name) from None

    def set_variable(self, name: str, value: Any) -> None:
        with self._lock:
            self._variables[name] = value

    def has_variable(self, name: str) -> bool:
        with self._lock:
            return name in self._variables

    def variable_count(self) -> int:
        with self._lock:
            return len(self._variables)

    @property
    def variables_view(self) -> Mapping[str, Any]:
        """The live variables mapping (read-only by convention; used by expressions)."""
        return self._variables

    def variables(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._variables)

    # --- accumulator and counter ----------------------------------------------------------
    def get_accumulator(self) -> Any:
        with self._lock:
            return self._accumulator

    def set_accumulator(self, value: Any) -> None:
        with self._lock:
            self._accumulator = value

    def get_counter(self) -> float:
        with self._lock:
            return self._counter

    def set_counter(self, value: float) -> None:
        with self._lock:
            self._counter = value

    # --- cache ----------------------------------------------------------------------------
    def cache_get(self, key: str) -> tuple[bool, Any]:
        """``(found, value)``; an entry past its expiration counts as not found."""
        with self._lock:
            entry = self._cache.get(key)
            if entry is None or self.clock() > entry.expiration:
                return False, None
            return True, entry.value

    def cache_set(self, key: str, value: Any, ttl: timedelta) -> None:
        with self._lock:
            self._cache[key] = CacheEntry(value, self.clock() + ttl)

    def cache_restore(self, key: str, value: Any, expiration: datetime) -> None:
        """Put back an entry with its absolute expiration (snapshot restore)."""
        with self._lock:
            self._cache[key] = CacheEntry(value, expiration)

    def cache_entries(self) -> dict[str, CacheEntry]:
        with self._lock:
            return {k: CacheEntry(v.value, v.expiration) for k, v in self._cache.items()}

    # --- context --------------------------------------------------------------------------
    def set_context_var(self, name: str, value: Any) -> None:
        with self._lock:
            self._context_vars[name] = value
            self._context_merged[name] = value

    def set_context_const(self, name: str, value: Any) -> None:
        with self._lock:
            self._context_consts[name] = value
            if name not in self._context_vars:
                self._context_merged[name] = value

    def context_vars(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._context_vars)

    def context_consts(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._context_consts)

    @property
    def context_view(self) -> Mapping[str, Any]:
        """Constants overlaid by variables, kept up to date incrementally (for expressions)."""
        return self._context_merged

    # --- whole-state copies ---------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """A deep copy of the whole state (for snapshots)."""
        with self._lock:
            return copy.deepcopy(
                {
                    "variables": self._variables,
                    "accumulator": self._accumulator,
                    "counter": self._counter,
                    "cache": {
                        k: {"value": v.value, "expiration": v.expiration}
                        for k, v in self._cache.items()
                    },
                    "context_vars": self._context_vars,
                    "context_consts": self._context_consts,
                }
            )


__all__ = ["CacheEntry", "Clock", "StateManager", "VariableNotFound", "utc_now"]
