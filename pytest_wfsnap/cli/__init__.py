"""The ``wfsnap`` command.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` (a function taking the
parsed arguments and returning the exit status). :data:`SUBCOMMANDS` lists the modules in
``--help`` order; modules that are not installed are skipped.

Exit status: 0 success, 1 the workflow (or the command's work) failed, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

SUBCOMMANDS = (
    "run",
    "resume",
    "show",
    "diff",
    "migrate",
    "verify",
    "history",
    "rollback",
    "gc",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wfsnap",
        description="Run thaiyyal workflow payloads, snapshot and resume them.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        module_name = f"{__name__}.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wfsnap`` console script; returns the exit status.

    (The console script wrapper passes the returned status to ``sys.exit``.)
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    status: int = args.handler(args)
    return status


__all__ = ["SUBCOMMANDS", "build_parser", "main"]
