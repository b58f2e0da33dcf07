"""``wfsnap show SNAPSHOT``: a readable summary of a snapshot.

SNAPSHOT is a snapshot file in any format, or a checkpoint directory (its latest checkpoint;
``--execution-id`` and ``--seq`` choose another). Shows the workflow and execution, when it was
taken, the run status, the completed, skipped and pending nodes (in execution order), the
counters and the size of each part of the state. ``--json`` prints the same as JSON.
"""

from __future__ import annotations

import argparse
from typing import Any

import orjson

from pytest_wfsnap.cli.common import (
    add_key_option,
    cli_errors,
    keys_from_args,
    positive_int,
    read_source,
)
from pytest_wfsnap.engine.decode import decode_nodes_and_edges
from pytest_wfsnap.engine.graph import topological_order
from pytest_wfsnap.errors import WfsnapError
from pytest_wfsnap.snapshot import Snapshot, snapshot_to_document
from pytest_wfsnap.snapshot.model import format_time

_SIZED = (
    "nodes",
    "edges",
    "results",
    "variables",
    "accumulator",
    "cache",
    "context_vars",
    "context_consts",
    "http_recordings",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        help="summarise a snapshot file or the latest checkpoint of a directory",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", metavar="SNAPSHOT", help="snapshot file or checkpoint dir")
    parser.add_argument("--execution-id", metavar="ID", help="execution of a checkpoint dir")
    parser.add_argument("--seq", metavar="N", type=positive_int, help="checkpoint number")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_key_option(parser)
    parser.set_defaults(handler=show)


def execution_order(snap: Snapshot) -> list[str]:
    """The node ids in the engine's execution order (payload order if it has none)."""
    try:
        nodes, edges = decode_nodes_and_edges(snap.nodes, snap.edges)
        return topological_order([node.id for node in nodes], edges)
    except WfsnapError:
        return [str(node.get("id")) for node in snap.nodes]


def summarize(snap: Snapshot) -> dict[str, Any]:
    """The facts ``show`` prints."""
    if snap.pending_nodes is not None:  # as recorded: the order the run goes on in
        pending = list(snap.pending_nodes)
    else:
        decided = set(snap.completed_nodes) | set(snap.skipped_nodes)
        pending = [node_id for node_id in execution_order(snap) if node_id not in decided]
    doc = snapshot_to_document(snap)
    sizes = {name: len(orjson.dumps(doc[name], option=orjson.OPT_NON_STR_KEYS)) for name in _SIZED}
    sizes["total"] = len(orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS))
    return {
        "version": snap.version,
        "workflow_id": snap.workflow_id,
        "execution_id": snap.execution_id,
        "snapshot_time": format_time(snap.snapshot_time),
        "status": snap.status,
        "failed_node": snap.failed_node,
        "node_count": len(snap.nodes),
        "edge_count": len(snap.edges),
        "current_level": snap.current_level,
        "completed_nodes": list(snap.completed_nodes),
        "skipped_nodes": list(snap.skipped_nodes),
        "pending_nodes": pending,
        "counters": {
            "node_execution_count": snap.node_execution_count,
            "http_call_count": snap.http_call_count,
            "counter": snap.counter,
            "accumulator": snap.accumulator,
        },
        "state": {
            "variables": len(snap.variables),
            "cache_entries": len(snap.cache),
            "context_vars": len(snap.context_vars),
            "context_consts": len(snap.context_consts),
            "http_recordings": len(snap.http_recordings),
        },
        "sizes": sizes,
    }


def _ids(ids: list[str]) -> str:
    if not ids:
        return "-"
    if len(ids) > 30:
        return ", ".join(ids[:30]) + f", ... ({len(ids) - 30} more)"
    return ", ".join(ids)


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB"


def render(summary: dict[str, Any], where: str) -> str:
    counters, state, sizes = summary["counters"], summary["state"], summary["sizes"]
    status = summary["status"]
    if summary["failed_node"]:
        status += f" (failed at node {summary['failed_node']})"
    decided = len(summary["completed_nodes"]) + len(summary["skipped_nodes"])
    accumulator = orjson.dumps(counters["accumulator"]).decode()
    lines = [
        f"snapshot:   {where}",
        f"version:    {summary['version']}",
        f"workflow:   {summary['workflow_id'] or '(no id)'}",
        f"execution:  {summary['execution_id']}",
        f"taken at:   {summary['snapshot_time']}",
        f"status:     {status}",
        f"progress:   {decided} of {summary['node_count']} nodes decided "
        f"({len(summary['completed_nodes'])} completed, {len(summary['skipped_nodes'])} "
        f"skipped, {len(summary['pending_nodes'])} pending); {summary['edge_count']} edges",
        f"completed:  {_ids(summary['completed_nodes'])}",
        f"skipped:    {_ids(summary['skipped_nodes'])}",
        f"pending:    {_ids(summary['pending_nodes'])}",
        f"counters:   node executions {counters['node_execution_count']}, HTTP calls "
        f"{counters['http_call_count']}, counter {counters['counter']!r}, "
        f"accumulator {accumulator}",
        f"state:      {state['variables']} variables, {state['cache_entries']} cache entries, "
        f"{state['context_vars']} context variables, {state['context_consts']} context "
        f"constants, {state['http_recordings']} HTTP recordings",
        "sizes:      "
        + ", ".join(f"{name} {_size(n)}" for name, n in sizes.items() if name != "total")
        + f"; document {_size(sizes['total'])}",
    ]
    return "\n".join(lines)


@cli_errors
def show(args: argparse.Namespace) -> int:
    snap, where = read_source(args.source, keys_from_args(args), args.execution_id, args.seq)
    summary = summarize(snap)
    if args.json:
        print(orjson.dumps({"source": where, **summary}, option=orjson.OPT_INDENT_2).decode())
    else:
        print(render(summary, where))
    return 0


__all__ = ["execution_order", "register", "render", "show", "summarize"]
