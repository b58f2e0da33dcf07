"""``wfsnap verify PATH...``: check snapshot files, and every snapshot inside JSON files.

A PATH is a file or a directory (searched recursively; hidden files are skipped). A file in a
snapshot format (JSON, binary, compressed, encrypted) is one snapshot. Any other JSON file (a
golden file of the pytest plugin, a fixture) is searched for snapshot documents: objects with
at least two of the keys version, snapshot_time, execution_id, completed_nodes,
node_execution_count, and no "format" key (which marks other documents, e.g. the index of a
checkpoint directory). Each snapshot is decoded (all versions, Go's included), its nodes are
decoded with the engine's rules, and its progress is checked for consistency (results of
unknown nodes, completed nodes without a result, a node both completed and skipped, ...).

Exit status 0 when every snapshot is valid, 1 when a problem was found (or no snapshot at
all), 2 when a PATH does not exist.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from pytest_wfsnap.cli.common import (
    UsageError,
    add_key_option,
    cli_errors,
    keys_from_args,
    read_file,
)
from pytest_wfsnap.engine.snapshots import deserialize_snapshot
from pytest_wfsnap.errors import WfsnapError, describe
from pytest_wfsnap.snapshot import BINARY_MAGIC, Snapshot, detect_compression
from pytest_wfsnap.snapshot.document import child_path
from pytest_wfsnap.snapshot.encryption import ENCRYPTION_MAGIC

SNAPSHOT_KEYS = frozenset(
    {"version", "snapshot_time", "execution_id", "completed_nodes", "node_execution_count"}
)


def snapshot_problems(snap: Snapshot) -> list[str]:
    """Inconsistencies between a decoded snapshot's workflow and its progress."""
    problems: list[str] = []
    ids = [str(node.get("id")) for node in snap.nodes]
    known = set(ids)
    duplicates = sorted(node_id for node_id, n in Counter(ids).items() if n > 1)
    if duplicates:
        problems.append(f"duplicate node ids: {', '.join(duplicates)}")
    unknown = sorted(set(snap.results) - known)
    if unknown:
        problems.append(f"results for unknown nodes: {', '.join(unknown)}")
    repeated = sorted(node_id for node_id, n in Counter(snap.completed_nodes).items() if n > 1)
    if repeated:
        problems.append(f"nodes listed twice in completed_nodes: {', '.join(repeated)}")
    missing = [node_id for node_id in snap.completed_nodes if node_id not in snap.results]
    if missing:
        problems.append(f"completed nodes without a result: {', '.join(missing)}")
    unlisted = sorted(set(snap.results) - set(snap.completed_nodes))
    if unlisted:
        problems.append(f"results of nodes not in completed_nodes: {', '.join(unlisted)}")
    both = sorted(set(snap.skipped_nodes) & set(snap.completed_nodes))
    if both:
        problems.append(f"nodes both completed and skipped: {', '.join(both)}")
    stray = sorted(set(snap.skipped_nodes) - known)
    if stray:
        problems.append(f"skipped nodes that are not in the workflow: {', '.join(stray)}")
    if snap.current_level > len(snap.nodes):
        problems.append(f"current_level {snap.current_level} is beyond the {len(snap.nodes)} nodes")
    if snap.failed_node is not None and snap.failed_node not in known:
        problems.append(f"failed_node {snap.failed_node!r} is not in the workflow")
    if snap.status == "completed":
        undecided = [i for i in ids if i not in snap.results and i not in snap.skipped_nodes]
        if undecided:
            problems.append(f"status completed but nodes undecided: {', '.join(undecided)}")
    problems += _pending_problems(snap, ids)
    if snap.node_execution_count < len(snap.completed_nodes):
        problems.append(
            f"node_execution_count {snap.node_execution_count} is less than the "
            f"{len(snap.completed_nodes)} completed nodes"
        )
    return problems


def _pending_problems(snap: Snapshot, ids: list[str]) -> list[str]:
    """Whether ``pending_nodes`` lists exactly the undecided nodes, once each, in an order
    their edges allow (else a resumed run orders the workflow again: worth knowing)."""
    pending = snap.pending_nodes
    if pending is None:
        return []
    problems: list[str] = []
    repeated = sorted(node_id for node_id, n in Counter(pending).items() if n > 1)
    if repeated:
        problems.append(f"nodes listed twice in pending_nodes: {', '.join(repeated)}")
    decided = set(snap.results) | set(snap.skipped_nodes)
    listed = set(pending)
    wrong = sorted(listed & decided)
    if wrong:
        problems.append(f"pending nodes already decided: {', '.join(wrong)}")
    stray = sorted(listed - set(ids))
    if stray:
        problems.append(f"pending nodes that are not in the workflow: {', '.join(stray)}")
    left_out = [node_id for node_id in ids if node_id not in decided and node_id not in listed]
    if left_out:
        problems.append(f"undecided nodes missing from pending_nodes: {', '.join(left_out)}")
    rank = {node_id: index for index, node_id in enumerate(pending)}
    for edge in snap.edges:
        source, target = edge.get("source"), edge.get("target")
        if target in rank and source in rank and rank[source] >= rank[target]:
            problems.append(f"pending node {target} is listed before its source {source}")
    return problems


def find_documents(value: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Snapshot documents inside a JSON value, with their JSON paths (not nested ones)."""
    if isinstance(value, dict):
        if "format" not in value and len(SNAPSHOT_KEYS.intersection(value)) >= 2:
            yield path, value
            return
        for key, item in value.items():
            yield from find_documents(item, child_path(path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from find_documents(item, f"{path}[{index}]")


def _is_binary_snapshot(data: bytes) -> bool:
    return (
        data.startswith(ENCRYPTION_MAGIC)
        or data.startswith(BINARY_MAGIC)
        or detect_compression(data) is not None
    )


class Report:
    def __init__(self) -> None:
        self.ok = 0
        self.problems = 0
        self.files = 0

    def good(self, where: str, snap: Snapshot) -> None:
        self.ok += 1
        print(f"ok      {where} ({snap.workflow_id or 'no workflow id'}, {snap.status})")

    def bad(self, where: str, message: str) -> None:
        self.problems += 1
        print(f"FAILED  {where}: {message}")


def check(data: bytes, where: str, keys: list[str] | None, report: Report) -> None:
    try:
        snap = deserialize_snapshot(data, keys=keys)
    except WfsnapError as exc:
        report.bad(where, describe(exc))
        return
    problems = snapshot_problems(snap)
    if problems:
        report.bad(where, "; ".join(problems))
    else:
        report.good(where, snap)


def verify_file(path: Path, keys: list[str] | None, report: Report, explicit: bool) -> None:
    try:
        data = read_file(str(path))
    except WfsnapError as exc:
        report.bad(str(path), describe(exc))
        return
    if _is_binary_snapshot(data):
        report.files += 1
        check(data, str(path), keys, report)
        return
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if explicit:
            report.bad(str(path), f"not a snapshot: neither a snapshot format nor JSON ({exc})")
        return
    found = list(find_documents(doc))
    if not found:
        if explicit:
            report.bad(str(path), "no snapshot found in this JSON file")
        return
    report.files += 1
    if found[0][0] == "$":
        check(data, str(path), keys, report)
        return
    for json_path, document in found:
        check(orjson.dumps(document), f"{path} {json_path}", keys, report)


def walk(root: Path) -> Iterator[Path]:
    for child in sorted(root.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from walk(child)
        elif child.is_file():
            yield child


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check snapshot files and directories (golden files and fixtures too)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", metavar="PATH", nargs="+", help="file or directory")
    add_key_option(parser)
    parser.set_defaults(handler=verify)


@cli_errors
def verify(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
    keys = keys_from_args(args)
    report = Report()
    for path in paths:
        if path.is_dir():
            for file in walk(path):
                verify_file(file, keys, report, explicit=False)
        else:
            verify_file(path, keys, report, explicit=True)
    if report.ok + report.problems == 0:
        print(f"no snapshot found in {', '.join(map(str, paths))}")
        return 1
    plural = "" if report.files == 1 else "s"
    print(
        f"verified {report.files} file{plural}: {report.ok} snapshot(s) ok, "
        f"{report.problems} with problems"
    )
    return 1 if report.problems else 0


__all__ = ["find_documents", "register", "snapshot_problems", "verify", "verify_file"]
