"""``wfsnap run PAYLOAD.json``: run a workflow and print its Result as Go-style JSON.

Exit status 0 when the run completes; 1 when it fails (the error goes to stderr, the partial
Result to stdout); 2 when the payload file or an option is invalid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pytest_wfsnap import engine
from pytest_wfsnap.cli.common import cli_errors, registry_from_args
from pytest_wfsnap.cli.runner import add_checkpoint_options, execute_and_print
from pytest_wfsnap.engine.config import Config, preset, preset_names
from pytest_wfsnap.engine.config_text import apply_overrides, parse_assignment
from pytest_wfsnap.errors import ConfigError, PayloadError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run a workflow payload and print the result",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "payload", metavar="PAYLOAD.json", help="workflow payload file ('-' = stdin)"
    )
    add_config_options(parser)
    parser.add_argument(
        "--compact", action="store_true", help="print the result on one line (default: indented)"
    )
    add_checkpoint_options(parser)
    parser.set_defaults(handler=run)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """The --config-preset / --config options (shared with other subcommands)."""
    parser.add_argument(
        "--config-preset",
        metavar="NAME",
        default="default",
        help=f"start from a named config preset: {', '.join(preset_names())} (default: default)",
    )
    parser.add_argument(
        "--config",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="override one config field (snake_case or Go name, e.g. allow_http=true, "
        "max_execution_time=30s); repeatable",
    )


def config_from_args(args: argparse.Namespace) -> Config:
    overrides = dict(parse_assignment(item) for item in args.config)
    return apply_overrides(preset(args.config_preset), overrides)


def read_payload(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise PayloadError(f"payload file not found: {path}") from None
    except OSError as exc:
        raise PayloadError(f"cannot read payload file {path}: {exc.strerror or exc}") from None


def fail_usage(message: str) -> int:
    print(f"wfsnap: error: {message}", file=sys.stderr)
    return 2


@cli_errors
def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
        raw = read_payload(args.payload)
    except (ConfigError, PayloadError) as exc:
        return fail_usage(str(exc))
    try:
        eng = engine.new(raw, config, registry_from_args(args))
    except PayloadError as exc:
        return fail_usage(f"{args.payload}: {exc}")
    return execute_and_print(eng, args)


__all__ = ["add_config_options", "config_from_args", "read_payload", "register", "run"]
