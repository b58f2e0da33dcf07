"""Typed context values (Go ``convertTypedValue``, ENGINE.md B9.42).

A context node's ``context_values`` entries carry a ``type`` that converts their ``value``:
``string`` (Go ``%v``), ``number`` (float64 from a number or a numeric string), ``boolean``
(bool, Go ``strconv.ParseBool`` string, or a number != 0), ``time_string`` (kept as given, but it
must parse as RFC 3339 the way Go's ``time.Parse`` does), ``epoch_second`` / ``epoch_ms`` (a
timezone-aware UTC :class:`datetime.datetime`, Go's ``time.Time``) and ``null``.

Errors carry Go's texts, including the ``strconv`` and ``time.Parse`` messages. Go can represent
instants far outside Python's year range 1..9999; such epochs give a clear error here.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from pytest_wfsnap.engine.gofmt import go_quote, go_type, go_v, parse_go_float, parse_go_int
from pytest_wfsnap.engine.nodes.gotypes import go_int
from pytest_wfsnap.errors import NodeError

RFC3339 = "2006-01-02T15:04:05Z07:00"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def convert_typed_value(value: Any, kind: str) -> Any:
    """Convert ``value`` to ``kind``; raises :class:`NodeError` with the Go reason."""
    if kind == "string":
        return go_v(value)
    if kind == "number":
        return _to_number(value)
    if kind == "boolean":
        return _to_bool(value)
    if kind == "time_string":
        text = value if isinstance(value, str) else go_v(value)
        problem = rfc3339_error(text)
        if problem is not None:
            raise NodeError(f"invalid time string {go_quote(text)}: {problem}")
        return text
    if kind == "epoch_second":
        return _from_epoch(_epoch_int(value, "epoch seconds"), 1, "epoch seconds")
    if kind == "epoch_ms":
        return _from_epoch(_epoch_int(value, "epoch milliseconds"), 1000, "epoch milliseconds")
    if kind == "null":
        return None
    raise NodeError(f"unsupported type {go_quote(kind)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _to_number(value: Any) -> float:
    if isinstance(value, float):
        return value
    if _is_int(value):
        return float(value)
    if isinstance(value, str):
        number = parse_go_float(value)
        if number is None:
            raise NodeError(
                f"cannot convert {go_quote(value)} to number: "
                f"strconv.ParseFloat: parsing {go_quote(value)}: {_float_problem(value)}"
            )
        return number
    raise NodeError(f"cannot convert type {go_type(value)} to number")


def _float_problem(text: str) -> str:
    """Why Go's ParseFloat rejected ``text``: a well-formed number that overflows, or syntax."""
    if _DECIMAL.fullmatch(text) and math.isinf(float(text)):
        return "value out of range"
    return "invalid syntax"


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise NodeError(
            f"cannot convert {go_quote(value)} to boolean: "
            f"strconv.ParseBool: parsing {go_quote(value)}: invalid syntax"
        )
    if isinstance(value, float):
        return value != 0
    raise NodeError(f"cannot convert type {go_type(value)} to boolean")


def _epoch_int(value: Any, what: str) -> int:
    if isinstance(value, float):
        return go_int(value)
    if _is_int(value):
        return int(value)
    if isinstance(value, str):
        number = parse_go_int(value)
        if number is None:
            problem = "value out of range" if _INTEGER.fullmatch(value) else "invalid syntax"
            raise NodeError(
                f"cannot convert {go_quote(value)} to {what}: "
                f"strconv.ParseInt: parsing {go_quote(value)}: {problem}"
            )
        return number
    raise NodeError(f"cannot convert type {go_type(value)} to {what}")


def _from_epoch(amount: int, per_second: int, what: str) -> datetime:
    try:
        if per_second == 1:
            return EPOCH + timedelta(seconds=amount)
        return EPOCH + timedelta(milliseconds=amount)
    except OverflowError:
        raise NodeError(
            f"{what} out of the supported date range (years 1 to 9999): {amount}"
        ) from None


# --- time.Parse(time.RFC3339, value) -----------------------------------------------------------


def _time_quote(text: str) -> str:
    """Go's ``time`` package quoting: non-ASCII and control bytes as ``\\xNN``."""
    out = ['"']
    for ch in text:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{byte:02x}" for byte in ch.encode("utf-8", "surrogatepass"))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


class _Bad(Exception):
    """A layout element did not match (Go's ``errBad``)."""


def _digit(text: str, index: int) -> bool:
    return index < len(text) and "0" <= text[index] <= "9"


def _getnum(text: str, fixed: bool) -> tuple[int, str]:
    if not _digit(text, 0):
        raise _Bad
    if not _digit(text, 1):
        if fixed:
            raise _Bad
        return int(text[0]), text[1:]
    return int(text[:2]), text[2:]


def rfc3339_error(value: str) -> str | None:
    """Go's ``time.Parse(time.RFC3339, value)`` error text, or None when Go accepts ``value``."""

    def cannot(layout_elem: str, value_elem: str) -> str:
        return (
            f"parsing time {_time_quote(value)} as {_time_quote(RFC3339)}: "
            f"cannot parse {_time_quote(value_elem)} as {_time_quote(layout_elem)}"
        )

    def message(text: str) -> str:
        return f"parsing time {_time_quote(value)}{text}"

    rest = value
    fields: dict[str, int] = {}
    # (literal prefix, layout element) pairs of "2006-01-02T15:04:05Z07:00".
    for prefix, element in (
        ("", "2006"),
        ("-", "01"),
        ("-", "02"),
        ("T", "15"),
        (":", "04"),
        (":", "05"),
        ("", "Z07:00"),
    ):
        if prefix:
            if not rest or rest[0] != prefix:
                return cannot(prefix, rest)
            rest = rest[1:]
        hold = rest
        try:
            rest, range_error = _parse_element(element, rest, fields)
        except _Bad:
            return cannot(element, hold)
        if range_error:
            return message(f": {range_error} out of range")
    if rest:
        return message(f": extra text: {_time_quote(rest)}")
    year, month, day = fields["year"], fields["month"], fields["day"]
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        return message(": day out of range")
    return None


def _parse_element(element: str, rest: str, fields: dict[str, int]) -> tuple[str, str]:
    """Parse one layout element; returns the remaining text and a range error ("" if none)."""
    if element == "2006":
        year = rest[:4]
        if len(year) < 4 or not all("0" <= ch <= "9" for ch in year):
            raise _Bad
        fields["year"] = int(year)
        return rest[4:], ""
    if element == "01":
        month, rest = _getnum(rest, True)
        fields["month"] = month
        return rest, "month" if not 1 <= month <= 12 else ""
    if element == "02":
        fields["day"], rest = _getnum(rest, True)
        return rest, ""
    if element == "15":
        hour, rest = _getnum(rest, False)
        return rest, "hour" if hour >= 24 else ""
    if element == "04":
        minute, rest = _getnum(rest, True)
        return rest, "minute" if minute >= 60 else ""
    if element == "05":
        second, rest = _getnum(rest, True)
        if second >= 60:
            return rest, "second"
        if len(rest) >= 2 and rest[0] in ".," and _digit(rest, 1):
            end = 2
            while _digit(rest, end):
                end += 1
            rest = rest[end:]
        return rest, ""
    return _parse_zone(rest)


def _parse_zone(rest: str) -> tuple[str, str]:
    if rest[:1] == "Z":
        return rest[1:], ""
    if len(rest) < 6 or rest[3] != ":":
        raise _Bad
    bad = False
    hour = minute = 0
    try:
        hour, _ = _getnum(rest[1:3], True)
        minute, _ = _getnum(rest[4:6], True)
    except _Bad:
        bad = True
    # Go reports an out-of-range offset before a malformed sign.
    if hour > 24:
        return rest[6:], "time zone offset hour"
    if minute > 60:
        return rest[6:], "time zone offset minute"
    if bad or rest[0] not in ("+", "-"):
        raise _Bad
    return rest[6:], ""


__all__ = ["EPOCH", "RFC3339", "convert_typed_value", "rfc3339_error"]
