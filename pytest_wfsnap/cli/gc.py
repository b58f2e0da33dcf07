"""``wfsnap gc DIR --older-than 7d --keep-last N [--dry-run]``: remove old checkpoints.

DIR is a checkpoint directory. Per execution, a checkpoint is removed only when every given
rule lets it go: ``--keep-last N`` keeps the N newest, ``--older-than AGE`` keeps those younger
than AGE (``7d``, ``12h``, ``30m``, ``1w``, ``1d12h``). The latest checkpoint of a run that is
still live (running or paused) is never removed: it is what ``wfsnap resume`` continues from.
``--dry-run`` lists what would be removed and removes nothing.

Exit status 0 on success, 2 for bad input (no rule, DIR missing).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pytest_wfsnap.cli.common import UsageError, age_type, cli_errors, non_negative_int
from pytest_wfsnap.storage import FileSystemStore, collect_garbage


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "gc",
        help="remove old checkpoints from a checkpoint directory",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("directory", metavar="DIR", help="checkpoint directory")
    parser.add_argument("--older-than", metavar="AGE", type=age_type, help="e.g. 7d, 12h")
    parser.add_argument("--keep-last", metavar="N", type=non_negative_int, help="keep N newest")
    parser.add_argument("--dry-run", action="store_true", help="remove nothing, only list")
    parser.add_argument(
        "--execution-id",
        metavar="ID",
        action="append",
        default=None,
        help="only these executions (repeatable)",
    )
    parser.set_defaults(handler=gc)


@cli_errors
def gc(args: argparse.Namespace) -> int:
    root = Path(args.directory)
    if not root.is_dir():
        raise UsageError(f"no such directory: {args.directory}")
    if args.older_than is None and args.keep_last is None:
        raise UsageError("give a rule: --older-than AGE and/or --keep-last N")
    with FileSystemStore(root) as store:
        report = collect_garbage(
            store,
            older_than=args.older_than,
            keep_last=args.keep_last,
            dry_run=args.dry_run,
            execution_ids=args.execution_id,
        )
    verb = "would remove" if args.dry_run else "removed"
    for ref in report.removed:
        created = ref.created_at.isoformat(timespec="seconds")
        print(f"{verb}: {ref.execution_id} #{ref.seq} {ref.label} ({created}, {ref.size} B)")
    for ref in report.protected:
        print(f"kept (latest of a live run): {ref.execution_id} #{ref.seq} {ref.label}")
    print(report.summary())
    return 0


__all__ = ["gc", "register"]
