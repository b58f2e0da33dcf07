"""``wfsnap resume DIR|SNAPSHOT``: continue a paused or crashed run; print its Result as JSON.

DIR is a checkpoint directory (``wfsnap run --checkpoint-dir DIR``): the latest checkpoint of
its only execution (or of ``--execution-id``) is resumed, and the resumed run keeps writing
checkpoints there (in the format of the one resumed, following --checkpoint-every/-seconds),
so a run that crashes again can be resumed again. SNAPSHOT is a snapshot
file in any format (``--snapshot-out``, ``wfsnap migrate``, a Go engine snapshot).

Completed nodes are not run again; the node that was running when a process died runs again
(at least once). Network settings (allow_http, allowed domains, ...) come from
``--config-preset``/``--config``, not from the snapshot, unless ``--trust-snapshot-config``.

Exit status 0 when the run completes (or pauses at --stop-after/--stop-before), 1 when it
fails, 2 for bad input (no checkpoint, unreadable snapshot, bad option).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pytest_wfsnap.cli.common import (
    UsageError,
    cli_errors,
    keys_from_args,
    read_snapshot,
    registry_from_args,
)
from pytest_wfsnap.cli.run import add_config_options, config_from_args
from pytest_wfsnap.cli.runner import add_checkpoint_options, execute_and_print, policy_from_args
from pytest_wfsnap.engine.checkpoints import recover
from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.engine import Engine
from pytest_wfsnap.engine.snapshots import load_snapshot


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "resume",
        help="resume a run from a checkpoint directory or a snapshot file",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", metavar="DIR|SNAPSHOT", help="checkpoint directory or file")
    parser.add_argument(
        "--execution-id", metavar="ID", help="which execution of a checkpoint directory"
    )
    parser.add_argument(
        "--trust-snapshot-config",
        action="store_true",
        help="take every setting from the snapshot, network settings included",
    )
    parser.add_argument(
        "--no-checkpoint",
        action="store_true",
        help="do not keep checkpointing into the checkpoint directory being resumed",
    )
    add_config_options(parser)
    parser.add_argument(
        "--compact", action="store_true", help="print the result on one line (default: indented)"
    )
    add_checkpoint_options(parser)
    parser.set_defaults(handler=resume)


def _caller_config(args: argparse.Namespace) -> Config | None:
    explicit = args.config or args.config_preset != "default"
    if args.trust_snapshot_config:
        if explicit:
            raise UsageError("--trust-snapshot-config cannot be combined with --config options")
        return None
    return config_from_args(args)


@cli_errors
def resume(args: argparse.Namespace) -> int:
    source = Path(args.source)
    if not source.exists():
        raise UsageError(f"no such file or directory: {args.source}")
    config = _caller_config(args)
    registry = registry_from_args(args)
    keys = keys_from_args(args)
    engine: Engine
    if source.is_dir():
        if args.checkpoint_dir:
            raise UsageError(
                "--checkpoint-dir is for snapshot files; a resumed checkpoint directory keeps "
                "its checkpoints in place (--no-checkpoint turns that off)"
            )
        engine = recover(
            source,
            args.execution_id,
            registry=registry,
            config=config,
            trust_snapshot_config=args.trust_snapshot_config,
            keys=keys,
            checkpoint=not args.no_checkpoint,
            policy=policy_from_args(args),
        )
        args.checkpoint_dir = None  # recover() keeps checkpointing into the same directory
    else:
        if args.execution_id is not None:
            raise UsageError("--execution-id only applies to a checkpoint directory")
        engine = load_snapshot(
            read_snapshot(args.source, keys),
            registry,
            config=config,
            trust_snapshot_config=args.trust_snapshot_config,
        )
    return execute_and_print(engine, args)


__all__ = ["register", "resume"]
