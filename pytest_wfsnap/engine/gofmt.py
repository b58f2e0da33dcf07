"""Go formatting and parsing helpers whose output reaches node results (ENGINE.md B5).

Workflow results are compared with those of the Go engine, so wherever Go's ``fmt``,
``strconv``, ``time`` or ``encoding/json`` text shows up in a result or an error message, these
helpers produce the same text:

* :func:`go_v` / :func:`go_type`: ``fmt`` ``%v`` and ``%T``;
* :func:`parse_go_float`: ``strconv.ParseFloat`` (None instead of an error);
* :func:`parse_duration` / :func:`format_duration`: the engine's duration parsing and
  ``time.Duration.String()``;
* :func:`go_json_dumps`: ``encoding/json`` (``Marshal`` and ``MarshalIndent`` with two spaces).

The value model is the engine's: None, bool, int (engine-made counts), float (JSON numbers), str,
list, dict and timezone-aware :class:`datetime.datetime` (Go ``time.Time``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from pytest_wfsnap.engine.goduration import (
    format_duration,
    go_parse_duration,
    parse_duration,
    parse_go_int,
    timedelta_to_ns,
)

# --- floats -----------------------------------------------------------------------------------


def shortest_digits(x: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of a finite non-zero ``abs(x)``.

    Returns ``(digits, dp)`` with ``abs(x) == 0.digits * 10**dp`` (Go's ``decimalSlice``):
    no leading or trailing zeros in ``digits``.
    """
    text = repr(abs(x))
    exp = 0
    epos = text.find("e")
    if epos >= 0:
        exp = int(text[epos + 1 :])
        text = text[:epos]
    dot = text.find(".")
    if dot >= 0:
        int_part, frac = text[:dot], text[dot + 1 :]
    else:
        int_part, frac = text, ""
    digits = int_part + frac
    dp = len(int_part) + exp
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0"), dp


def format_float_e(neg: bool, digits: str, dp: int) -> str:
    exp = dp - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{'-' if neg else ''}{mant}e{sign}{abs(exp):02d}"


def format_float_f(neg: bool, digits: str, dp: int) -> str:
    if dp <= 0:
        body = "0." + "0" * (-dp) + digits
    elif dp >= len(digits):
        body = digits + "0" * (dp - len(digits))
    else:
        body = digits[:dp] + "." + digits[dp:]
    return ("-" if neg else "") + body


def format_float_g(x: float) -> str:
    """Go ``strconv.FormatFloat(x, 'g', -1, 64)`` as printed by ``%v``.

    Scientific notation when the decimal exponent is < -4 or >= 6 (1e+06, 1e-05), plain
    decimal otherwise; NaN and infinities print as ``NaN``, ``+Inf`` and ``-Inf``.
    """
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    neg = math.copysign(1.0, x) < 0
    if x == 0:
        return "-0" if neg else "0"
    digits, dp = shortest_digits(x)
    exp = dp - 1
    if exp < -4 or exp >= 6:
        return format_float_e(neg, digits, dp)
    return format_float_f(neg, digits, dp)


# --- %v and %T --------------------------------------------------------------------------------


def _zone_text(dt: datetime) -> tuple[str, str]:
    """(numeric offset like ``+0530``, zone abbreviation as Go prints it) of an aware time."""
    offset = dt.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    numeric = f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
    name = dt.tzname() or ""
    if dt.tzinfo is UTC or (minutes == 0 and name in ("UTC", "UTC+00:00", "")):
        return numeric, "UTC"
    if name == "" or name.startswith("UTC"):
        # A fixed zone without a name: Go prints the offset again in place of a name.
        return numeric, numeric
    return numeric, name


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def go_time_string(dt: datetime) -> str:
    """Go ``time.Time.String()``: ``2006-01-02 15:04:05.999999999 -0700 MST``."""
    dt = _aware(dt)
    frac = f".{dt.microsecond:06d}".rstrip("0") if dt.microsecond else ""
    numeric, name = _zone_text(dt)
    return (
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d} "
        f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}{frac} {numeric} {name}"
    )


def go_time_rfc3339(dt: datetime, nano: bool = True) -> str:
    """Go ``time.RFC3339Nano`` (or ``RFC3339`` when ``nano`` is false) text of a time."""
    dt = _aware(dt)
    frac = ""
    if nano and dt.microsecond:
        frac = f".{dt.microsecond:06d}".rstrip("0")
    offset = dt.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        zone = "Z"
    else:
        sign = "-" if minutes < 0 else "+"
        minutes = abs(minutes)
        zone = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return (
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T"
        f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}{frac}{zone}"
    )


def go_v(value: Any) -> str:
    """Go ``fmt.Sprintf("%v", value)`` for the engine's value model.

    Maps print as ``map[k1:v1 k2:v2]`` with sorted keys, arrays as ``[a b c]``, None as
    ``<nil>``, floats in Go's ``%g`` shortest form, times as ``time.Time.String()``.
    """
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return format_float_g(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + " ".join([go_v(item) for item in value]) + "]"
    if isinstance(value, Mapping):
        keys = sorted(value, key=str)
        return "map[" + " ".join([f"{go_v(k)}:{go_v(value[k])}" for k in keys]) + "]"
    if isinstance(value, datetime):
        return go_time_string(value)
    return str(value)


def go_type(value: Any) -> str:
    """Go ``%T`` name of a value (``float64``, ``map[string]interface {}``, ...)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, datetime):
        return "time.Time"
    return type(value).__name__


def is_go_float(value: Any) -> bool:
    """True for a Go ``float64`` (a Python float; ints and bools are not)."""
    return isinstance(value, float)


# --- strconv ----------------------------------------------------------------------------------

_DEC = r"[0-9](?:_?[0-9])*"
_HEX = r"[0-9a-fA-F](?:_?[0-9a-fA-F])*"
_GO_DEC_FLOAT = re.compile(
    rf"[+-]?(?:{_DEC}(?:\.(?:{_DEC})?)?|\.{_DEC})(?:[eE][+-]?{_DEC})?", re.ASCII
)
_GO_HEX_FLOAT = re.compile(
    rf"([+-]?)0[xX](?:_(?=[0-9a-fA-F]))?((?:{_HEX}(?:\.(?:{_HEX})?)?|\.{_HEX}))[pP]([+-]?{_DEC})",
    re.ASCII,
)
_GO_SPECIAL = {"inf": math.inf, "infinity": math.inf, "nan": math.nan}


@lru_cache(maxsize=16384)
def parse_go_float(text: str) -> float | None:
    """Go ``strconv.ParseFloat(text, 64)``; None where Go returns an error.

    Accepts decimal and hexadecimal (``0x1p-2``, exponent required) float syntax with Go's
    digit-separating underscores, ``Inf``/``Infinity`` with an optional sign and ``NaN``
    (case-insensitive). Rejects surrounding whitespace, non-ASCII digits and values that
    overflow float64 (Go's range error).
    """
    n = len(text)
    if n == 0:
        return None
    first = text[0]
    if first in "0123456789.":
        if _GO_DEC_FLOAT.fullmatch(text) is None:
            return _parse_hex(text)
    elif first in "+-":
        if n > 1 and text[1] in "iI":
            special = _GO_SPECIAL.get(text[1:].lower())
            if special is None or special != special:
                return None
            return -special if first == "-" else special
        if _GO_DEC_FLOAT.fullmatch(text) is None:
            return _parse_hex(text)
    else:
        return _GO_SPECIAL.get(text.lower())
    value = float(text.replace("_", "")) if "_" in text else float(text)
    if math.isinf(value):
        return None  # overflow: Go reports ErrRange
    return value


def _parse_hex(text: str) -> float | None:
    match = _GO_HEX_FLOAT.fullmatch(text)
    if match is None:
        return None
    sign, mant, exp = match.groups()
    try:
        value = float.fromhex(f"{sign}0x{mant.replace('_', '')}p{exp.replace('_', '')}")
    except OverflowError:
        return None
    return None if math.isinf(value) else value


def to_float64(value: Any) -> float | None:
    """The expression engine's ``toFloat64``: numbers and numeric strings, else None."""
    if isinstance(value, float):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # beyond float64 (Go ints never are): saturate
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str):
        return parse_go_float(value)
    return None


def go_quote(text: str) -> str:
    """Go ``strconv.Quote``: double-quoted with Go escapes, printable Unicode kept."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch.isprintable() or ch == " ":
            if 0xD800 <= code <= 0xDFFF:
                out.append("\\ufffd")
            else:
                out.append(ch)
        elif ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif code < 0x80:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_QUOTE_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}

# --- encoding/json ----------------------------------------------------------------------------


def go_json_dumps(value: Any, indent: bool = False) -> str:
    """Go ``json.Marshal`` (or ``json.MarshalIndent(v, "", "  ")`` with ``indent``) text.

    Sorted map keys, Go float format (``15``, ``0.5``, ``1e-7``, ``1e+21``), HTML characters
    and U+2028/U+2029 escaped, other non-ASCII raw. NaN and infinities raise
    :class:`NodeError` (``json: unsupported value: NaN``), as Go's encoder fails on them.
    Implemented in :mod:`pytest_wfsnap.engine.gojson`.
    """
    from pytest_wfsnap.engine.gojson import dumps

    return dumps(value, indent)


__all__ = [
    "format_duration",
    "format_float_g",
    "go_json_dumps",
    "go_parse_duration",
    "go_quote",
    "go_time_rfc3339",
    "go_time_string",
    "go_type",
    "go_v",
    "is_go_float",
    "parse_duration",
    "parse_go_float",
    "parse_go_int",
    "timedelta_to_ns",
    "to_float64",
]
