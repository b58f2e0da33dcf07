"""Recording: run the workflow for real, twice, and turn the run into a golden.

The first run goes straight through (the reference). The second pauses after each requested
node, snapshots the state there, and continues the same run to its end. The two runs must agree
on the final state and the Result (after the recording's normalisation); otherwise the workflow
is not reproducible under the recording's pinned clock and seed, and the golden is refused with
the list of JSON paths that differ.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytest_wfsnap.errors import ConfigError, GoldenFileError, PluginUsageError
from pytest_wfsnap.plugin.compare import run_differences
from pytest_wfsnap.plugin.golden import Golden, WorkflowRef
from pytest_wfsnap.plugin.normalize import execution_id_for, redact_nodes
from pytest_wfsnap.plugin.runs import (
    RunOutcome,
    fresh_engine,
    initial_snapshot,
    pinned_clock,
    run_to_end,
)
from pytest_wfsnap.plugin.workflow import RunSpec
from pytest_wfsnap.snapshot import Snapshot, snapshot_to_document, workflow_fingerprint
from pytest_wfsnap.snapshot.model import config_to_document


def recording_time(previous: Golden | None) -> datetime:
    """The clock of a recording: the previous golden's (so a re-record is byte-identical),
    else now, to the second."""
    if previous is not None:
        return previous.clock
    return datetime.now(UTC).replace(microsecond=0)


def snapshot_doc(snap: Snapshot) -> dict[str, Any]:
    """A snapshot as stored in a golden: its document with HTTP secrets redacted."""
    doc = snapshot_to_document(snap)
    return {**doc, "nodes": redact_nodes(list(doc["nodes"]))}


def result_doc(outcome: RunOutcome) -> dict[str, Any]:
    data: dict[str, Any] = outcome.result.model_dump(mode="json")
    return data


def _differences(spec: RunSpec, reference: RunOutcome, recorded: RunOutcome) -> list[str]:
    return run_differences(
        reference.final,
        result_doc(reference),
        recorded.final,
        result_doc(recorded),
        spec.ignore,
    )


def _run(spec: RunSpec, test_id: str, at: datetime, stops: Sequence[str]) -> RunOutcome:
    eng = fresh_engine(spec, execution_id=execution_id_for(test_id), clock=pinned_clock(at))
    try:
        return run_to_end(eng, stops)
    except ConfigError as exc:  # stop_after naming an unknown node
        nodes = ", ".join(node.id for node in eng.nodes)
        raise PluginUsageError(
            f"wf_snapshot: {exc} (start_after/states must name nodes of {spec.workflow_ref}: "
            f"{nodes})"
        ) from None


def record_golden(
    spec: RunSpec,
    *,
    test_id: str,
    golden_path: Path,
    previous: Golden | None,
    extra_states: Sequence[str] = (),
    snapshots: Mapping[str, dict[str, Any]] | None = None,
) -> tuple[Golden, RunOutcome]:
    """Record one test's golden (not written here). Returns it with the recorded run."""
    at = recording_time(previous)
    stops = tuple(dict.fromkeys([*spec.requested_states, *extra_states]))
    reference = _run(spec, test_id, at, ())
    recorded = _run(spec, test_id, at, stops)
    missing = [node for node in stops if node not in recorded.states]
    if missing:
        error = recorded.error
        why = f"the run failed first: {error}" if error is not None else "it was skipped"
        raise PluginUsageError(
            f"wf_snapshot: no state after node(s) {', '.join(missing)} can be recorded: "
            f"the node did not run in the recorded run of {spec.workflow_ref} ({why})"
        )
    differences = _differences(spec, reference, recorded)
    if differences:
        shown = "\n".join(differences)
        raise GoldenFileError(
            f"recording refused for {golden_path}: two runs of {spec.workflow_ref} differ "
            f"(the workflow is not reproducible; pin what varies, or leave it out with "
            f"ignore=...):\n{shown}"
        )
    start = initial_snapshot(spec, execution_id="0" * 16, clock=pinned_clock(at))
    golden = Golden(
        test=test_id,
        workflow=WorkflowRef(
            path=spec.workflow_ref,
            fingerprint=workflow_fingerprint(start.nodes, start.edges),
            workflow_id=start.workflow_id or None,
        ),
        config=config_to_document(spec.config),
        seed=spec.seed,
        clock=at,
        start_states={node: snapshot_doc(recorded.states[node]) for node in stops},
        final=snapshot_doc(recorded.final),
        result=result_doc(recorded),
        snapshots=dict(snapshots or {}),
    )
    return golden, recorded


__all__ = ["record_golden", "recording_time", "result_doc", "snapshot_doc"]
