"""Running an engine from the command line with pauses, checkpoints and snapshot files
(shared by ``wfsnap run`` and ``wfsnap resume``).

Options added to both commands:

* ``--checkpoint-dir DIR``: write checkpoints of the run into DIR (a file-system store, one
  sub-directory per execution): one when the run starts, one before each node (so after each
  completed node), and one when it pauses, fails or completes. ``--checkpoint-every N`` writes
  only every N nodes, ``--checkpoint-seconds T`` when T seconds have passed since the last one
  (with only ``--checkpoint-seconds``, time alone decides). ``--compress`` and ``--key``
  compress and encrypt them. After a crash, ``wfsnap resume DIR`` continues the run.
* ``--stop-after ID`` / ``--stop-before ID`` (repeatable): pause there; the Result has status
  ``paused`` and the exit status is 0.
* ``--snapshot-out FILE``: write the engine's snapshot to FILE when the command ends (paused,
  completed or failed), atomically; ``wfsnap resume FILE`` continues from it.
* ``--executors MODULE[:FUNC]``: custom node executors (see :mod:`pytest_wfsnap.cli.common`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pytest_wfsnap.cli.common import (
    add_executors_option,
    add_key_option,
    keys_from_args,
    positive_float,
    positive_int,
)
from pytest_wfsnap.engine.checkpoints import CheckpointObserver, enable_checkpoints
from pytest_wfsnap.engine.engine import Engine
from pytest_wfsnap.engine.snapshots import save_snapshot, serialize_snapshot
from pytest_wfsnap.errors import ExecutionError, describe
from pytest_wfsnap.snapshot import COMPRESSIONS
from pytest_wfsnap.snapshot.compression import Compression
from pytest_wfsnap.storage import CheckpointPolicy, FileSystemStore, atomic_write_bytes


def add_checkpoint_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("checkpoints and snapshots")
    group.add_argument(
        "--checkpoint-dir",
        metavar="DIR",
        help="write checkpoints of the run into DIR (resume it with 'wfsnap resume DIR')",
    )
    group.add_argument(
        "--checkpoint-every",
        metavar="N",
        type=positive_int,
        help="checkpoint after every N executed nodes (default 1)",
    )
    group.add_argument(
        "--checkpoint-seconds",
        metavar="T",
        type=positive_float,
        help="checkpoint when T seconds have passed since the last checkpoint",
    )
    group.add_argument(
        "--compress",
        choices=COMPRESSIONS,
        help="compress checkpoints and --snapshot-out",
    )
    group.add_argument(
        "--stop-after",
        metavar="NODE",
        action="append",
        default=[],
        help="pause right after NODE completes (repeatable)",
    )
    group.add_argument(
        "--stop-before",
        metavar="NODE",
        action="append",
        default=[],
        help="pause just before NODE would run (repeatable)",
    )
    group.add_argument(
        "--snapshot-out",
        metavar="FILE",
        help="write the engine's snapshot to FILE when the command ends",
    )
    add_key_option(parser)
    add_executors_option(parser)


def policy_from_args(args: argparse.Namespace) -> CheckpointPolicy:
    every: int | None = args.checkpoint_every
    seconds: float | None = args.checkpoint_seconds
    if every is None and seconds is None:
        every = 1
    return CheckpointPolicy(every_nodes=every, every_seconds=seconds)


def attach_checkpoints(engine: Engine, args: argparse.Namespace) -> CheckpointObserver | None:
    """Checkpoint ``engine`` into ``--checkpoint-dir`` when it is given."""
    if not args.checkpoint_dir:
        return None
    compression: Compression | None = args.compress
    keys = keys_from_args(args)
    return enable_checkpoints(
        engine,
        FileSystemStore(args.checkpoint_dir),
        policy_from_args(args),
        compression=compression,
        encryption_keys=keys if args.key else None,
    )


def write_snapshot_file(engine: Engine, args: argparse.Namespace) -> None:
    path: str | None = args.snapshot_out
    if not path:
        return
    compression: Compression | None = args.compress
    data = serialize_snapshot(
        save_snapshot(engine),
        compression=compression,
        encryption_keys=keys_from_args(args) if args.key else None,
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data)


def execute_and_print(engine: Engine, args: argparse.Namespace) -> int:
    """Run (or resume) ``engine``, print its Result as Go-style JSON; 0 completed or paused,
    1 failed."""
    observer = attach_checkpoints(engine, args)
    indent = not getattr(args, "compact", False)
    try:
        result = engine.execute(
            stop_after=args.stop_after or None, stop_before=args.stop_before or None
        )
    except ExecutionError as exc:
        _report_checkpoint_errors(observer)
        write_snapshot_file(engine, args)
        print(describe(exc), file=sys.stderr)
        if exc.result is not None:
            print(exc.result.to_json(indent=indent))
        return 1
    _report_checkpoint_errors(observer)
    write_snapshot_file(engine, args)
    print(result.to_json(indent=indent))
    return 0


def _report_checkpoint_errors(observer: CheckpointObserver | None) -> None:
    if observer is not None and observer.errors:
        count = len(observer.errors)
        print(
            f"wfsnap: warning: {count} checkpoint(s) failed; last: {observer.errors[-1]}",
            file=sys.stderr,
        )


__all__ = [
    "add_checkpoint_options",
    "attach_checkpoints",
    "execute_and_print",
    "policy_from_args",
    "write_snapshot_file",
]
