"""Structured, engine-aware differences between two snapshots.

:func:`diff_snapshots` compares two snapshots section by section and lists every difference as
a :class:`Change` with the JSON path of the value in the snapshot document, its old and new
value, and the node it belongs to (for node results, node definitions, completed/skipped
nodes and HTTP recordings). Sections, in order:

``metadata`` (workflow_id, execution_id, snapshot_time, random_seed), ``workflow`` (the
definition, compared only when :func:`workflow_fingerprint` differs), ``progress``
(completed/skipped nodes, current_level, status, failed_node), ``results``, ``variables``,
``counters`` (accumulator, counter, node_execution_count, http_call_count), ``cache``,
``context`` (context_vars, context_consts), ``config`` and ``recordings`` (http_recordings).

Numbers compare with an optional tolerance (``abs_tol``/``rel_tol``, as :func:`math.isclose`);
by default an int and a float of the same value differ, because types matter to the engine.
``ignore_paths`` holds :mod:`fnmatch` patterns of paths to skip (``$.snapshot_time``,
``$.results.*.timestamp``; ``*`` also crosses dots); :data:`VOLATILE_PATHS` are the paths that
differ between two runs of the same workflow. Node definition paths use the node id:
``$.nodes[id=n1].data.op``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from pytest_wfsnap.snapshot.document import child_path, snapshot_to_document
from pytest_wfsnap.snapshot.model import Snapshot

ChangeKind = Literal["added", "removed", "changed"]
SECTIONS = (
    "metadata",
    "workflow",
    "progress",
    "results",
    "variables",
    "counters",
    "cache",
    "context",
    "config",
    "recordings",
)
VOLATILE_PATHS: tuple[str, ...] = ("$.snapshot_time", "$.execution_id", "$.random_seed")
_MARKS = {"added": "+", "removed": "-", "changed": "~"}


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``old`` is None when added, ``new`` is None when removed."""

    section: str
    path: str
    kind: ChangeKind
    old: Any = None
    new: Any = None
    node_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"section": self.section, "path": self.path, "kind": self.kind}
        if self.node_id is not None:
            out["node_id"] = self.node_id
        if self.kind != "added":
            out["old"] = self.old
        if self.kind != "removed":
            out["new"] = self.new
        return out


@dataclass(frozen=True, slots=True)
class _Options:
    abs_tol: float
    rel_tol: float
    strict_types: bool
    ignore: tuple[str, ...]

    def ignored(self, path: str) -> bool:
        return any(fnmatch.fnmatchcase(path, pattern) for pattern in self.ignore)


@dataclass(slots=True)
class _Collector:
    options: _Options
    changes: list[Change] = field(default_factory=list)

    def add(self, section: str, path: str, kind: ChangeKind, old: Any, new: Any, node: Any) -> None:
        if not self.options.ignored(path):
            self.changes.append(Change(section, path, kind, old, new, node))

    def compare(self, section: str, path: str, a: Any, b: Any, node: str | None = None) -> None:
        """Record the differences between two JSON values."""
        options = self.options
        if options.ignored(path):
            return
        kind_a, kind_b = type(a), type(b)
        if kind_a is dict and kind_b is dict:
            for key in sorted(set(a) | set(b), key=str):
                sub = child_path(path, key)
                if key not in b:
                    self.add(section, sub, "removed", a[key], None, node)
                elif key not in a:
                    self.add(section, sub, "added", None, b[key], node)
                else:
                    self.compare(section, sub, a[key], b[key], node)
        elif kind_a is list and kind_b is list:
            for index in range(max(len(a), len(b))):
                sub = f"{path}[{index}]"
                if index >= len(b):
                    self.add(section, sub, "removed", a[index], None, node)
                elif index >= len(a):
                    self.add(section, sub, "added", None, b[index], node)
                else:
                    self.compare(section, sub, a[index], b[index], node)
        elif kind_a in (int, float) and kind_b in (int, float):
            same = (kind_a is kind_b or not options.strict_types) and (
                a == b or math.isclose(a, b, rel_tol=options.rel_tol, abs_tol=options.abs_tol)
            )
            if not same:
                self.add(section, path, "changed", a, b, node)
        elif kind_a is not kind_b or a != b:
            self.add(section, path, "changed", a, b, node)

    def members(self, section: str, path: str, a: list[str], b: list[str]) -> None:
        """Compare two id lists: ids added/removed, then order if the ids are the same."""
        set_a, set_b = set(a), set(b)
        for node_id in a:
            if node_id not in set_b:
                self.add(section, path, "removed", node_id, None, node_id)
        for node_id in b:
            if node_id not in set_a:
                self.add(section, path, "added", None, node_id, node_id)
        if set_a == set_b and a != b:
            self.add(section, path, "changed", a, b, None)

    def keyed(self, section: str, name: str, a: dict[str, Any], b: dict[str, Any]) -> None:
        """Compare two maps keyed by node id (results, recordings)."""
        base = f"$.{name}"
        for key in sorted(set(a) | set(b)):
            sub = child_path(base, key)
            if key not in b:
                self.add(section, sub, "removed", a[key], None, key)
            elif key not in a:
                self.add(section, sub, "added", None, b[key], key)
            else:
                self.compare(section, sub, a[key], b[key], key)


def _canonical(value: Any) -> Any:
    kind = type(value)
    if kind is float and value.is_integer():
        return int(value)  # 10 and 10.0 are the same payload number (Go reads both as float64)
    if kind is dict:
        return {str(key): _canonical(item) for key, item in value.items()}
    if kind is list:
        return [_canonical(item) for item in value]
    return value


def workflow_fingerprint(nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]) -> str:
    """SHA-256 (hex) of the canonical JSON of a workflow definition.

    Canonical: keys sorted, no whitespace, integral floats written as integers, nodes sorted by
    id (node order never changes a run); edge order is kept (it orders a node's inputs)."""
    ordered = sorted(nodes, key=lambda node: str(node.get("id")))
    canonical = {"nodes": _canonical(ordered), "edges": _canonical(list(edges))}
    text = orjson.dumps(canonical, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.sha256(text).hexdigest()


def _nodes_by_id(nodes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {str(node.get("id")): node for node in nodes}


def _workflow(out: _Collector, a: dict[str, Any], b: dict[str, Any]) -> None:
    nodes_a, nodes_b = _nodes_by_id(a["nodes"]), _nodes_by_id(b["nodes"])
    for node_id in sorted(set(nodes_a) | set(nodes_b)):
        path = f"$.nodes[id={node_id}]"
        if node_id not in nodes_b:
            out.add("workflow", path, "removed", nodes_a[node_id], None, node_id)
        elif node_id not in nodes_a:
            out.add("workflow", path, "added", None, nodes_b[node_id], node_id)
        else:
            out.compare(
                "workflow",
                path,
                _canonical(nodes_a[node_id]),
                _canonical(nodes_b[node_id]),
                node_id,
            )
    out.compare("workflow", "$.edges", _canonical(a["edges"]), _canonical(b["edges"]))


def diff_snapshots(
    a: Snapshot,
    b: Snapshot,
    *,
    abs_tol: float = 0.0,
    rel_tol: float = 0.0,
    strict_types: bool = True,
    ignore_paths: Iterable[str] = (),
) -> SnapshotDiff:
    """Every difference from snapshot ``a`` (old) to snapshot ``b`` (new)."""
    out = _Collector(_Options(abs_tol, rel_tol, strict_types, tuple(ignore_paths)))
    doc_a, doc_b = snapshot_to_document(a), snapshot_to_document(b)
    for name in ("workflow_id", "execution_id", "snapshot_time", "random_seed"):
        out.compare("metadata", f"$.{name}", doc_a[name], doc_b[name])
    fingerprint_a = workflow_fingerprint(a.nodes, a.edges)
    fingerprint_b = workflow_fingerprint(b.nodes, b.edges)
    if fingerprint_a != fingerprint_b:
        _workflow(out, doc_a, doc_b)
    for name in ("completed_nodes", "skipped_nodes"):
        out.members("progress", f"$.{name}", doc_a[name], doc_b[name])
    for name in ("current_level", "pending_nodes", "status", "failed_node"):
        out.compare("progress", f"$.{name}", doc_a[name], doc_b[name])
    out.keyed("results", "results", doc_a["results"], doc_b["results"])
    out.compare("variables", "$.variables", doc_a["variables"], doc_b["variables"])
    for name in ("accumulator", "counter", "node_execution_count", "http_call_count"):
        out.compare("counters", f"$.{name}", doc_a[name], doc_b[name])
    out.compare("cache", "$.cache", doc_a["cache"], doc_b["cache"])
    for name in ("context_vars", "context_consts"):
        out.compare("context", f"$.{name}", doc_a[name], doc_b[name])
    out.compare("config", "$.config", doc_a["config"], doc_b["config"])
    out.keyed("recordings", "http_recordings", doc_a["http_recordings"], doc_b["http_recordings"])
    return SnapshotDiff(tuple(out.changes), fingerprint_a, fingerprint_b)


def _short(value: Any, limit: int) -> str:
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        text = repr(value)
    if len(text) > limit:
        return f"{text[: max(limit - 1, 1)]}… ({len(text)} chars)"
    return text


def _line(change: Change, limit: int) -> str:
    mark = _MARKS[change.kind]
    if change.kind == "added":
        return f"  {mark} {change.path}: {_short(change.new, limit)}"
    if change.kind == "removed":
        return f"  {mark} {change.path}: {_short(change.old, limit)}"
    return f"  {mark} {change.path}: {_short(change.old, limit)} -> {_short(change.new, limit)}"


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """The differences between two snapshots, in section order."""

    changes: tuple[Change, ...]
    fingerprint_a: str
    fingerprint_b: str

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    @property
    def equal(self) -> bool:
        return not self.changes

    def sections(self) -> dict[str, int]:
        """Number of changes per section, in section order (sections without changes left out)."""
        counts = dict.fromkeys(SECTIONS, 0)
        for change in self.changes:
            counts[change.section] = counts.get(change.section, 0) + 1
        return {name: count for name, count in counts.items() if count}

    def by_node(self) -> dict[str, list[Change]]:
        """Changes that belong to a node, grouped by node id (sorted)."""
        groups: dict[str, list[Change]] = {}
        for change in self.changes:
            if change.node_id is not None:
                groups.setdefault(change.node_id, []).append(change)
        return dict(sorted(groups.items()))

    def to_text(self, *, max_changes: int = 50, max_value_chars: int = 120) -> str:
        """A readable report: changes grouped by node, then by section, at most ``max_changes``
        lines of changes; long values are cut to ``max_value_chars``."""
        if not self.changes:
            return "snapshots are equal"
        summary = ", ".join(f"{name} {count}" for name, count in self.sections().items())
        plural = "s" if len(self.changes) != 1 else ""
        lines = [f"snapshots differ: {len(self.changes)} change{plural} ({summary})"]
        if self.fingerprint_a != self.fingerprint_b:
            old, new = self.fingerprint_a[:12], self.fingerprint_b[:12]
            lines.append(f"workflow definition changed: {old} -> {new}")
        groups: list[tuple[str, list[Change]]] = [
            (f"node {node_id}:", changes) for node_id, changes in self.by_node().items()
        ]
        for section in SECTIONS:
            rest = [c for c in self.changes if c.node_id is None and c.section == section]
            if rest:
                groups.append((f"{section}:", rest))
        shown = 0
        for title, changes in groups:
            if shown >= max_changes:
                break
            lines.append(title)
            for change in changes:
                if shown >= max_changes:
                    break
                lines.append(_line(change, max_value_chars))
                shown += 1
        if shown < len(self.changes):
            lines.append(f"... {len(self.changes) - shown} more changes")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain data (see :meth:`to_json`)."""
        return {
            "equal": self.equal,
            "total": len(self.changes),
            "sections": self.sections(),
            "workflow_fingerprints": {"a": self.fingerprint_a, "b": self.fingerprint_b},
            "changes": [change.to_dict() for change in self.changes],
        }

    def to_json(self) -> str:
        """The diff as pretty JSON text."""
        return orjson.dumps(
            self.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
        ).decode()


__all__ = [
    "SECTIONS",
    "VOLATILE_PATHS",
    "Change",
    "ChangeKind",
    "SnapshotDiff",
    "diff_snapshots",
    "workflow_fingerprint",
]
