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
from json.encoder import encode_basestring
from typing import Any

from pytest_wfsnap.errors import NodeError

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_UINT64 = 1 << 64

# --- floats -----------------------------------------------------------------------------------


def _shortest_digits(x: float) -> tuple[str, int]:
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


def _fmt_e(neg: bool, digits: str, dp: int) -> str:
    exp = dp - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{'-' if neg else ''}{mant}e{sign}{abs(exp):02d}"


def _fmt_f(neg: bool, digits: str, dp: int) -> str:
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
    digits, dp = _shortest_digits(x)
    exp = dp - 1
    if exp < -4 or exp >= 6:
        return _fmt_e(neg, digits, dp)
    return _fmt_f(neg, digits, dp)


def _json_float(x: float) -> str:
    """A float as Go ``encoding/json`` writes it (finite values only)."""
    if x.is_integer() and -9007199254740992.0 < x < 9007199254740992.0:
        if x == 0 and math.copysign(1.0, x) < 0:
            return "-0"
        return str(int(x))
    neg = x < 0
    digits, dp = _shortest_digits(x)
    ax = abs(x)
    if ax < 1e-6 or ax >= 1e21:
        text = _fmt_e(neg, digits, dp)
        if text[-4:-1] == "e-0":
            text = text[:-2] + text[-1]
        return text
    return _fmt_f(neg, digits, dp)


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
        return float(value)
    if isinstance(value, str):
        return parse_go_float(value)
    return None


def parse_go_int(text: str) -> int | None:
    """Go ``strconv.Atoi`` (base 10, optional sign, int64 range); None on error."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    if value < _INT64_MIN or value > _INT64_MAX:
        return None
    return value


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

# --- durations --------------------------------------------------------------------------------

_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,
    "\u03bcs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}


def go_parse_duration(text: str) -> int | None:
    """Go ``time.ParseDuration`` in nanoseconds; None where Go returns an error."""
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        return None
    total = 0
    limit = 1 << 63
    i, n = 0, len(s)
    while i < n:
        if not (s[i] == "." or "0" <= s[i] <= "9"):
            return None
        start = i
        while i < n and "0" <= s[i] <= "9":
            i += 1
        int_digits = s[start:i].lstrip("0")
        if len(int_digits) > 19:
            return None
        whole = int(int_digits) if int_digits else 0
        if whole > limit:
            return None
        pre = i > start
        frac, scale, post = 0, 1.0, False
        if i < n and s[i] == ".":
            i += 1
            fstart = i
            overflow = False
            while i < n and "0" <= s[i] <= "9":
                if not overflow:
                    if frac > (limit - 1) // 10:
                        overflow = True
                    else:
                        candidate = frac * 10 + (ord(s[i]) - 48)
                        if candidate > limit:
                            overflow = True
                        else:
                            frac, scale = candidate, scale * 10
                i += 1
            post = i > fstart
        if not pre and not post:
            return None
        ustart = i
        while i < n and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        unit = _UNITS.get(s[ustart:i])
        if unit is None:
            return None
        if whole > limit // unit:
            return None
        value = whole * unit
        if frac > 0:
            value += int(float(frac) * (float(unit) / scale))
            if value > limit:
                return None
        total += value
        if total > limit:
            return None
    if neg:
        return -total
    if total > limit - 1:
        return None
    return total


def parse_duration(text: str) -> int:
    """The engine's ``parseDuration``: Go duration syntax, else a bare integer in milliseconds.

    Returns nanoseconds. Raises :class:`NodeError` with the Go message when neither applies.
    """
    ns = go_parse_duration(text)
    if ns is not None:
        return ns
    ms = parse_go_int(text)
    if ms is not None:
        product = (ms * 1_000_000) % _UINT64  # Go multiplies in int64 and wraps
        return product - _UINT64 if product > _INT64_MAX else product
    raise NodeError(f"invalid duration format: {text} (use formats like '5s', '10m', '1h')")


def _fmt_frac(value: int, prec: int) -> tuple[str, int]:
    digits = []
    printed = False
    for _ in range(prec):
        digit = value % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        value //= 10
    text = ("." + "".join(reversed(digits))) if printed else ""
    return text, value


def format_duration(ns: int) -> str:
    """Go ``time.Duration.String()`` of a duration in nanoseconds (``1.5ms``, ``1m0s``)."""
    neg = ns < 0
    u = -ns if neg else ns
    if u < 1_000_000_000:
        if u == 0:
            return "0s"
        if u < 1_000:
            prec, unit = 0, "ns"
        elif u < 1_000_000:
            prec, unit = 3, "\u00b5s"
        else:
            prec, unit = 6, "ms"
        frac, u = _fmt_frac(u, prec)
        text = f"{u}{frac}{unit}"
    else:
        frac, u = _fmt_frac(u, 9)
        text = f"{u % 60}{frac}s"
        u //= 60
        if u > 0:
            text = f"{u % 60}m{text}"
            u //= 60
            if u > 0:
                text = f"{u}h{text}"
    return "-" + text if neg else text


def timedelta_to_ns(value: timedelta) -> int:
    """A timedelta as integer nanoseconds (exact: timedelta has microsecond resolution)."""
    return (value.days * 86_400 + value.seconds) * 1_000_000_000 + value.microseconds * 1_000


# --- encoding/json ----------------------------------------------------------------------------

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


def go_json_dumps(value: Any, indent: bool = False) -> str:
    """Go ``json.Marshal`` (or ``json.MarshalIndent(v, "", "  ")`` with ``indent``) text.

    Sorted map keys, Go float format (``15``, ``0.5``, ``1e-7``, ``1e+21``), HTML characters
    and U+2028/U+2029 escaped, other non-ASCII raw. NaN and infinities raise
    :class:`NodeError` (``json: unsupported value: NaN``), as Go's encoder fails on them.
    """
    writer = _JSONWriter(indent)
    try:
        writer.write(value, 0)
    except RecursionError:
        raise NodeError("json: unsupported value: value is nested too deeply (or cyclic)")
    return "".join(writer.parts)


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
