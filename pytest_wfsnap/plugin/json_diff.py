"""A small structural diff of JSON-like values: the changed paths, with old and new values.

Used for the recorder's reproducibility check and for the parts of a run that are not snapshot
state (status, final output, errors). Paths are dotted (``results.fetch.items[2].price``); keys
that are not plain identifiers are quoted (``results["a.b"]``).
"""

from __future__ import annotations

import fnmatch
import json
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Change:
    path: str
    old: Any  # _MISSING when the path is new
    new: Any  # _MISSING when the path was removed

    @property
    def added(self) -> bool:
        return self.old is _MISSING

    @property
    def removed(self) -> bool:
        return self.new is _MISSING


def child_path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN.match(key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]' if path else f'["{key}"]'


def _numbers_equal(a: Any, b: Any, tolerance: float) -> bool:
    if type(a) is not type(b):  # an int and a float differ: types matter to the engine
        return False
    if a == b:
        return True
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if tolerance > 0 and isinstance(a, float):
        return math.isclose(a, b, rel_tol=0.0, abs_tol=tolerance)
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Ignore:
    """Path patterns: exact paths, prefixes (a whole subtree) and ``*`` wildcards per segment."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(p.strip() for p in patterns if p.strip())

    def __call__(self, path: str) -> bool:
        for pattern in self.patterns:
            if path == pattern or fnmatch.fnmatchcase(path, pattern):
                return True
        return False


def diff_values(
    old: Any,
    new: Any,
    *,
    path: str = "",
    float_tolerance: float = 0.0,
    ignore: Ignore | None = None,
) -> Iterator[Change]:
    """Every leaf-level difference between two JSON-like values, in document order."""
    if ignore is not None and path and ignore(path):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old:
            sub = child_path(path, str(key))
            if key in new:
                yield from diff_values(
                    old[key], new[key], path=sub, float_tolerance=float_tolerance, ignore=ignore
                )
            elif ignore is None or not ignore(sub):
                yield Change(sub, old[key], _MISSING)
        for key in new:
            if key not in old:
                sub = child_path(path, str(key))
                if ignore is None or not ignore(sub):
                    yield Change(sub, _MISSING, new[key])
        return
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            sub = child_path(path, index)
            if index >= len(new):
                if ignore is None or not ignore(sub):
                    yield Change(sub, old[index], _MISSING)
            elif index >= len(old):
                if ignore is None or not ignore(sub):
                    yield Change(sub, _MISSING, new[index])
            else:
                yield from diff_values(
                    old[index],
                    new[index],
                    path=sub,
                    float_tolerance=float_tolerance,
                    ignore=ignore,
                )
        return
    if _is_number(old) and _is_number(new):
        if not _numbers_equal(old, new, float_tolerance):
            yield Change(path, old, new)
        return
    if type(old) is not type(new) or old != new:
        yield Change(path, old, new)


def short(value: Any, limit: int = 80) -> str:
    """A one-line, size-capped rendering of a value for diff output."""
    if value is _MISSING:
        return "<absent>"
    try:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render_change(change: Change) -> str:
    if change.added:
        return f"{change.path}: added {short(change.new)}"
    if change.removed:
        return f"{change.path}: removed (was {short(change.old)})"
    return f"{change.path}: {short(change.old)} -> {short(change.new)}"


__all__ = ["Change", "Ignore", "child_path", "diff_values", "render_change", "short"]
