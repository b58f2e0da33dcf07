"""The workflow engine: runs a decoded payload node by node (ENGINE.md B4), and resumes.

Each node is in one of four states: pending, completed (it has a stored result), skipped (its
conditional inputs were not taken) or failed. ``execute()`` walks the topological order and
decides only pending nodes, so calling it again on an engine that paused, failed, or was
rebuilt from an :class:`EngineState` resumes where the run stopped: completed nodes are not
re-run, their results feed their successors, and the counters continue.

The engine is also the :class:`~pytest_wfsnap.engine.nodes.base.Runtime` executors see.
A run lock is held while a node executes and its result is committed (``rt.sleep`` releases
it while waiting), so :meth:`export_state` from another thread always sees a consistent run.
"""

from __future__ import annotations

import importlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.copying import gc_paused, json_copy
from pytest_wfsnap.engine.decode import Edge, Payload
from pytest_wfsnap.engine.engine_state import EngineState, RunStatus
from pytest_wfsnap.engine.graph import Plan, Step, final_output, should_execute
from pytest_wfsnap.engine.limits import (
    node_limit_message,
    result_limit,
    timeout_message,
)
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.engine.observers import Event, EventType, Observer, notify
from pytest_wfsnap.engine.plans import make_plan
from pytest_wfsnap.engine.registry import ExecutorLike, Registry, default_registry
from pytest_wfsnap.engine.result import Result, ResultStatus
from pytest_wfsnap.engine.runtime import RunServices
from pytest_wfsnap.engine.state import Clock
from pytest_wfsnap.errors import (
    ConfigError,
    ExecutionError,
    GraphError,
    LimitError,
    NodeError,
    WfsnapError,
    WorkflowTimeoutError,
    describe,
)

logger = logging.getLogger("pytest_wfsnap.engine")

StopAt = str | Iterable[str] | None


class _NodeFailed(Exception):
    def __init__(self, node_id: str, message: str) -> None:
        super().__init__(message)
        self.node_id = node_id
        self.message = message


class Engine(RunServices):
    """Runs one workflow. Create it with :func:`pytest_wfsnap.engine.new`."""

    def __init__(
        self,
        payload: Payload,
        config: Config | None = None,
        registry: Registry | None = None,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        sleep: Callable[[float], None] | None = None,
        timer: Callable[[], float] | None = None,
        observers: Iterable[Observer] = (),
        replay_results: Mapping[str, Any] | None = None,
        http_clients: Mapping[str, Any] | None = None,
        execution_id: str | None = None,
    ) -> None:
        super().__init__(
            config, clock=clock, seed=seed, sleep=sleep, timer=timer, http_clients=http_clients
        )
        self._payload = payload
        self._registry = registry if registry is not None else default_registry()
        self._execution_id = execution_id or secrets.token_hex(8)
        self._observers: list[Observer] = list(observers)
        self._replay: dict[str, Any] = dict(replay_results or {})
        self._completed: list[str] = []
        self._skipped: list[str] = []
        self._skipped_set: set[str] = set()
        self._failed_node: str | None = None
        self._status: RunStatus = "pending"
        self._http_recordings: dict[str, Any] = {}
        self._executors: dict[str, ExecutorLike] = {}
        self._plan: Plan | None = None
        # Index in the plan's order of the node the run loop is deciding (the ones before it
        # are decided): where the nodes left start, for snapshots.
        self._cursor = 0
        # The workflow definition as exported to snapshots (nodes, edges), made once.
        self._exported: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None
        # Stored results whose id is no node id (only a restored state can hold such), or None
        # when not counted yet; the run adds results of nodes only.
        self._foreign_results: int | None = 0
        self._current: str | None = None  # the node being executed
        self._counts_at_boundary = (0, 0)  # (node, http) counters when it started

    # --- identity and progress ----------------------------------------------------------------
    @property
    def execution_id(self) -> str:
        return self._execution_id

    @property
    def workflow_id(self) -> str:
        return self._payload.workflow_id

    @property
    def payload(self) -> Payload:
        return self._payload

    @property
    def nodes(self) -> list[NodeSpec]:
        return list(self._payload.nodes)

    @property
    def edges(self) -> list[Edge]:
        return list(self._payload.edges)

    @property
    def registry(self) -> Registry:
        return self._registry

    @property
    def running_node(self) -> str | None:
        """The id of the node executing right now (None between nodes)."""
        return self._current

    @property
    def status(self) -> RunStatus:
        return self._status

    @property
    def completed_nodes(self) -> list[str]:
        with self._lock:
            return list(self._completed)

    @property
    def skipped_nodes(self) -> list[str]:
        with self._lock:
            return list(self._skipped)

    def add_observer(self, observer: Observer) -> None:
        self._observers.append(observer)

    # --- running ------------------------------------------------------------------------------
    def execute(self, stop_after: StopAt = None, stop_before: StopAt = None) -> Result:
        """Run (or resume) the workflow.

        ``stop_after``/``stop_before`` name nodes (an id or several) at which to pause: right
        after the node completes, or just before it would run. A paused run returns a Result
        with status ``"paused"``; call ``execute()`` again to continue. A failure raises
        :class:`ExecutionError` (or a subclass) carrying the partial Result.
        """
        after = self._stop_set(stop_after, "stop_after")
        before = self._stop_set(stop_before, "stop_before")
        with self._lock:
            if self._status == "running":
                raise ExecutionError("the engine is already executing; wait for that run to end")
            self._status = "running"
        self._emit("workflow_start")
        try:
            return self._execute(after, before)
        finally:
            self._deadline = None
            self._current = None
            if self._status == "running":  # interrupted between nodes: resumable
                self._status = "paused"

    def _execute(self, after: frozenset[str], before: frozenset[str]) -> Result:
        try:
            plan = self._ensure_plan()
        except GraphError as exc:
            raise self._fail(GraphError, str(exc), None) from None
        self._failed_node = None  # a failed node is retried by the resumed run
        max_time = self._config.max_execution_time
        self._deadline = self._timer() + max_time.total_seconds()
        try:
            if max_time.total_seconds() <= 0:
                raise WorkflowTimeoutError(timeout_message(max_time))
            paused = self._run(plan.order, after, before)
        except _NodeFailed as failure:
            raise self._fail(ExecutionError, failure.message, failure.node_id) from (
                failure.__cause__
            )
        except WorkflowTimeoutError as exc:
            raise self._fail(WorkflowTimeoutError, str(exc), self._current) from None
        status: ResultStatus = "paused" if paused else "completed"
        self._status = status
        result = self._result(status)
        self._emit("workflow_end", status=status, result=result.final_output)
        return result

    def _run(self, order: tuple[Step, ...], after: frozenset[str], before: frozenset[str]) -> bool:
        """The main loop (B4.2). Returns True when it paused at ``after``/``before``."""
        results = self._results
        skipped = self._skipped_set
        completed = self._completed
        lock = self._lock
        timer = self._timer
        deadline = self._deadline
        assert deadline is not None
        message = timeout_message(self._config.max_execution_time)
        me = threading.get_ident()  # the thread running the loop holds the lock per node
        for index, (node, incoming, conditional) in enumerate(order):
            node_id = node.id
            if node_id in results or node_id in skipped:
                continue
            self._cursor = index
            if timer() > deadline:
                raise WorkflowTimeoutError(message)
            with lock:
                if incoming:
                    if conditional and not should_execute(incoming, results):
                        inputs = []
                    else:
                        inputs = [results[source] for source, _ in incoming if source in results]
                    if not inputs:  # no executed source, or no taken branch: skip
                        self._skipped.append(node_id)
                        skipped.add(node_id)
                        continue
                else:
                    inputs = []
                if before and node_id in before:
                    return True
                self._holder = me
                self._current = node_id
                # Counters as of the last node boundary: a snapshot taken while this node
                # waits (rt.sleep releases the lock) must not count a node it will re-run.
                self._counts_at_boundary = (self._node_count, self._http_count)
                try:
                    value = self._run_node(node, inputs)
                finally:
                    self._holder = None
                self._current = None
                results[node_id] = value
                completed.append(node_id)
                if node.type == "http":
                    self._http_recordings[node_id] = value
            if after and node_id in after:
                return True
        return False

    def _run_node(self, node: NodeSpec, inputs: list[Any]) -> Any:
        observers = self._observers
        started = time.perf_counter_ns() if observers else 0
        if observers:
            self._emit("node_start", node)
        self._node_count += 1
        try:
            limit = self._config.max_node_executions
            if limit > 0 and self._node_count > limit:
                raise LimitError(node_limit_message(self._node_count, limit))
            if node.id in self._replay and node.type == "http":
                self.count_http_call()
                value = json_copy(self._replay[node.id])
            else:
                executor = self._executors.get(node.type)
                if executor is None:
                    executor = self._executor_for(node.type)
                value = executor.execute(node, inputs, self)
        except WorkflowTimeoutError:
            raise
        except WfsnapError as exc:
            raise self._node_failed(node, describe(exc), started) from exc
        except Exception as exc:
            message = f"unexpected {type(exc).__name__} in {node.type} executor: {exc}"
            raise self._node_failed(node, message, started) from exc
        if type(value) in (str, list):
            reason = result_limit(value, self._config)
            if reason is not None:
                logger.warning("result of node %s exceeds a limit: %s", node.id, reason)
        if observers:
            elapsed = time.perf_counter_ns() - started
            self._emit("node_success", node, result=value, elapsed_ns=elapsed)
        return value

    def _executor_for(self, node_type: str) -> ExecutorLike:
        executor = self._registry.create(node_type)
        if executor is None:
            raise NodeError(f"no executor registered for type: {node_type}")
        self._executors[node_type] = executor
        return executor

    def _node_failed(self, node: NodeSpec, message: str, started: int) -> _NodeFailed:
        self._failed_node = node.id
        if self._observers:
            elapsed = time.perf_counter_ns() - started
            self._emit("node_failure", node, error=message, elapsed_ns=elapsed)
        return _NodeFailed(node.id, message)

    def _fail(
        self, kind: type[ExecutionError], message: str, node_id: str | None
    ) -> ExecutionError:
        if kind is ExecutionError and node_id is not None:
            message = f"error executing node {node_id}: {message}"
        self._status = "failed"
        if node_id is not None:
            self._failed_node = node_id
        result = self._result("failed", [message])
        self._emit("workflow_end", status="failed", error=message)
        return kind(message, result=result, node_id=node_id)

    def _result(self, status: ResultStatus, errors: list[str] | None = None) -> Result:
        with self._lock:
            output = None
            if status != "failed" and self._plan is not None:
                output = final_output(self._completed, self._plan, self._results)
            return Result.model_construct(
                execution_id=self._execution_id,
                workflow_id=self._payload.workflow_id,
                node_results=dict(self._results),
                final_output=output,
                errors=errors or [],
                status=status,
            )

    def pending_nodes(self) -> list[str] | None:
        """The nodes not decided yet, in the order the run will decide them; None when the run
        has not been ordered yet (before its first ``execute()``)."""
        with self._lock:
            plan = self._plan
            if plan is None:
                return None
            results, skipped = self._results, self._skipped_set
            return [
                node.id
                for node, _, _ in plan.order[self._cursor :]
                if node.id not in results and node.id not in skipped
            ]

    def _ensure_plan(self) -> Plan:
        if self._plan is None:
            with gc_paused():
                self._plan = make_plan(
                    self._payload.nodes,
                    self._payload.edges,
                    completed=self._completed,
                    skipped=self._skipped,
                    results=self._results,
                )
        return self._plan

    def _stop_set(self, stop: StopAt, name: str) -> frozenset[str]:
        if stop is None:
            return frozenset()
        ids = frozenset([stop] if isinstance(stop, str) else stop)
        unknown = sorted(ids - {node.id for node in self._payload.nodes})
        if unknown:
            raise ConfigError(f"{name} names unknown node(s): {', '.join(unknown)}")
        return ids

    def _emit(
        self,
        kind: EventType,
        node: NodeSpec | None = None,
        *,
        status: str | None = None,
        result: Any = None,
        error: str | None = None,
        elapsed_ns: int = 0,
    ) -> None:
        if not self._observers:
            return
        event = Event(
            type=kind,
            execution_id=self._execution_id,
            workflow_id=self._payload.workflow_id,
            timestamp=self._clock(),
            node_id=None if node is None else node.id,
            node_type=None if node is None else node.type,
            status=status,
            result=result,
            error=error,
            elapsed_ns=elapsed_ns,
        )
        notify(self._observers, event)

    # --- state export and restore -------------------------------------------------------------
    def save_snapshot(self) -> Any:
        """A :class:`Snapshot` of this engine (see :mod:`pytest_wfsnap.engine.snapshots`)."""
        snapshots = importlib.import_module("pytest_wfsnap.engine.snapshots")
        return snapshots.save_snapshot(self)

    def export_state(self) -> EngineState:
        """A consistent deep copy of the whole run state (safe from any thread)."""
        return self._export_state(share_definition=False)

    def _export_state(self, *, share_definition: bool) -> EngineState:
        from pytest_wfsnap.engine.persist import export_state

        with self._lock, gc_paused():
            return export_state(self, share_definition=share_definition)

    @classmethod
    def from_state(
        cls,
        state: EngineState,
        registry: Registry | None = None,
        config: Config | None = None,
        clock: Clock | None = None,
        **options: Any,
    ) -> Engine:
        """An engine that resumes the run captured in ``state``.

        ``config`` replaces the state's config when given. ``options`` are the keyword
        options of the constructor (``sleep``, ``observers``, ``http_clients``, ...).
        """
        from pytest_wfsnap.engine.persist import restore_engine

        return restore_engine(cls, state, registry, config, clock, options)


__all__ = ["Engine", "StopAt"]
