"""Go ``encoding/json`` output (``json.Marshal`` / ``json.MarshalIndent``), ENGINE.md B5.

Map keys sorted, floats in Go's shortest form (``15`` not ``15.0``; exponent only below 1e-6 or
from 1e21, written ``1e-7`` / ``1e+21``), ``<``, ``>``, ``&``, U+2028 and U+2029 escaped as
``\\u003c`` and so on, other non-ASCII raw, lone surrogates as U+FFFD, NaN/Inf an error.
Use it through :func:`pytest_wfsnap.engine.gofmt.go_json_dumps`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

from pytest_wfsnap.engine.gofmt import (
    format_float_e,
    format_float_f,
    format_float_g,
    go_time_rfc3339,
    go_type,
    go_v,
    shortest_digits,
)
from pytest_wfsnap.errors import NodeError


def _json_float(x: float) -> str:
    """A float as Go ``encoding/json`` writes it (finite values only)."""
    if x.is_integer() and -9007199254740992.0 < x < 9007199254740992.0:
        if x == 0 and math.copysign(1.0, x) < 0:
            return "-0"
        return str(int(x))
    neg = x < 0
    digits, dp = shortest_digits(x)
    ax = abs(x)
    if ax < 1e-6 or ax >= 1e21:
        text = format_float_e(neg, digits, dp)
        if text[-4:-1] == "e-0":
            text = text[:-2] + text[-1]
        return text
    return format_float_f(neg, digits, dp)


_JSON_SPECIAL = re.compile("[<>&\u2028\u2029\ud800-\udfff]")
_JSON_REPLACE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _json_string(text: str) -> str:
    out = encode_basestring(text)
    if _JSON_SPECIAL.search(text) is None:
        return out
    return _JSON_SPECIAL.sub(lambda m: _JSON_REPLACE.get(m.group(), "\ufffd"), out)


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (int, float)):
        return go_v(key)
    raise NodeError(f"json: unsupported type: map key of type {go_type(key)}")


class _JSONWriter:
    __slots__ = ("indent", "parts")

    def __init__(self, indent: bool) -> None:
        self.parts: list[str] = []
        self.indent = indent

    def write(self, value: Any, level: int) -> None:
        parts = self.parts
        if isinstance(value, str):
            parts.append(_json_string(value))
        elif value is None:
            parts.append("null")
        elif value is True:
            parts.append("true")
        elif value is False:
            parts.append("false")
        elif isinstance(value, float):
            if math.isnan(value) or math.isinf(value):
                raise NodeError(f"json: unsupported value: {format_float_g(value)}")
            parts.append(_json_float(value))
        elif isinstance(value, int):
            parts.append(str(value))
        elif isinstance(value, Mapping):
            self._write_map(value, level)
        elif isinstance(value, (list, tuple)):
            self._write_list(value, level)
        elif isinstance(value, datetime):
            parts.append('"' + go_time_rfc3339(value) + '"')
        else:
            raise NodeError(f"json: unsupported type: {go_type(value)}")

    def _write_map(self, value: Mapping[Any, Any], level: int) -> None:
        parts = self.parts
        if not value:
            parts.append("{}")
            return
        items = sorted((_json_key(k), v) for k, v in value.items())
        if self.indent:
            pad = "\n" + "  " * (level + 1)
            sep, colon = "," + pad, ": "
            parts.append("{" + pad)
        else:
            sep, colon = ",", ":"
            parts.append("{")
        first = True
        for key, item in items:
            if not first:
                parts.append(sep)
            first = False
            parts.append(_json_string(key) + colon)
            self.write(item, level + 1)
        parts.append("\n" + "  " * level + "}" if self.indent else "}")

    def _write_list(self, value: list[Any] | tuple[Any, ...], level: int) -> None:
        parts = self.parts
        if not value:
            parts.append("[]")
            return
        if self.indent:
            pad = "\n" + "  " * (level + 1)
            sep = "," + pad
            parts.append("[" + pad)
        else:
            sep = ","
            parts.append("[")
        first = True
        for item in value:
            if not first:
                parts.append(sep)
            first = False
            self.write(item, level + 1)
        parts.append("\n" + "  " * level + "]" if self.indent else "]")


def dumps(value: Any, indent: bool = False) -> str:
    """Go ``json.Marshal`` text, or ``json.MarshalIndent(v, "", "  ")`` with ``indent``."""
    writer = _JSONWriter(indent)
    try:
        writer.write(value, 0)
    except RecursionError:
        raise NodeError("json: unsupported value: value is nested too deeply (or cyclic)")
    return "".join(writer.parts)


__all__ = ["dumps"]
