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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

from pytest_wfsnap.plugin.golden import Golden
from pytest_wfsnap.plugin.json_diff import Ignore, diff_values, render_change
from pytest_wfsnap.plugin.runs import RunOutcome, final_view
from pytest_wfsnap.snapshot import Snapshot, diff_snapshots, snapshot_to_document
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
    "progress": (
        "$.completed_nodes*",
        "$.skipped_nodes*",
        "$.current_level",
        "$.pending_nodes*",
        "$.failed_node",
    ),
}


def user_pattern(pattern: str) -> str:
    pattern = pattern.strip()
    return pattern if pattern.startswith("$") else f"$.{pattern}"


def ignore_patterns(ignore: Sequence[str], compare: Sequence[str]) -> tuple[str, ...]:
    """The full ignore list: fixed exclusions, parts not compared, and the user's patterns."""
    excluded = [p for part, paths in PART_PATHS.items() if part not in compare for p in paths]
    return (*ALWAYS_IGNORED, *excluded, *(user_pattern(p) for p in ignore if p.strip()))


# Top-level keys of a snapshot document whose values the diff visits only below the key
# (``$.results.<node>``, ``$.nodes[id=<node>]``): an exact pattern naming the key skips nothing.
_COMPARED_BELOW = frozenset({"results", "http_recordings", "nodes"})
_WILDCARDS = re.compile(r"[*?\[]")
_SAME_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _not_plain_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not a plain JSON value")


def same_values(a: Any, b: Any, *, a_plain: bool = False) -> bool:
    """True when two JSON values are identical, types included (``1`` is not ``1.0``, ``True``
    is not ``1``), so that no structural diff, with or without tolerance, can find a change.

    Both must have the same canonical bytes (which tell the types apart) and both must equal
    the value those bytes read back as: JSON encoders write NaN and infinities as ``null``, so
    this second check finds any of them (the diffs never call two NaNs equal-and-unchanged in
    the same way). False means "maybe different": anything that is not a plain JSON value (a
    subclass, a tuple against a list, a non-string key, an integer past 64 bits) is left to
    the full diff.

    ``a_plain``: ``a`` was read by a strict JSON parser (plain JSON values, finite numbers), so
    it is what its canonical bytes read back as; then ``b`` equal to ``a`` is the same check
    without reading the bytes back."""
    try:
        encoded = orjson.dumps(a, default=_not_plain_json, option=_SAME_OPTIONS)
        if encoded != orjson.dumps(b, default=_not_plain_json, option=_SAME_OPTIONS):
            return False
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return False
    if a_plain:
        return bool(b == a)
    decoded = orjson.loads(encoded)
    return bool(a == decoded and b == decoded)


def wholly_ignored(key: str, patterns: Sequence[str]) -> bool:
    """True when the patterns leave out every path under the document's top-level ``key``
    (``$.config*``, or ``$.snapshot_time`` for a value the diff compares as a whole).

    Only patterns that are a literal prefix followed by ``*``, or exact paths, are judged;
    any other pattern counts as not covering the key (its values are then compared)."""
    path = f"$.{key}"
    for pattern in patterns:
        if pattern == path and key not in _COMPARED_BELOW:
            return True
        prefix = pattern[:-1]
        if pattern.endswith("*") and not _WILDCARDS.search(prefix) and path.startswith(prefix):
            return True
    return False


@lru_cache(maxsize=64)
def _left_out(keys: tuple[str, ...], patterns: tuple[str, ...]) -> frozenset[str]:
    return frozenset(key for key in keys if wholly_ignored(key, patterns))


def _compared_part(doc: dict[str, Any], patterns: tuple[str, ...]) -> dict[str, Any]:
    left_out = _left_out(tuple(doc), patterns)
    return {key: value for key, value in doc.items() if key not in left_out}


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
    old_plain: bool = False,
) -> Drift:
    """Compare a run with a recorded one, on the selected parts of the state.

    The compared parts are first checked for identity as a whole (:func:`same_values`, in C);
    only when they are not identical is the structural diff walked to find the changes.
    ``old_plain``: the recorded side was read by a strict JSON parser (see
    :func:`same_values`)."""
    return _compare(
        old_final,
        old_result,
        lambda: new_final,
        None,
        new_result,
        float_tolerance=float_tolerance,
        ignore=ignore,
        compare=compare,
        old_plain=old_plain,
    )


def compare_outcome(
    old_final: Snapshot,
    old_result: dict[str, Any],
    outcome: RunOutcome,
    new_result: dict[str, Any],
    *,
    float_tolerance: float,
    ignore: Sequence[str],
    compare: Sequence[str],
    old_plain: bool = False,
) -> Drift:
    """:func:`compare_runs` against an ended run: its state is first compared as the engine
    holds it (:func:`~pytest_wfsnap.plugin.runs.final_view`, no copy); the run's snapshot is
    taken only when that state is not identical to the recorded one, for the diff."""
    view = None if outcome.final_taken else final_view(outcome.engine)
    return _compare(
        old_final,
        old_result,
        lambda: outcome.final,
        view,
        new_result,
        float_tolerance=float_tolerance,
        ignore=ignore,
        compare=compare,
        old_plain=old_plain,
    )


def _compare(
    old_final: Snapshot,
    old_result: dict[str, Any],
    new_final: Callable[[], Snapshot],
    new_view: dict[str, Any] | None,
    new_result: dict[str, Any],
    *,
    float_tolerance: float,
    ignore: Sequence[str],
    compare: Sequence[str],
    old_plain: bool,
) -> Drift:
    patterns = ignore_patterns(ignore, compare)
    state_changes, state_text = 0, ""
    old_doc = _compared_part(snapshot_to_document(old_final), patterns)
    same = new_view is not None and same_values(
        old_doc, _compared_part(new_view, patterns), a_plain=old_plain
    )
    if not same:
        new = new_final()
        if not same_values(
            old_doc, _compared_part(snapshot_to_document(new), patterns), a_plain=old_plain
        ):
            state = diff_snapshots(old_final, new, abs_tol=float_tolerance, ignore_paths=patterns)
            state_changes = len(state.changes)
            if state:
                state_text = state.to_text(max_changes=MAX_CHANGES, max_value_chars=MAX_VALUE_CHARS)
    old_part = {"final_output": old_result.get("final_output"), "errors": old_result.get("errors")}
    new_part = {"final_output": new_result.get("final_output"), "errors": new_result.get("errors")}
    result_changes = []
    if not same_values(old_part, new_part, a_plain=old_plain):
        result_changes = list(
            diff_values(
                old_part,
                new_part,
                path="$",
                float_tolerance=float_tolerance,
                ignore=Ignore(patterns),
            )
        )
    budget = max(MAX_CHANGES - state_changes, 5)
    lines = [render_change(c) for c in result_changes[:budget]]
    if len(result_changes) > budget:
        lines.append(f"... {len(result_changes) - budget} more changes")
    return Drift(state_text, tuple(lines), state_changes + len(result_changes))


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

    old_view, new_view = view(old), view(new)
    if same_values(old_view, new_view):
        return Drift("", (), 0)
    changes = list(
        diff_values(
            old_view,
            new_view,
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
    "compare_outcome",
    "compare_results",
    "compare_runs",
    "ignore_patterns",
    "run_differences",
    "same_values",
    "stale_reasons",
    "user_pattern",
    "wholly_ignored",
]
