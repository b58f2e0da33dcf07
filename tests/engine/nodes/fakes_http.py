"""A small Runtime for driving the HTTP executor directly in tests.

Real StateManager and Config; an HTTP call counter that enforces ``max_http_calls_per_exec``
with the engine's message; ``http_clients`` as a plain mapping (or a registry).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.expr.context import ExprContext
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.engine.nodes.http import HTTPExecutor
from pytest_wfsnap.engine.ssrf import Resolver
from pytest_wfsnap.engine.state import StateManager
from pytest_wfsnap.errors import LimitError
from tests.engine.nodes.fakes import RuntimeAccessors


class FakeRuntime(RuntimeAccessors):
    def __init__(
        self, config: Config | None = None, http_clients: Mapping[str, Any] | None = None
    ) -> None:
        self._config = config or Config()
        self._state = StateManager()
        self._results: dict[str, Any] = {}
        self._http_clients = http_clients or {}
        self.http_call_count = 0

    def random_for(self, node_id: str) -> random.Random:
        return random.Random(node_id)

    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)

    def sleep(self, seconds: float) -> None:
        raise AssertionError("the HTTP node never sleeps")

    def count_http_call(self) -> None:
        self.http_call_count += 1
        limit = self._config.max_http_calls_per_exec
        if limit > 0 and self.http_call_count > limit:
            raise LimitError(
                f"maximum HTTP calls per execution exceeded: {self.http_call_count} "
                f"(limit: {limit})"
            )

    def set_variable(self, name: str, value: Any) -> None:
        self._state.set_variable(name, value)

    def expr_context(self, extra: Mapping[str, Any] | None = None) -> ExprContext:
        return ExprContext(self._results, {**self._state.variables(), **(extra or {})})


def http_node(url: str, uid: str = "", node_id: str = "h") -> NodeSpec:
    """An http node as the decoder produces it (params zero-filled)."""
    data: dict[str, Any] = {"url": url}
    if uid:
        data["http_client_uid"] = uid
    return NodeSpec(node_id, "http", data, {"url": url, "http_client_uid": uid})


def static_resolver(table: Mapping[str, list[str]]) -> Resolver:
    """A resolver answering from ``table``; unknown names fail like a DNS miss."""

    def resolve(host: str) -> list[str]:
        try:
            return list(table[host.lower()])
        except KeyError:
            raise OSError(f"no such host: {host}") from None

    return resolve


def sequence_resolver(answers: list[list[str]]) -> tuple[Resolver, list[str]]:
    """A resolver giving ``answers`` in turn (the last one repeats), recording each lookup."""
    lookups: list[str] = []

    def resolve(host: str) -> list[str]:
        index = min(len(lookups), len(answers) - 1)
        lookups.append(host)
        return list(answers[index])

    return resolve, lookups


def run_http(executor: HTTPExecutor, rt: FakeRuntime, url: str, uid: str = "") -> Any:
    node = http_node(url, uid)
    return executor.execute(node, [], rt)


__all__ = ["FakeRuntime", "http_node", "run_http", "sequence_resolver", "static_resolver"]
