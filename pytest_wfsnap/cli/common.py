"""Shared pieces of the snapshot subcommands: error reporting, keys, custom executors, reading
snapshots from files and checkpoint directories, durations.

Custom node types on the command line: ``--executors SPEC`` (repeatable, also the
``WFSNAP_EXECUTORS`` environment variable, comma-separated) names a Python module
(``mypkg.nodes``) or file (``./nodes.py``), optionally ``:function``; the function (default
``register_executors``) is called with the engine's registry and registers executors into it.
Installed packages can do the same through the ``wfsnap.executors`` entry point group (each
entry point is such a function); they are loaded by every command that runs a workflow.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from pytest_wfsnap.engine.registry import Registry, default_registry
from pytest_wfsnap.errors import (
    ConfigError,
    ExecutionError,
    SnapshotError,
    StorageError,
    WfsnapError,
    describe,
)
from pytest_wfsnap.snapshot import KEY_ENV_VAR, Snapshot
from pytest_wfsnap.storage import FileSystemStore, read_bytes_limited
from pytest_wfsnap.storage.fs_index import INDEX_NAME

EXECUTORS_ENV_VAR = "WFSNAP_EXECUTORS"
ENTRY_POINT_GROUP = "wfsnap.executors"
DEFAULT_REGISTER_FUNCTION = "register_executors"
MAX_SNAPSHOT_FILE = 256 * 1024 * 1024

Handler = Callable[[argparse.Namespace], int]


class UsageError(WfsnapError):
    """Bad command-line input (exit status 2)."""


def error(message: str, code: int = 2) -> int:
    """Print ``wfsnap: error: <message>`` (one line) to stderr and return ``code``."""
    text = " ".join(message.split("\n"))
    print(f"wfsnap: error: {text}", file=sys.stderr)
    return code


def exit_code(exc: BaseException) -> int:
    """1 when the operation itself failed (a run), 2 for bad input of any kind."""
    return 1 if isinstance(exc, ExecutionError) else 2


def cli_errors(handler: Handler) -> Handler:
    """Turn every error of a handler into one clear line on stderr and an exit status."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except WfsnapError as exc:
            return error(describe(exc), exit_code(exc))
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            return error(f"cannot access{where}: {exc.strerror or exc}")
        except KeyboardInterrupt:
            return error("interrupted", 130)
        except Exception as exc:  # a bug, reported without a traceback
            return error(f"internal error: {type(exc).__name__}: {exc}", 1)

    return wrapped


# --- keys -----------------------------------------------------------------------------------


def add_key_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key",
        metavar="KEY",
        action="append",
        default=None,
        help=f"key (base64) of encrypted snapshots; repeat for rotation, newest first "
        f"(default: ${KEY_ENV_VAR})",
    )


def keys_from_args(args: argparse.Namespace) -> list[str] | None:
    """The --key values, or None (the snapshot package then reads the environment)."""
    keys: list[str] | None = getattr(args, "key", None)
    return keys or None


# --- custom executors -------------------------------------------------------------------------


def add_executors_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--executors",
        metavar="MODULE[:FUNC]",
        action="append",
        default=[],
        help="load custom node executors: a module name or .py file whose function FUNC "
        f"(default {DEFAULT_REGISTER_FUNCTION}) registers them into the registry; repeatable "
        f"(also ${EXECUTORS_ENV_VAR}, comma-separated, and entry points '{ENTRY_POINT_GROUP}')",
    )


def _import_target(target: str) -> ModuleType:
    if target.endswith(".py") or os.sep in target or "/" in target:
        path = Path(target).resolve()
        if not path.is_file():
            raise UsageError(f"--executors: file not found: {target}")
        name = f"wfsnap_executors_{re.sub(r'[^0-9A-Za-z_]', '_', path.stem)}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise UsageError(f"--executors: cannot import {target}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        raise UsageError(f"--executors: no module named {target!r} ({exc})") from None


def load_executors(spec: str, registry: Registry) -> None:
    """Import ``MODULE[:FUNC]`` and call its register function with ``registry``."""
    target, function = spec, ""
    head, sep, tail = spec.rpartition(":")
    if sep and tail.isidentifier() and len(head) > 1:
        target, function = head, tail
    try:
        module = _import_target(target)
    except UsageError:
        raise
    except Exception as exc:
        raise UsageError(
            f"--executors {spec}: import failed: {type(exc).__name__}: {exc}"
        ) from None
    name = function or DEFAULT_REGISTER_FUNCTION
    register = getattr(module, name, None)
    if not callable(register):
        raise UsageError(
            f"--executors {spec}: {target} has no function {name}(registry) that registers "
            "custom executors"
        )
    _call(register, registry, f"--executors {spec}")


def _call(register: Callable[..., Any], registry: Registry, where: str) -> None:
    try:
        register(registry)
    except WfsnapError as exc:
        raise UsageError(f"{where}: {describe(exc)}") from None
    except Exception as exc:
        raise UsageError(f"{where}: {type(exc).__name__}: {exc}") from None


def registry_from_args(args: argparse.Namespace) -> Registry:
    """The default registry plus the executors of entry points, the environment and
    ``--executors``."""
    registry = default_registry()
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            register = point.load()
        except Exception as exc:
            raise UsageError(
                f"entry point {point.name} ({ENTRY_POINT_GROUP}): import failed: {exc}"
            ) from None
        _call(register, registry, f"entry point {point.name} ({ENTRY_POINT_GROUP})")
    specs = [part.strip() for part in os.environ.get(EXECUTORS_ENV_VAR, "").split(",")]
    specs += list(getattr(args, "executors", []) or [])
    for spec in specs:
        if spec:
            load_executors(spec, registry)
    return registry


# --- reading snapshots ------------------------------------------------------------------------


def is_store_dir(path: Path) -> bool:
    """Whether ``path`` is a checkpoint directory (a file-system store root)."""
    if not path.is_dir():
        return False
    return any((child / INDEX_NAME).is_file() for child in path.iterdir() if child.is_dir())


def read_file(path: str) -> bytes:
    try:
        return read_bytes_limited(path, MAX_SNAPSHOT_FILE)
    except StorageError as exc:
        raise UsageError(describe(exc)) from None


def read_snapshot(path: str, keys: Sequence[str] | None) -> Snapshot:
    """The snapshot in file ``path`` (any format), errors naming the file."""
    from pytest_wfsnap.engine.snapshots import deserialize_snapshot

    p = Path(path)
    if not p.exists():
        raise UsageError(f"no such file: {path}")
    if p.is_dir():
        raise UsageError(f"{path} is a directory, expected a snapshot file")
    data = read_file(path)
    try:
        return deserialize_snapshot(data, keys=keys)
    except SnapshotError as exc:
        raise type(exc)(f"{path}: {describe(exc)}") from None


def read_source(
    path: str, keys: Sequence[str] | None, execution_id: str | None = None, seq: int | None = None
) -> tuple[Snapshot, str]:
    """A snapshot from a file, or from a checkpoint directory (the latest of its only or the
    given execution, or snapshot ``seq``); also returns a description of where it came from."""
    from pytest_wfsnap.engine.checkpoints import pick_execution
    from pytest_wfsnap.engine.snapshots import deserialize_snapshot

    p = Path(path)
    if not p.is_dir():
        if execution_id is not None or seq is not None:
            raise UsageError("--execution-id/--seq only apply to a checkpoint directory")
        return read_snapshot(path, keys), path
    store = FileSystemStore(p)
    chosen = pick_execution(store, execution_id, path)
    ref, data = store.load(chosen, seq)
    where = f"{path} (execution {chosen}, #{ref.seq} {ref.label})"
    try:
        return deserialize_snapshot(data, keys=keys), where
    except SnapshotError as exc:
        raise type(exc)(f"{where}: {describe(exc)}") from None


# --- durations ---------------------------------------------------------------------------------

_AGE = re.compile(r"(?P<n>\d+(?:\.\d+)?)(?P<unit>w|d|h|m|s)")
_UNITS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}


def parse_age(text: str) -> timedelta:
    """``7d``, ``12h``, ``1d12h``, ``30m``, ``90s``, ``2w`` as a timedelta."""
    clean = text.strip().lower()
    position, seconds = 0, 0.0
    while position < len(clean):
        match = _AGE.match(clean, position)
        if match is None:
            raise ConfigError(
                f"invalid age {text!r}: use a number and a unit w, d, h, m or s (e.g. 7d, 12h)"
            )
        seconds += float(match["n"]) * _UNITS[match["unit"]]
        position = match.end()
    if not clean:
        raise ConfigError("invalid age '': use a number and a unit (e.g. 7d)")
    return timedelta(seconds=seconds)


def age_type(text: str) -> timedelta:
    """argparse type for ages."""
    try:
        return parse_age(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _int_at_least(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {value}")
    return value


def positive_int(text: str) -> int:
    return _int_at_least(text, 1)


def non_negative_int(text: str) -> int:
    return _int_at_least(text, 0)


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text}")
    return value


__all__ = [
    "DEFAULT_REGISTER_FUNCTION",
    "ENTRY_POINT_GROUP",
    "EXECUTORS_ENV_VAR",
    "UsageError",
    "add_executors_option",
    "add_key_option",
    "age_type",
    "cli_errors",
    "error",
    "is_store_dir",
    "keys_from_args",
    "load_executors",
    "non_negative_int",
    "parse_age",
    "positive_float",
    "positive_int",
    "read_file",
    "read_snapshot",
    "read_source",
    "registry_from_args",
]
