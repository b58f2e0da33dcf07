"""``wfsnap history DIR [--execution-id ID]``: the checkpoints of a checkpoint directory.

Lists, per execution (or only ``--execution-id``), its status and every stored checkpoint:
sequence number, when it was taken, label (``start``, ``after:<node>``, ``pause``,
``failure``, ``complete``, ``rollback:<seq>``, ...), run status, nodes completed, size and
format. ``--json`` prints the same as JSON. ``wfsnap rollback`` makes an earlier checkpoint the
latest again.

Exit status 0 on success, 2 for bad input (DIR missing, unknown execution).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import orjson

from pytest_wfsnap.cli.common import UsageError, cli_errors
from pytest_wfsnap.errors import SnapshotNotFoundError
from pytest_wfsnap.storage import FileSystemStore, SnapshotRef


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list the checkpoints of a checkpoint directory",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("directory", metavar="DIR", help="checkpoint directory")
    parser.add_argument("--execution-id", metavar="ID", help="only this execution")
    parser.add_argument("--json", action="store_true", help="print the history as JSON")
    parser.set_defaults(handler=history)


def open_store(directory: str) -> FileSystemStore:
    if not Path(directory).is_dir():
        raise UsageError(f"no such directory: {directory}")
    return FileSystemStore(directory)


def _line(ref: SnapshotRef) -> str:
    meta = ref.meta
    created = meta.created_at.isoformat(timespec="milliseconds")
    progress = f"{meta.completed_count}/{meta.node_count}"
    return (
        f"  #{ref.seq:<4} {created}  {meta.label:<24} {meta.status:<9} {progress:>9} nodes"
        f"  {meta.size:>8} B  {meta.format}"
    )


@cli_errors
def history(args: argparse.Namespace) -> int:
    with open_store(args.directory) as store:
        executions = [args.execution_id] if args.execution_id else store.executions()
        listing: list[dict[str, Any]] = []
        for execution_id in executions:
            refs = store.list(execution_id)
            if not refs:
                raise SnapshotNotFoundError(
                    f"no checkpoint of execution {execution_id!r} in {args.directory}"
                )
            listing.append(
                {
                    "execution_id": execution_id,
                    "status": store.status(execution_id),
                    "snapshots": [{"seq": ref.seq, **ref.meta.to_dict()} for ref in refs],
                    "refs": refs,
                }
            )
    if args.json:
        for item in listing:
            del item["refs"]
        print(orjson.dumps({"executions": listing}, option=orjson.OPT_INDENT_2).decode())
        return 0
    if not listing:
        print(f"no checkpoints in {args.directory}")
    for item in listing:
        refs = item["refs"]
        workflow = refs[-1].meta.workflow_id or "(no workflow id)"
        print(
            f"execution {item['execution_id']} (workflow {workflow}, status {item['status']}, "
            f"{len(refs)} checkpoint(s))"
        )
        for ref in refs:
            print(_line(ref))
    return 0


__all__ = ["history", "open_store", "register"]
