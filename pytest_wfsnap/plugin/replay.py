"""Replay: restore a recorded state, run the rest without network, compare with the recording.

HTTP nodes are served from the golden's recordings (``replay_results``), so a replay never
opens a connection; every other node runs for real. The engine's clock reads the recording
time, so cache entries expire exactly as they did when the golden was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_wfsnap.errors import GoldenFileError, SnapshotDecodeError, SnapshotError, WfsnapError
from pytest_wfsnap.plugin.compare import Drift, compare_outcome, compare_runs, stale_reasons
from pytest_wfsnap.plugin.definition_diff import definition_changes
from pytest_wfsnap.plugin.golden import Golden
from pytest_wfsnap.plugin.normalize import execution_id_for
from pytest_wfsnap.plugin.record import result_doc
from pytest_wfsnap.plugin.runs import (
    RunOutcome,
    fresh_engine,
    initial_snapshot,
    pinned_clock,
    restored_engine,
    run_to_end,
    workflow_of,
)
from pytest_wfsnap.plugin.workflow import RunSpec
from pytest_wfsnap.snapshot import Snapshot, snapshot_from_document
from pytest_wfsnap.snapshot.document import (
    json_value_problem,
    snapshot_from_struct,
    struct_from_document,
    value_parts,
)
from pytest_wfsnap.snapshot.model import config_to_document


@dataclass(frozen=True, slots=True)
class Replayed:
    outcome: RunOutcome
    drift: Drift


def _snapshot(doc: dict[str, Any], finite: bool) -> Snapshot:
    if not finite:
        return snapshot_from_document(doc)
    # read by a strict JSON parser: every value is a JSON value and no number is NaN or
    # infinite; what is left to check (integers past 64 bits, nesting depth) is checked in C
    struct = struct_from_document(doc)
    problem = json_value_problem(value_parts(struct))
    if problem is not None:
        raise SnapshotDecodeError(f"invalid snapshot: {problem[0]} {problem[1]}")
    return snapshot_from_struct(struct)


def golden_snapshot(
    doc: dict[str, Any], path: Path, what: str, *, finite: bool = False
) -> Snapshot:
    """A snapshot stored in a golden, decoded; problems name the golden file and the part.

    ``finite``: ``doc`` was read by a strict JSON parser (see
    :attr:`~pytest_wfsnap.plugin.golden.LoadedGolden.finite`), so no value is searched for
    NaN or infinities; every other check is the same."""
    try:
        return _snapshot(doc, finite)
    except SnapshotError as exc:
        raise GoldenFileError(
            f"golden file {path}: {what} is not a valid snapshot: {exc}"
        ) from None


def _refuse_stale(golden: Golden, spec: RunSpec, path: Path) -> None:
    """Raise :class:`GoldenFileError` ("stale fixture") unless the golden fits the workflow."""
    fingerprint = workflow_of(spec).fingerprint
    reasons = stale_reasons(golden, fingerprint, config_to_document(spec.config), spec.seed)
    if reasons:
        raise GoldenFileError(stale_message(golden, spec, path, _initial(golden, spec), reasons))


def _initial(golden: Golden, spec: RunSpec) -> Snapshot:
    return initial_snapshot(
        spec, execution_id=execution_id_for(golden.test), clock=pinned_clock(golden.clock)
    )


def check_fresh(golden: Golden, spec: RunSpec, path: Path) -> Snapshot:
    """Raise :class:`GoldenFileError` ("stale fixture") unless the golden fits the workflow.

    Returns the workflow's initial state (the definition used by restored states).
    """
    _refuse_stale(golden, spec, path)
    return _initial(golden, spec)


def stale_message(
    golden: Golden, spec: RunSpec, path: Path, initial: Snapshot, reasons: list[str]
) -> str:
    """The stale-fixture failure: what changed in the definition, node by node, and its effect.

    The effect is found by running the changed workflow from the start (HTTP nodes still served
    from the recording, the clock still the recording's) and comparing with the recorded run.
    """
    parts = [f"stale fixture: {path} no longer matches {spec.workflow_ref}: {'; '.join(reasons)}."]
    final = golden.final or {}
    recorded_nodes, recorded_edges = final.get("nodes"), final.get("edges")
    if isinstance(recorded_nodes, list) and isinstance(recorded_edges, list):
        changes = definition_changes(
            recorded_nodes, recorded_edges, list(initial.nodes), list(initial.edges)
        )
        if changes:
            parts.append("definition changes:\n" + "\n".join(f"  {line}" for line in changes))
    if golden.final is not None and golden.result is not None:
        try:
            eng = fresh_engine(
                spec,
                execution_id=execution_id_for(golden.test),
                clock=pinned_clock(golden.clock),
                replay=recordings(golden),
            )
            outcome = run_to_end(eng)
            drift = compare_runs(
                golden_snapshot(golden.final, path, "the final state"),
                golden.result,
                outcome.final,
                result_doc(outcome),
                float_tolerance=spec.float_tolerance,
                ignore=spec.ignore,
                compare=spec.compare,
            )
            effect = drift.text() if drift else "no difference in the compared state and results"
        except WfsnapError as exc:
            effect = f"the changed workflow could not be run: {exc}"
        parts.append(
            "effect on the recorded run (the changed workflow run from the start):\n" + effect
        )
    parts.append(
        "This is a stale fixture, not a regression check: record the golden again to accept "
        "the change."
    )
    return "\n".join(parts)


def start_state(
    golden: Golden, after: str, initial: Snapshot, path: Path, *, finite: bool = False
) -> Snapshot:
    """The recorded state right after node ``after``, with the current (unredacted) definition."""
    doc = golden.start_states.get(after)
    if doc is None:
        recorded = ", ".join(sorted(golden.start_states)) or "none"
        raise GoldenFileError(
            f"golden file {path} holds no state after node {after!r} (recorded states: "
            f"{recorded}); record it again to add it"
        )
    merged = {**doc, "nodes": initial.nodes, "edges": initial.edges}
    return golden_snapshot(merged, path, f"the state after {after!r}", finite=finite)


def recordings(golden: Golden) -> dict[str, Any]:
    final = golden.final or {}
    recorded = final.get("http_recordings") or {}
    return dict(recorded) if isinstance(recorded, dict) else {}


def _compared_result(outcome: RunOutcome) -> dict[str, Any]:
    """The parts of the run's Result that replay compares, as in the golden."""
    data: dict[str, Any] = outcome.result.model_dump(
        mode="json", include={"final_output", "errors"}
    )
    return data


def replay(
    golden: Golden, spec: RunSpec, path: Path, start_after: str | None, *, finite: bool = False
) -> Replayed:
    """Check the golden is fresh, replay from the chosen start, and compare.

    ``finite``: the golden was read by a strict JSON parser (see :func:`golden_snapshot`)."""
    _refuse_stale(golden, spec, path)
    clock = pinned_clock(golden.clock)
    served = recordings(golden)
    if start_after is not None:
        snap = start_state(golden, start_after, _initial(golden, spec), path, finite=finite)
        eng = restored_engine(snap, spec.config, clock=clock, replay=served)
    else:
        eng = fresh_engine(
            spec, execution_id=execution_id_for(golden.test), clock=clock, replay=served
        )
    outcome = run_to_end(eng)
    if golden.final is None or golden.result is None:  # pragma: no cover - stale: refused
        raise GoldenFileError(f"golden file {path} holds no recorded run")
    recorded_final = golden_snapshot(golden.final, path, "the final state", finite=finite)
    # the run's own state is compared; its snapshot is taken only to describe a drift
    drift = compare_outcome(
        recorded_final,
        golden.result,
        outcome,
        _compared_result(outcome),
        float_tolerance=spec.float_tolerance,
        ignore=spec.ignore,
        compare=spec.compare,
        old_plain=finite,
    )
    return Replayed(outcome, drift)


__all__ = ["Replayed", "check_fresh", "golden_snapshot", "recordings", "replay", "start_state"]
