"""JSON text to Python values with the payload's number rules, and Go-style JSON errors.

Payload numbers are float64 in Go, so every JSON number becomes a Python float (literals beyond
float64 are refused, as Go refuses them). Objects that repeat a key are remembered with their
ordered key/value pairs: Go decodes every occurrence of a key in order, so struct decoding needs
them (a plain dict keeps only the last value).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pytest_wfsnap.engine.jsonsyntax import go_syntax_error
from pytest_wfsnap.errors import PayloadError

PREFIX = "failed to parse payload: "

Duplicates = dict[int, list[tuple[str, Any]]]
"""For each decoded object that repeats a key (by ``id`` of the dict): its ordered pairs."""


def json_kind(value: Any) -> str:
    """The JSON kind Go names in ``cannot unmarshal <kind>`` messages."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object"


class _Overflow(Exception):
    pass


def _parse_float(text: str) -> float:
    """A JSON number literal as a float; literals beyond float64 are refused, as in Go."""
    value = float(text)
    if value - value != 0.0:  # only an infinity gives NaN here
        raise _Overflow(text)
    return value


def _parse_int(text: str) -> float:
    return float(text) if len(text) < 300 else _parse_float(text)


def _reject_constant(text: str) -> Any:
    raise ValueError(text)


def parse_json(text: str) -> tuple[Any, Duplicates]:
    """Parse JSON text with every number as a float.

    Returns the document and, for each object that repeats a key, its ordered key/value pairs
    (keyed by ``id`` of the decoded dict), so struct decoding sees duplicates in order.
    """
    duplicates: Duplicates = {}

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            duplicates[id(obj)] = pairs
        return obj

    try:
        doc = json.loads(
            text,
            object_pairs_hook=pairs_hook,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_reject_constant,
        )
    except _Overflow as exc:
        raise PayloadError(
            f"{PREFIX}json: cannot unmarshal number {exc} into Go value of type float64"
        ) from None
    except RecursionError:
        raise PayloadError(f"{PREFIX}exceeded max depth") from None
    except ValueError as exc:
        message = go_syntax_error(text) or str(exc)
        raise PayloadError(f"{PREFIX}{message}") from None
    return doc, duplicates


class _Unsupported(Exception):
    """A value JSON cannot carry; ``reason`` says why, ``path`` is filled in on the way out."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str] = []


def _copy(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is float:
        if value - value != 0.0:
            text = "NaN" if value != value else ("+Inf" if value > 0 else "-Inf")
            raise _Unsupported(f"json: unsupported value: {text}")
        return value
    if kind is int:
        try:
            return float(value)
        except OverflowError:
            raise _Unsupported(f"number too large: {value}") from None
    if kind is dict or isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                if not isinstance(key, str):
                    raise _Unsupported(f"object keys must be strings, got {type(key).__name__}")
                key = str(key)
            try:
                out[key] = _copy(item)
            except _Unsupported as exc:
                exc.path.append(f".{key}")
                raise
        return out
    if kind is list or kind is tuple:
        items = []
        for index, item in enumerate(value):
            try:
                items.append(_copy(item))
            except _Unsupported as exc:
                exc.path.append(f"[{index}]")
                raise
        return items
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _copy(float(value))
        except OverflowError:
            raise _Unsupported(f"number too large: {value}") from None
    if isinstance(value, str):
        return str(value)
    raise _Unsupported(
        f"unsupported value of type {type(value).__name__} (payloads hold only JSON values)"
    )


def normalize(value: Any, where: str = "payload") -> Any:
    """A JSON-like deep copy of an already-parsed payload, with every number as a float.

    Rejects values JSON cannot carry (non-string keys, NaN, infinities, other objects); the
    error names where the value is (``payload.nodes[3].data.x``). ``where`` is the path of
    ``value`` itself (e.g. ``payload.nodes[3]`` when normalizing one node).
    """
    try:
        return _copy(value)
    except _Unsupported as exc:
        path = where + "".join(reversed(exc.path))
        raise PayloadError(f"{PREFIX}{exc.reason} at {path}") from None


__all__ = ["PREFIX", "Duplicates", "json_kind", "normalize", "parse_json"]
