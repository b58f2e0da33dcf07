"""Turning an engine into an :class:`EngineState` and back (the resume contract).

``export_state`` is called with the engine's run lock held, so what it copies is one consistent
moment of the run; everything is deep-copied, so later progress never changes a taken state.
``restore_engine`` rebuilds an engine whose ``execute()`` continues the captured run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.copying import copy_mapping, gc_paused, json_copy
from pytest_wfsnap.engine.decode import Payload, decode_nodes_and_edges, node_to_dict
from pytest_wfsnap.engine.engine_state import CachedValue, EngineState
from pytest_wfsnap.engine.registry import Registry
from pytest_wfsnap.engine.state import Clock

if TYPE_CHECKING:  # pragma: no cover
    from pytest_wfsnap.engine.engine import Engine


def export_state(engine: Engine) -> EngineState:
    """A deep copy of ``engine``'s run (the caller holds the run lock)."""
    state = engine.state
    with state.lock:
        cache = {
            key: CachedValue(json_copy(entry.value), entry.expiration)
            for key, entry in state.cache_entries().items()
        }
        variables = copy_mapping(state.variables())
        accumulator = json_copy(state.get_accumulator())
        counter = state.get_counter()
        context_vars = copy_mapping(state.context_vars())
        context_consts = copy_mapping(state.context_consts())
    payload = engine.payload
    results = engine.results
    skipped = engine.skipped_nodes
    decided = sum(1 for node in payload.nodes if node.id in results) + len(skipped)
    nodes = [node_to_dict(node) for node in payload.nodes]
    for node in nodes:
        node["data"] = json_copy(node["data"])
    node_count, http_count = engine.node_execution_count, engine.http_call_count
    if engine._current is not None:
        # A node is in flight (waiting with the lock released): it has no result yet and will
        # run again on resume, so the counters are those of the last node boundary.
        node_count, http_count = engine._counts_at_boundary
    return EngineState(
        workflow_id=payload.workflow_id,
        execution_id=engine.execution_id,
        nodes=nodes,
        edges=[edge.to_dict() for edge in payload.edges],
        config=engine.config,
        results=copy_mapping(dict(results)),
        completed_nodes=engine.completed_nodes,
        skipped_nodes=skipped,
        current_level=decided,
        failed_node=engine._failed_node,
        status=engine.status,
        variables=variables,
        accumulator=accumulator,
        counter=counter,
        cache=cache,
        context_vars=context_vars,
        context_consts=context_consts,
        node_execution_count=node_count,
        http_call_count=http_count,
        random_seed=engine.seed,
        http_recordings=copy_mapping(engine._http_recordings),
    )


@gc_paused()
def restore_engine(
    cls: type[Engine],
    state: EngineState,
    registry: Registry | None,
    config: Config | None,
    clock: Clock | None,
    options: dict[str, Any],
) -> Engine:
    """Build an engine of class ``cls`` that resumes ``state`` (the collector paused)."""
    nodes, edges = decode_nodes_and_edges(state.nodes, state.edges)
    payload = Payload.model_construct(workflow_id=state.workflow_id, nodes=nodes, edges=edges)
    engine = cls(
        payload,
        config if config is not None else state.config,
        registry,
        clock=clock,
        seed=state.random_seed,
        execution_id=state.execution_id,
        **options,
    )
    node_ids = {node.id for node in nodes}
    results = copy_mapping(state.results)
    completed = [node_id for node_id in dict.fromkeys(state.completed_nodes) if node_id in results]
    listed = set(completed)
    completed += [node.id for node in nodes if node.id in results and node.id not in listed]
    skipped = [
        node_id
        for node_id in dict.fromkeys(state.skipped_nodes)
        if node_id in node_ids and node_id not in results
    ]
    engine._results.update(results)
    engine._completed.extend(completed)
    engine._skipped.extend(skipped)
    engine._skipped_set.update(skipped)
    engine._failed_node = state.failed_node
    engine._status = "paused" if state.status == "running" else state.status
    engine._node_count = state.node_execution_count
    engine._http_count = state.http_call_count
    engine._http_recordings.update(copy_mapping(state.http_recordings))

    manager = engine.state
    for name, value in state.variables.items():
        manager.set_variable(name, json_copy(value))
    if state.accumulator is not None:
        manager.set_accumulator(json_copy(state.accumulator))
    manager.set_counter(state.counter)
    now = engine.now()
    for key, entry in state.cache.items():
        if now < entry.expiration:
            manager.cache_restore(key, json_copy(entry.value), entry.expiration)
    for name, value in state.context_consts.items():
        manager.set_context_const(name, json_copy(value))
    for name, value in state.context_vars.items():
        manager.set_context_var(name, json_copy(value))
    return engine


__all__ = ["export_state", "restore_engine"]
