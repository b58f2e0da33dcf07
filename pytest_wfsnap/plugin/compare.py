"""Replay checks: is the golden stale, and how did the run drift from the recorded one?

Paths are those of the snapshot document (``$.results.fetch.total``, ``$.variables.x``,
``$.cache.k.value``, ``$.counter``, ...) plus the Result's ``$.final_output`` and ``$.errors``;
``ignore`` patterns are :mod:`fnmatch` patterns over them (``*`` also crosses dots; a pattern
without the leading ``$.`` gets it added). The state is compared with the snapshot format's
engine-aware diff (grouped by node); the parts left out with ``compare=`` become ignore
patterns. The workflow definition and config are not compared here: a change there makes the
golden *stale*, reported as such before any run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pytest_wfsnap.plugin.golden import Golden
from pytest_wfsnap.plugin.json_diff import Ignore, diff_values, render_change
from pytest_wfsnap.snapshot import Snapshot, diff_snapshots
from pytest_wfsnap.snapshot.diff import VOLATILE_PATHS

MAX_CHANGES = 40
MAX_VALUE_CHARS = 100

# Never compared on replay: volatile values, the definition and config (staleness covers them),
# and HTTP recordings (the replay serves them; their results are compared under $.results).
ALWAYS_IGNORED: tuple[str, ...] = (
    *VOLATILE_PATHS,
    "$.workflow_id",
    "$.nodes*",
    "$.edges*",
    "$.config*",
    "$.http_recordings*",
)
PART_PATHS: dict[str, tuple[str, ...]] = {
    "status": ("$.status",),
    "node_results": ("$.results*",),
    "final_output": ("$.final_output*",),
    "errors": ("$.errors*",),
    "variables": ("$.variables*",),
    "accumulator": ("$.accumulator*",),
    "counter": ("$.counter",),
    "cache": ("$.cache*",),
    "context": ("$.context_vars*", "$.context_consts*"),
    "counters": ("$.node_execution_count", "$.http_call_count"),
    "progress": ("$.completed_nodes*", "$.skipped_nodes*", "$.current_level", "$.failed_node"),
}


def user_pattern(pattern: str) -> str:
    pattern = pattern.strip()
    return pattern if pattern.startswith("$") else f"$.{pattern}"


def ignore_patterns(ignore: Sequence[str], compare: Sequence[str]) -> tuple[str, ...]:
    """The full ignore list: fixed exclusions, parts not compared, and the user's patterns."""
    excluded = [p for part, paths in PART_PATHS.items() if part not in compare for p in paths]
    return (*ALWAYS_IGNORED, *excluded, *(user_pattern(p) for p in ignore if p.strip()))


@dataclass(frozen=True, slots=True)
class Drift:
    """The differences between a recorded run and a replayed one (empty: they match)."""

    state_text: str
    result_lines: tuple[str, ...]
    count: int

    def __bool__(self) -> bool:
        return self.count > 0

    def text(self) -> str:
        parts = [self.state_text] if self.state_text else []
        if self.result_lines:
            parts.append("result:\n" + "\n".join(f"  {line}" for line in self.result_lines))
        return "\n".join(parts)


def compare_runs(
    old_final: Snapshot,
    old_result: dict[str, Any],
    new_final: Snapshot,
    new_result: dict[str, Any],
    *,
    float_tolerance: float,
    ignore: Sequence[str],
    compare: Sequence[str],
) -> Drift:
    """Compare a run with a recorded one, on the selected parts of the state."""
    patterns = ignore_patterns(ignore, compare)
    state = diff_snapshots(old_final, new_final, abs_tol=float_tolerance, ignore_paths=patterns)
    result_changes = list(
        diff_values(
            {"final_output": old_result.get("final_output"), "errors": old_result.get("errors")},
            {"final_output": new_result.get("final_output"), "errors": new_result.get("errors")},
            path="$",
            float_tolerance=float_tolerance,
            ignore=Ignore(patterns),
        )
    )
    budget = max(MAX_CHANGES - len(state.changes), 5)
    lines = [render_change(c) for c in result_changes[:budget]]
    if len(result_changes) > budget:
        lines.append(f"... {len(result_changes) - budget} more changes")
    state_text = (
        state.to_text(max_changes=MAX_CHANGES, max_value_chars=MAX_VALUE_CHARS) if state else ""
    )
    return Drift(state_text, tuple(lines), len(state.changes) + len(result_changes))


def compare_results(
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    float_tolerance: float,
    ignore: Sequence[str],
    compare: Sequence[str],
) -> Drift:
    """Compare two Results alone (node results under ``$.results``, as in the state)."""

    def view(doc: dict[str, Any]) -> dict[str, Any]:
        return {
            "status": doc.get("status"),
            "results": doc.get("node_results") or {},
            "final_output": doc.get("final_output"),
            "errors": doc.get("errors") or [],
        }

    changes = list(
        diff_values(
            view(old),
            view(new),
            path="$",
            float_tolerance=float_tolerance,
            ignore=Ignore(ignore_patterns(ignore, compare)),
        )
    )
    lines = [render_change(c) for c in changes[:MAX_CHANGES]]
    if len(changes) > MAX_CHANGES:
        lines.append(f"... {len(changes) - MAX_CHANGES} more changes")
    return Drift("", tuple(lines), len(changes))


def stale_reasons(golden: Golden, fingerprint: str, config: dict[str, Any], seed: int) -> list[str]:
    """Why a golden no longer describes the current workflow (empty: it still does)."""
    reasons: list[str] = []
    if golden.workflow is None or golden.final is None or golden.result is None:
        return ["the golden holds no recorded run"]
    if golden.workflow.fingerprint != fingerprint:
        reasons.append(
            f"the workflow definition changed (fingerprint {golden.workflow.fingerprint[:12]} "
            f"-> {fingerprint[:12]})"
        )
    if golden.config is not None and golden.config != config:
        changed = sorted(
            k for k in set(golden.config) | set(config) if golden.config.get(k) != config.get(k)
        )
        reasons.append(f"the engine config changed ({', '.join(changed)})")
    if golden.seed != seed:
        reasons.append(f"the seed changed ({golden.seed} -> {seed})")
    return reasons


def run_differences(
    a_final: Snapshot,
    a_result: dict[str, Any],
    b_final: Snapshot,
    b_result: dict[str, Any],
    ignore: Sequence[str],
) -> list[str]:
    """Paths where two recordings of the same run differ (for the reproducibility check)."""
    drift = compare_runs(
        a_final,
        a_result,
        b_final,
        b_result,
        float_tolerance=0.0,
        ignore=ignore,
        compare=tuple(PART_PATHS),
    )
    if not drift:
        return []
    return drift.text().splitlines()


__all__ = [
    "ALWAYS_IGNORED",
    "PART_PATHS",
    "Drift",
    "compare_results",
    "compare_runs",
    "ignore_patterns",
    "run_differences",
    "stale_reasons",
    "user_pattern",
]
