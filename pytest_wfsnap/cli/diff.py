"""``wfsnap diff A B``: what changed from snapshot A to snapshot B.

A and B are snapshot files (any format or version) or checkpoint directories (their latest
checkpoint). Differences are grouped by node, then by section (metadata, workflow, progress,
results, variables, counters, cache, context, config, recordings), each with its JSON path.
``--ignore PATH`` skips paths (fnmatch patterns such as ``$.results.*.timestamp``);
``--ignore-volatile`` skips what always differs between two runs (snapshot_time,
execution_id, random_seed); ``--abs-tol``/``--rel-tol`` compare numbers with a tolerance;
``--loose-types`` lets an int equal a float of the same value.

Exit status: 0 when the snapshots are equal, 1 when they differ, 2 for bad input.
"""

from __future__ import annotations

import argparse
from typing import Any

from pytest_wfsnap.cli.common import add_key_option, cli_errors, keys_from_args, read_source
from pytest_wfsnap.snapshot import diff_snapshots
from pytest_wfsnap.snapshot.diff import VOLATILE_PATHS


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text}")
    return value


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="compare two snapshots",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("a", metavar="A", help="old snapshot (file or checkpoint dir)")
    parser.add_argument("b", metavar="B", help="new snapshot (file or checkpoint dir)")
    parser.add_argument("--json", action="store_true", help="print the differences as JSON")
    parser.add_argument(
        "--ignore", metavar="PATH", action="append", default=[], help="skip paths (repeatable)"
    )
    parser.add_argument(
        "--ignore-volatile",
        action="store_true",
        help=f"skip {', '.join(VOLATILE_PATHS)}",
    )
    parser.add_argument("--abs-tol", type=_non_negative_float, default=0.0, metavar="X")
    parser.add_argument("--rel-tol", type=_non_negative_float, default=0.0, metavar="X")
    parser.add_argument(
        "--loose-types", action="store_true", help="an int equals a float of the same value"
    )
    parser.add_argument(
        "--max-changes", type=int, default=50, metavar="N", help="lines of changes shown"
    )
    add_key_option(parser)
    parser.set_defaults(handler=diff)


@cli_errors
def diff(args: argparse.Namespace) -> int:
    keys = keys_from_args(args)
    old, _ = read_source(args.a, keys)
    new, _ = read_source(args.b, keys)
    ignore = list(args.ignore) + (list(VOLATILE_PATHS) if args.ignore_volatile else [])
    changes = diff_snapshots(
        old,
        new,
        abs_tol=args.abs_tol,
        rel_tol=args.rel_tol,
        strict_types=not args.loose_types,
        ignore_paths=ignore,
    )
    if args.json:
        print(changes.to_json())
    else:
        print(changes.to_text(max_changes=max(args.max_changes, 1)))
    return 0 if changes.equal else 1


__all__ = ["diff", "register"]
