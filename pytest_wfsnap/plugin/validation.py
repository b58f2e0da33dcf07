"""The ``wf_snapshot`` marker's arguments, validated in one place.

The same arguments are accepted as keywords by ``wf_snapshot.run()`` (and the other fixture
methods); keywords given to a call replace the marker's value for that call. Markers on a class or
module are merged with the test's own, the closest one winning per argument.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import pytest

from pytest_wfsnap.errors import ConfigError, PluginUsageError
from pytest_wfsnap.plugin.options import parse_compare

if TYPE_CHECKING:  # pragma: no cover - the engine is imported when a marker uses config=
    from pytest_wfsnap.engine.config import Config

MARKER = "wf_snapshot"

# name -> what it accepts (shown in errors and in the marker's registration line).
ACCEPTED: dict[str, str] = {
    "workflow": "path of the workflow payload file (str), resolved against the test file's "
    "directory, then the rootdir",
    "start_after": "node id: replay starts from the state recorded right after this node",
    "states": "node ids whose 'state after' is also recorded (list of str)",
    "config": "engine Config fields (dict, e.g. {'allow_http': True}) or a Config",
    "seed": "seed of the engine's random sources (int, default 0)",
    "float_tolerance": "absolute tolerance for float comparisons (number >= 0)",
    "ignore": "JSON path patterns left out of the comparison (list of str, e.g. "
    "'$.results.fetch.at')",
    "compare": "parts of the state to compare (list of str; default all)",
}

MARKER_LINE = (
    f"{MARKER}(workflow=..., start_after=None, states=(), config=None, seed=0, "
    "float_tolerance=None, ignore=(), compare=None): check a workflow run against its golden "
    "file (pytest-wfsnap)"
)


@dataclass(frozen=True, slots=True)
class WfArgs:
    """Validated marker/keyword arguments (``None`` = not given at this level)."""

    workflow: str | None = None
    start_after: str | None = None
    states: tuple[str, ...] = ()
    config: Config | None = None
    seed: int | None = None
    float_tolerance: float | None = None
    ignore: tuple[str, ...] | None = None
    compare: tuple[str, ...] | None = None

    def merged(self, other: WfArgs) -> WfArgs:
        """``self`` overridden by every argument ``other`` gives."""
        changes: dict[str, Any] = {}
        for name in ACCEPTED:
            value = getattr(other, name)
            if value is not None and value != ():
                changes[name] = value
        return replace(self, **changes)


def usage_error(where: str, problem: str) -> PluginUsageError:
    accepted = "\n".join(f"  {name}: {text}" for name, text in ACCEPTED.items())
    return PluginUsageError(f"{where}: {problem}\naccepted arguments:\n{accepted}")


def _str_list(value: Any, name: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        items = tuple(value)
        if all(isinstance(v, str) and v for v in items):
            return items
    raise usage_error(where, f"{name} must be a string or a list of strings, got {value!r}")


def validate_args(args: tuple[Any, ...], kwargs: Mapping[str, Any], where: str) -> WfArgs:
    """Check one marker's (or one call's) arguments; errors list every accepted argument."""
    if args:
        raise usage_error(where, f"takes keyword arguments only, got positional {args!r}")
    unknown = sorted(set(kwargs) - set(ACCEPTED))
    if unknown:
        raise usage_error(where, f"unknown argument(s) {', '.join(unknown)}")
    out = WfArgs()
    if "workflow" in kwargs and kwargs["workflow"] is not None:
        wf = kwargs["workflow"]
        if not isinstance(wf, str | os.PathLike) or not os.fspath(wf):
            raise usage_error(where, f"workflow must be a file path, got {wf!r}")
        out = replace(out, workflow=os.fspath(wf))
    for name in ("start_after",):
        value = kwargs.get(name)
        if value is not None and (not isinstance(value, str) or not value):
            raise usage_error(where, f"{name} must be a node id (non-empty str), got {value!r}")
        out = replace(out, start_after=value)
    if kwargs.get("states") is not None:
        out = replace(out, states=_str_list(kwargs["states"], "states", where))
    if kwargs.get("config") is not None:
        out = replace(out, config=_config(kwargs["config"], where))
    seed = kwargs.get("seed")
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise usage_error(where, f"seed must be an int, got {seed!r}")
        out = replace(out, seed=seed)
    tol = kwargs.get("float_tolerance")
    if tol is not None:
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not math.isfinite(tol):
            raise usage_error(where, f"float_tolerance must be a number, got {tol!r}")
        if tol < 0:
            raise usage_error(where, f"float_tolerance must be >= 0, got {tol!r}")
        out = replace(out, float_tolerance=float(tol))
    if kwargs.get("ignore") is not None:
        out = replace(out, ignore=_str_list(kwargs["ignore"], "ignore", where))
    if kwargs.get("compare") is not None:
        parts = _str_list(kwargs["compare"], "compare", where)
        try:
            out = replace(out, compare=parse_compare(parts, where))
        except pytest.UsageError as exc:
            raise usage_error(where, str(exc)) from None
    return out


def _config(value: Any, where: str) -> Config:
    from pytest_wfsnap.engine.config import Config, make_config

    if isinstance(value, Config):
        return value
    if not isinstance(value, Mapping):
        raise usage_error(where, f"config must be a dict of Config fields, got {value!r}")
    try:
        return make_config(dict(value), where=f"{where} config")
    except ConfigError as exc:
        raise usage_error(where, str(exc)) from None


def marker_args(item: pytest.Item) -> WfArgs:
    """The merged ``wf_snapshot`` markers of a test (closest marker wins per argument)."""
    merged = WfArgs()
    for mark in reversed(list(item.iter_markers(MARKER))):
        merged = merged.merged(validate_args(mark.args, mark.kwargs, f"@pytest.mark.{MARKER}"))
    return merged


__all__ = ["ACCEPTED", "MARKER", "MARKER_LINE", "WfArgs", "marker_args", "validate_args"]
