"""Turning an engine into an :class:`EngineState` and back (the resume contract).

``export_state`` is called with the engine's run lock held, so what it copies is one consistent
moment of the run. Results and state values are deep-copied (at C speed, see
:func:`~pytest_wfsnap.engine.copying.deep_copy`), so later progress never changes a taken state
and changing the state never changes the engine. The workflow definition never changes during
a run: it is exported once per engine, and each state gets a deep copy of that export, or, for
snapshots (frozen models, read-only), the export itself.

``restore_engine`` rebuilds an engine whose ``execute()`` continues the captured run. When the
caller owns the state (a snapshot being loaded), its values are used as they are: the engine
never changes a stored value (executors build new ones), so no copy is needed; and when the
nodes were decoded already (see :mod:`pytest_wfsnap.engine.definitions`) they are not decoded
again. A state that lists its undecided nodes in order (``pending_nodes``) gets a plan of those
nodes alone: resuming costs in proportion to the nodes left, in any process.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Any

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.copying import copy_mapping, deep_copy, json_copy
from pytest_wfsnap.engine.decode import Payload, decode_nodes_and_edges, node_to_dict
from pytest_wfsnap.engine.definitions import Definition
from pytest_wfsnap.engine.engine_state import CachedValue, EngineState
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.engine.plans import pending_plan, resume_plan
from pytest_wfsnap.engine.registry import Registry
from pytest_wfsnap.engine.state import Clock

if TYPE_CHECKING:  # pragma: no cover
    from pytest_wfsnap.engine.engine import Engine

Exported = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def exported_definition(engine: Engine) -> Exported:
    """The engine's nodes and edges in payload form, made once per engine (never changed)."""
    exported = engine._exported
    if exported is None:
        payload = engine.payload
        nodes = [node_to_dict(node) for node in payload.nodes]
        for node in nodes:
            node["data"] = json_copy(node["data"])
        exported = engine._exported = (nodes, [edge.to_dict() for edge in payload.edges])
    return exported


def export_state(engine: Engine, *, share_definition: bool = False) -> EngineState:
    """A deep copy of ``engine``'s run (the caller holds the run lock).

    ``share_definition``: the nodes and edges lists are new, but the node and edge dicts in
    them are the engine's export, shared with the other states exported this way (for
    snapshots, which are read-only).
    """
    state = engine.state
    with state.lock:
        entries = state.cache_entries()
        values = (
            engine._results,
            engine._http_recordings,
            state.variables_view,
            state.get_accumulator(),
            [entry.value for entry in entries.values()],
            state.context_vars(),
            state.context_consts(),
        )
        counter = state.get_counter()
        copied = deep_copy(values)
    results, recordings, variables, accumulator, cached, context_vars, context_consts = copied
    cache = {
        key: CachedValue(value, entry.expiration)
        for (key, entry), value in zip(entries.items(), cached, strict=True)
    }
    skipped = engine.skipped_nodes
    foreign = engine._foreign_results
    if foreign is None:
        node_ids = [node.id for node in engine.payload.nodes]
        foreign = engine._foreign_results = len(results) - sum(map(results.__contains__, node_ids))
    decided = len(results) - foreign + len(skipped)  # nodes with a result, and skipped ones
    nodes, edges = exported_definition(engine)
    if share_definition:
        nodes, edges = list(nodes), list(edges)
    else:
        nodes, edges = deep_copy((nodes, edges))
    node_count, http_count = engine.node_execution_count, engine.http_call_count
    if engine._current is not None:
        # A node is in flight (waiting with the lock released): it has no result yet and will
        # run again on resume, so the counters are those of the last node boundary.
        node_count, http_count = engine._counts_at_boundary
    return EngineState(
        workflow_id=engine.workflow_id,
        execution_id=engine.execution_id,
        nodes=nodes,
        edges=edges,
        config=engine.config,
        results=results,
        completed_nodes=engine.completed_nodes,
        skipped_nodes=skipped,
        current_level=decided,
        pending_nodes=engine.pending_nodes(),
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
        http_recordings=recordings,
    )


def restore_engine(
    cls: type[Engine],
    state: EngineState,
    registry: Registry | None,
    config: Config | None,
    clock: Clock | None,
    options: dict[str, Any],
    *,
    owned: bool = False,
    definition: Definition | None = None,
    progress_fits: bool = False,
) -> Engine:
    """Build an engine of class ``cls`` that resumes ``state``.

    ``owned``: nothing else changes ``state``'s values, so the engine takes them as they are
    (else they are copied). ``definition``: ``state.nodes``/``state.edges`` already decoded.
    ``progress_fits``: the state's progress lists were found to fit that definition exactly
    (:func:`~pytest_wfsnap.engine.plans.progress_fits`), so they are not checked again.
    """
    if definition is not None:
        nodes, edges = list(definition.specs), list(definition.decoded_edges)
    else:
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
    copy = _shared if owned else json_copy
    results = state.results if owned else copy_mapping(state.results)
    engine._results.update(results)
    progress = None
    if state.pending_nodes is not None:  # the nodes left, in order: plan only those
        position = definition.positions() if definition is not None else None
        progress = _pending_progress(engine, state, results, position, progress_fits)
    if (
        progress is None
        and definition is not None
        and len(state.completed_nodes) + len(state.skipped_nodes) < len(nodes)
    ):  # nodes left to run: their plan may be known
        progress = _planned_progress(engine, state, results, definition)
    if progress is None:
        engine._foreign_results = None
    completed, skipped = progress or _progress(state, nodes, results)
    engine._completed.extend(completed)
    engine._skipped.extend(skipped)
    engine._skipped_set.update(skipped)
    engine._failed_node = state.failed_node
    engine._status = "paused" if state.status == "running" else state.status
    engine._node_count = state.node_execution_count
    engine._http_count = state.http_call_count
    engine._http_recordings.update(
        state.http_recordings if owned else copy_mapping(state.http_recordings)
    )

    manager = engine.state
    for name, value in state.variables.items():
        manager.set_variable(name, copy(value))
    if state.accumulator is not None:
        manager.set_accumulator(copy(state.accumulator))
    manager.set_counter(state.counter)
    now = engine.now()
    for key, entry in state.cache.items():
        if now < entry.expiration:
            manager.cache_restore(key, copy(entry.value), entry.expiration)
    for name, value in state.context_consts.items():
        manager.set_context_const(name, copy(value))
    for name, value in state.context_vars.items():
        manager.set_context_var(name, copy(value))
    return engine


_NODE_ID = attrgetter("id")


def _shared(value: Any) -> Any:
    return value


def _progress(
    state: EngineState, nodes: list[NodeSpec], results: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The completed and skipped nodes of a restored run: listed ids without duplicates,
    completed ones with a result (then any node with a result not listed, in node order),
    skipped ones of nodes without a result."""
    completed = list(dict.fromkeys(state.completed_nodes))
    if not all(map(results.__contains__, completed)):
        completed = [node_id for node_id in completed if node_id in results]
    if len(completed) != len(results):
        unlisted = results.keys() - set(completed)
        completed += [node.id for node in nodes if node.id in unlisted]
    skipped = list(dict.fromkeys(state.skipped_nodes))
    if skipped:
        node_ids = frozenset(map(_NODE_ID, nodes))
        skipped = [node_id for node_id in skipped if node_id in node_ids and node_id not in results]
    return completed, skipped


def _pending_progress(
    engine: Engine,
    state: EngineState,
    results: dict[str, Any],
    position: dict[str, int] | None,
    fits: bool,
) -> tuple[list[str], list[str]] | None:
    """The progress of a restored run whose state lists the nodes left in order
    (``pending_nodes``): when that list, the completed and the skipped nodes are exactly the
    workflow's nodes and the pending ones are in an order their edges allow (see
    :func:`~pytest_wfsnap.engine.plans.pending_plan`), the plan is made of the pending nodes
    alone. None otherwise (then the graph is ordered as for any restored state)."""
    assert state.pending_nodes is not None
    completed, skipped = state.completed_nodes, state.skipped_nodes
    payload = engine.payload
    plan = pending_plan(
        payload.nodes,
        payload.edges,
        completed,
        skipped,
        state.pending_nodes,
        results,
        position,
        fits=fits and position is not None,
    )
    if plan is None:
        return None
    engine._plan = plan
    return list(completed), list(skipped)


def _planned_progress(
    engine: Engine, state: EngineState, results: dict[str, Any], definition: Definition
) -> tuple[list[str], list[str]] | None:
    """The progress of a restored run as :func:`_progress` finds it, checked against the order
    of its graph when that was computed before in this process (see :mod:`~pytest_wfsnap.engine.
    plans`): the plan is then set, starting at the first undecided node. None when there is no
    such order, or the lists are not exactly the first nodes of it with their results."""
    completed, skipped = state.completed_nodes, state.skipped_nodes
    payload = engine.payload
    plan = resume_plan(
        payload.nodes, payload.edges, completed, skipped, results, definition.node_ids()
    )
    if plan is None:
        return None
    engine._plan = plan
    return list(completed), list(skipped)


__all__ = ["export_state", "exported_definition", "restore_engine"]
