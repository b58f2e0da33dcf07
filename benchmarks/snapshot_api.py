"""The snapshot API the benchmarks call, looked up by name so that a missing piece turns its
rows into "not available" instead of failing the whole run.

Engine level (``pytest_wfsnap.engine``): ``save_snapshot``, ``serialize_snapshot``,
``deserialize_snapshot``, ``load_snapshot``. Format level (``pytest_wfsnap.snapshot``):
``encode_snapshot``/``decode_snapshot`` (``format=`` json or the binary format) and
``snapshot_to_document``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ENGINE_NAMES = ("save_snapshot", "serialize_snapshot", "deserialize_snapshot", "load_snapshot")
FORMAT_NAMES = ("encode_snapshot", "decode_snapshot", "snapshot_to_document", "FORMATS")
BINARY_NAMES = ("binary", "msgpack")  # the first one the format package accepts


@dataclass
class SnapshotApi:
    functions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    binary_format: str | None = None
    problems: dict[str, str] = field(default_factory=dict)  # name -> why it is missing

    def missing(self, *names: str) -> str | None:
        """Why some of ``names`` cannot be used, or None when all are there."""
        absent = [f"{name} ({self.problems[name]})" for name in names if name in self.problems]
        return "; ".join(absent) or None

    def __getattr__(self, name: str) -> Callable[..., Any]:
        try:
            return self.functions[name]
        except KeyError:
            raise AttributeError(name) from None


def _module(name: str) -> tuple[Any, str | None]:
    try:
        return importlib.import_module(name), None
    except Exception as exc:  # an import error of work in progress must not stop the run
        return None, f"import {name} failed: {type(exc).__name__}: {exc}"


def resolve() -> SnapshotApi:
    api = SnapshotApi()
    for module_name, names in (
        ("pytest_wfsnap.engine", ENGINE_NAMES),
        ("pytest_wfsnap.snapshot", FORMAT_NAMES),
    ):
        module, error = _module(module_name)
        for name in names:
            if module is None:
                api.problems[name] = error or "missing"
                continue
            try:
                value = getattr(module, name)
            except Exception as exc:
                api.problems[name] = f"{module_name}.{name}: {type(exc).__name__}: {exc}"
                continue
            if name == "FORMATS":
                formats = tuple(value)
                api.binary_format = next((f for f in BINARY_NAMES if f in formats), None)
                if api.binary_format is None:
                    api.problems["binary"] = f"no binary format among {formats}"
            else:
                api.functions[name] = value
    if "FORMATS" in api.problems:
        api.problems["binary"] = api.problems["FORMATS"]
    return api


__all__ = ["SnapshotApi", "resolve"]
