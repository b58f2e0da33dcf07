"""Format migrations: a table of pure ``dict -> dict`` steps, walked on load.

:func:`migrate` reads a document's ``version`` and applies the steps of :data:`MIGRATIONS` one
after another until the document is in :data:`~pytest_wfsnap.snapshot.version.FORMAT_VERSION`.
Steps never change their input; each returns a new document.

1.0.0 (the Go engine's format) -> 2.0.0:

* cache entries ``{"Value", "Expiration"}`` (Go field names) -> ``{"value", "expiration"}``
  (the lowercase spelling of the seed document is accepted too);
* config Go field names -> this port's snake_case names (durations stay integer nanoseconds);
* local-zone RFC 3339 times (``snapshot_time``, cache expirations) -> UTC, keeping every
  fractional digit;
* every integer inside nodes, results, variables, the accumulator, the counter, cache values and
  context values becomes a float, because that is what the Go engine holds after reading its own
  snapshot (it decodes every JSON number as float64, ENGINE.md B11.3.3);
* ``completed_nodes`` (random order in Go, where it is informational) is put in execution order:
  the order of the Go engine's topological sort (Kahn, orphans sorted byte-wise, edges in payload
  order), ids unknown to the workflow last. ``current_level`` (always 0 in Go) becomes the position
  after the last completed node in that order, and the nodes before it without a result, which Go
  skipped, become ``skipped_nodes``. When the workflow cannot be ordered (a cycle, an edge to an
  unknown node) the ids are sorted and ``current_level`` stays 0: the engine reports the graph
  error when the snapshot is resumed;
* ``status`` is ``completed`` when every node is decided, ``paused`` when some node completed,
  else ``pending``; ``failed_node`` null, ``random_seed`` null, ``http_recordings`` empty.

2.0.0 -> 2.1.0:

* ``pending_nodes`` (the undecided nodes in the order they will run) is added: the nodes of
  the Go engine's topological order (see above) that are neither completed nor skipped, as the
  engine lists them for a run it has ordered; null for a run that never started (status
  ``pending``, nothing decided), which the engine has not ordered either, and for a workflow
  that cannot be ordered (the engine reports the graph error when the run is resumed).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pytest_wfsnap.engine.config import GO_FIELD_NAMES
from pytest_wfsnap.errors import SnapshotVersionError
from pytest_wfsnap.snapshot.version import FORMAT_VERSION, GO_FORMAT_VERSION

Document = dict[str, Any]
Migration = Callable[[Document], Document]


@dataclass(frozen=True, slots=True)
class MigrationStep:
    source: str
    target: str
    migrate: Migration
    summary: str


_SNAKE_NAMES = {go: snake for snake, go in GO_FIELD_NAMES.items()}
_RFC3339 = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt](?P<time>\d{2}:\d{2}:\d{2})(?P<frac>\.\d+)?"
    r"(?P<zone>[Zz]|[+-]\d{2}:\d{2})\Z"
)


def to_floats(value: Any) -> Any:
    """A copy of ``value`` with every int (not bool) turned into a float."""
    kind = type(value)
    if kind is int:
        return float(value)
    if kind is dict:
        return {key: to_floats(item) for key, item in value.items()}
    if kind is list:
        return [to_floats(item) for item in value]
    return value


def utc_text(value: Any) -> Any:
    """An RFC 3339 time with any offset rewritten in UTC (``Z``), fraction digits kept as given.

    Anything else is returned unchanged (validation reports it afterwards)."""
    if not isinstance(value, str):
        return value
    match = _RFC3339.match(value)
    if match is None:
        return value
    zone = match["zone"]
    if zone in ("Z", "z"):
        offset = UTC
    else:
        sign = -1 if zone[0] == "-" else 1
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            return value
        offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        moment = datetime.fromisoformat(f"{match['date']}T{match['time']}").replace(tzinfo=offset)
    except ValueError:
        return value
    utc = moment.astimezone(UTC).replace(tzinfo=None).isoformat()
    return f"{utc}{match['frac'] or ''}Z"


def go_execution_order(nodes: Any, edges: Any) -> list[str] | None:
    """The Go engine's topological order (ENGINE.md B4.1), or None when it has no order."""
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return None
    ids: list[str] = []
    for node in nodes:
        node_id = node.get("id") if isinstance(node, dict) else None
        if not isinstance(node_id, str):
            return None
        ids.append(node_id)
    in_degree: dict[str, int] = dict.fromkeys(ids, 0)
    known = set(in_degree)
    adjacency: dict[str, list[str]] = {}
    for edge in edges:
        source = edge.get("source") if isinstance(edge, dict) else None
        target = edge.get("target") if isinstance(edge, dict) else None
        if not isinstance(source, str) or not isinstance(target, str) or target not in known:
            return None
        adjacency.setdefault(source, []).append(target)
        in_degree[target] += 1
    queue = deque(sorted(node_id for node_id, degree in in_degree.items() if degree == 0))
    order: list[str] = []
    while queue:
        current = queue.popleft()
        order.append(current)
        for successor in adjacency.get(current, ()):
            in_degree[successor] -= 1
            if in_degree[successor] == 0:
                queue.append(successor)
    return order if len(order) == len(nodes) else None


def _progress(doc: Document) -> dict[str, Any]:
    """``completed_nodes``, ``skipped_nodes``, ``current_level`` and ``status`` of a Go snapshot."""
    given = doc.get("completed_nodes")
    if given is None:
        results = doc.get("results")
        given = list(results) if isinstance(results, dict) else []
    if not isinstance(given, list) or not all(isinstance(item, str) for item in given):
        return {"completed_nodes": given}  # left for validation to report
    completed_set = set(given)
    order = go_execution_order(doc.get("nodes"), doc.get("edges"))
    if order is None:
        return {
            "completed_nodes": sorted(completed_set),
            "skipped_nodes": [],
            "current_level": 0,
            "status": "paused" if completed_set else "pending",
        }
    position = {node_id: index for index, node_id in enumerate(order)}
    completed = sorted(
        completed_set, key=lambda node_id: (position.get(node_id, len(order)), node_id)
    )
    placed = [position[node_id] for node_id in completed if node_id in position]
    level = max(placed) + 1 if placed else 0
    skipped = [node_id for node_id in order[:level] if node_id not in completed_set]
    if level == len(order):
        status = "completed"
    else:
        status = "paused" if completed else "pending"
    return {
        "completed_nodes": completed,
        "skipped_nodes": skipped,
        "current_level": level,
        "status": status,
    }


def _cache_v1(cache: Any) -> Any:
    if not isinstance(cache, dict):
        return cache
    out: dict[str, Any] = {}
    for key, entry in cache.items():
        if not isinstance(entry, dict):
            out[key] = entry
            continue
        renamed: dict[str, Any] = {}
        for name, item in entry.items():
            if name == "Value":
                renamed["value"] = item
            elif name == "Expiration":
                renamed["expiration"] = item
            else:
                renamed[name] = item
        if "value" in renamed:
            renamed["value"] = to_floats(renamed["value"])
        if "expiration" in renamed:
            renamed["expiration"] = utc_text(renamed["expiration"])
        out[key] = renamed
    return out


def _config_v1(config: Any) -> Any:
    if config is None:
        return {}
    if not isinstance(config, dict):
        return config
    return {_SNAKE_NAMES.get(name, name): value for name, value in config.items()}


def v1_to_v2(doc: Document) -> Document:
    """1.0.0 (Go engine) -> 2.0.0 (this port). See the module documentation."""
    out = dict(doc)
    out["version"] = "2.0.0"
    out["snapshot_time"] = utc_text(doc.get("snapshot_time"))
    for name in ("nodes", "results", "variables", "accumulator", "context_vars", "context_consts"):
        if name in doc:
            out[name] = to_floats(doc[name])
    if doc.get("counter") is not None:
        out["counter"] = to_floats(doc["counter"])
    for name in ("nodes", "edges", "results", "variables", "context_vars", "context_consts"):
        if out.get(name, 0) is None:  # Go writes nil maps and slices as null
            out[name] = [] if name in ("nodes", "edges") else {}
    out["cache"] = {} if doc.get("cache") is None else _cache_v1(doc["cache"])
    out["config"] = _config_v1(doc.get("config"))
    out.update(_progress(out))
    out.setdefault("failed_node", None)
    out.setdefault("random_seed", None)
    out.setdefault("http_recordings", {})
    return out


def _pending(doc: Document) -> list[str] | None:
    """The undecided nodes of a 2.0.0 document in execution order, as the engine lists them."""
    completed, skipped = doc.get("completed_nodes", []), doc.get("skipped_nodes", [])
    if not isinstance(completed, list) or not isinstance(skipped, list):
        return None  # left for validation to report
    if not completed and not skipped and doc.get("status", "pending") == "pending":
        return None  # a run that never started was not ordered
    order = go_execution_order(doc.get("nodes", []), doc.get("edges", []))
    if order is None:
        return None  # the engine reports the graph error when the run is resumed
    decided = {item for item in (*completed, *skipped) if isinstance(item, str)}
    return [node_id for node_id in order if node_id not in decided]


def v2_to_v2_1(doc: Document) -> Document:
    """2.0.0 -> 2.1.0: ``pending_nodes`` added (see the module documentation)."""
    out = dict(doc)
    out["version"] = "2.1.0"
    if "pending_nodes" not in out:
        out["pending_nodes"] = _pending(doc)
    return out


MIGRATIONS: dict[str, MigrationStep] = {
    GO_FORMAT_VERSION: MigrationStep(
        GO_FORMAT_VERSION,
        "2.0.0",
        v1_to_v2,
        "Go engine format -> this port: lowercase cache fields, snake_case config, UTC times, "
        "numbers as floats, completed_nodes in execution order, resume fields added",
    ),
    "2.0.0": MigrationStep(
        "2.0.0",
        "2.1.0",
        v2_to_v2_1,
        "pending_nodes added: the undecided nodes in execution order (null before a run starts)",
    ),
}

SUPPORTED_VERSIONS: tuple[str, ...] = (*MIGRATIONS, FORMAT_VERSION)
"""Every format version this release reads, oldest first."""


def document_version(doc: Document) -> str:
    """The document's version, checked: missing, not a string or unknown -> SnapshotVersionError."""
    version = doc.get("version")
    if version is None or version == "":
        raise SnapshotVersionError("invalid snapshot: missing version")
    if not isinstance(version, str):
        raise SnapshotVersionError(
            f"invalid snapshot: version must be a string, got {type(version).__name__} {version!r}"
        )
    if version not in SUPPORTED_VERSIONS:
        # The first words are the Go engine's message, which tools match on.
        raise SnapshotVersionError(
            f"unsupported snapshot version: {version} (expected {GO_FORMAT_VERSION}); "
            f"this release reads versions {', '.join(SUPPORTED_VERSIONS)} "
            f"({GO_FORMAT_VERSION} is the Go engine's format, {FORMAT_VERSION} this port's); "
            "a newer version needs a newer pytest-wfsnap"
        )
    return version


def migrate(doc: Document) -> Document:
    """``doc`` migrated to the current format (``doc`` itself when already current)."""
    version = document_version(doc)
    while version != FORMAT_VERSION:
        step = MIGRATIONS[version]
        doc = step.migrate(doc)
        version = step.target
    return doc


__all__ = [
    "MIGRATIONS",
    "SUPPORTED_VERSIONS",
    "MigrationStep",
    "document_version",
    "go_execution_order",
    "migrate",
    "to_floats",
    "utc_text",
    "v1_to_v2",
    "v2_to_v2_1",
]
