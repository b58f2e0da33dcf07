"""``wfsnap rollback DIR --execution-id ID --to SEQ``: make an earlier checkpoint the latest.

Appends a copy of checkpoint SEQ (labelled ``rollback:SEQ``) to the execution's history; it
becomes the latest, so ``wfsnap resume DIR`` continues from there. Nothing is deleted: a
rollback can itself be rolled back. ``--execution-id`` may be left out when DIR holds one
execution. Nodes completed after SEQ run again when the run is resumed.

Exit status 0 on success, 2 for bad input (unknown execution or checkpoint).
"""

from __future__ import annotations

import argparse
from typing import Any

from pytest_wfsnap.cli.common import cli_errors, positive_int
from pytest_wfsnap.cli.history import open_store
from pytest_wfsnap.engine.checkpoints import pick_execution


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rollback",
        help="make an earlier checkpoint the latest again",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("directory", metavar="DIR", help="checkpoint directory")
    parser.add_argument("--execution-id", metavar="ID", help="the execution to roll back")
    parser.add_argument(
        "--to", metavar="SEQ", type=positive_int, required=True, help="checkpoint number"
    )
    parser.set_defaults(handler=rollback)


@cli_errors
def rollback(args: argparse.Namespace) -> int:
    with open_store(args.directory) as store:
        execution_id = pick_execution(store, args.execution_id, args.directory)
        ref = store.rollback(execution_id, args.to)
    print(
        f"execution {execution_id}: checkpoint #{ref.seq} ({ref.label}, "
        f"{ref.meta.completed_count}/{ref.meta.node_count} nodes completed) is now the latest"
    )
    return 0


__all__ = ["register", "rollback"]
