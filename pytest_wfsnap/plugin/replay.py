"""Replay: restore a recorded state, run the rest without network, compare with the recording.

HTTP nodes are served from the golden's recordings (``replay_results``), so a replay never
opens a connection; every other node runs for real. The engine's clock reads the recording
time, so cache entries expire exactly as they did when the golden was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_wfsnap.errors import GoldenFileError, SnapshotError, WfsnapError
from pytest_wfsnap.plugin.compare import Drift, compare_runs, stale_reasons
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
)
from pytest_wfsnap.plugin.workflow import RunSpec
from pytest_wfsnap.snapshot import Snapshot, snapshot_from_document, workflow_fingerprint
from pytest_wfsnap.snapshot.model import config_to_document


@dataclass(frozen=True, slots=True)
class Replayed:
    outcome: RunOutcome
    drift: Drift


def golden_snapshot(doc: dict[str, Any], path: Path, what: str) -> Snapshot:
    """A snapshot stored in a golden, decoded; problems name the golden file and the part."""
    try:
        return snapshot_from_document(doc)
    except SnapshotError as exc:
        raise GoldenFileError(
            f"golden file {path}: {what} is not a valid snapshot: {exc}"
        ) from None


def check_fresh(golden: Golden, spec: RunSpec, path: Path) -> Snapshot:
    """Raise :class:`GoldenFileError` ("stale fixture") unless the golden fits the workflow.

    Returns the workflow's initial state (its decoded definition is reused by the replay).
    """
    initial = initial_snapshot(
        spec, execution_id=execution_id_for(golden.test), clock=pinned_clock(golden.clock)
    )
    fingerprint = workflow_fingerprint(initial.nodes, initial.edges)
    reasons = stale_reasons(golden, fingerprint, config_to_document(spec.config), spec.seed)
    if reasons:
        raise GoldenFileError(stale_message(golden, spec, path, initial, reasons))
    return initial


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


def start_state(golden: Golden, after: str, initial: Snapshot, path: Path) -> Snapshot:
    """The recorded state right after node ``after``, with the current (unredacted) definition."""
    doc = golden.start_states.get(after)
    if doc is None:
        recorded = ", ".join(sorted(golden.start_states)) or "none"
        raise GoldenFileError(
            f"golden file {path} holds no state after node {after!r} (recorded states: "
            f"{recorded}); record it again to add it"
        )
    merged = {**doc, "nodes": initial.nodes, "edges": initial.edges}
    return golden_snapshot(merged, path, f"the state after {after!r}")


def recordings(golden: Golden) -> dict[str, Any]:
    final = golden.final or {}
    recorded = final.get("http_recordings") or {}
    return dict(recorded) if isinstance(recorded, dict) else {}


def replay(golden: Golden, spec: RunSpec, path: Path, start_after: str | None) -> Replayed:
    """Check the golden is fresh, replay from the chosen start, and compare."""
    initial = check_fresh(golden, spec, path)
    clock = pinned_clock(golden.clock)
    served = recordings(golden)
    if start_after is not None:
        snap = start_state(golden, start_after, initial, path)
        eng = restored_engine(snap, spec.config, clock=clock, replay=served)
    else:
        eng = fresh_engine(
            spec, execution_id=execution_id_for(golden.test), clock=clock, replay=served
        )
    outcome = run_to_end(eng)
    if golden.final is None or golden.result is None:  # pragma: no cover - check_fresh refuses
        raise GoldenFileError(f"golden file {path} holds no recorded run")
    recorded_final = golden_snapshot(golden.final, path, "the final state")
    drift = compare_runs(
        recorded_final,
        golden.result,
        outcome.final,
        result_doc(outcome),
        float_tolerance=spec.float_tolerance,
        ignore=spec.ignore,
        compare=spec.compare,
    )
    return Replayed(outcome, drift)


__all__ = ["Replayed", "check_fresh", "golden_snapshot", "recordings", "replay", "start_state"]
