"""Date and null functions callable from boolean expressions (ENGINE.md B7.7).

Times are timezone-aware :class:`datetime.datetime` values (Go ``time.Time``). Go's
``time.Unix`` yields local time, so Unix-second inputs become local-zone datetimes here too;
layouts without a zone parse as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

from pytest_wfsnap.engine.expr.text import go_int, wrap_int64
from pytest_wfsnap.engine.gofmt import go_type, to_float64
from pytest_wfsnap.errors import ExpressionError

DATE_FUNCTIONS: Final = frozenset(
    {"now", "parseDate", "toEpoch", "toEpochMillis", "fromEpoch", "fromEpochMillis"}
    | {"dateDiff", "dateAdd", "year", "month", "day", "hour", "minute", "isNull", "coalesce"}
)

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MONTHS: Final = {
    name: i + 1
    for i, name in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    )
}
_FRACTION = r"(?:[.,](\d+))?"
_RFC3339 = re.compile(
    rf"(\d{{4}})-(\d{{2}})-(\d{{2}})T(\d{{2}}):(\d{{2}}):(\d{{2}}){_FRACTION}(Z|[+-]\d{{2}}:\d{{2}})",
    re.ASCII,
)
_RFC822 = re.compile(
    r"(\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{2}) (\d{1,2}):(\d{2}) "
    r"([A-Z]{3,5}|UTC|GMT[+-]\d{1,2})",
    re.ASCII,
)
_RFC1123 = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    rf"(\d{{4}}) (\d{{1,2}}):(\d{{2}}):(\d{{2}}){_FRACTION} ([A-Z]{{3,5}}|UTC|GMT[+-]\d{{1,2}})",
    re.ASCII,
)
_PLAIN = re.compile(
    rf"(\d{{4}})-(\d{{2}})-(\d{{2}})(?:[ T](\d{{1,2}}):(\d{{2}}):(\d{{2}}){_FRACTION})?"
)


def _micro(fraction: str | None) -> int:
    return int((fraction or "0")[:6].ljust(6, "0"))


def _build(
    year: int, month: int, day: int, hh: int, mm: int, ss: int, us: int, tz: Any
) -> datetime:
    return datetime(year, month, day, hh, mm, ss, us, tzinfo=tz)


def _parse_string(text: str) -> datetime | None:
    try:
        m = _RFC3339.fullmatch(text)
        if m:
            zone = m.group(8)
            tz: Any = UTC
            if zone != "Z":
                sign = -1 if zone[0] == "-" else 1
                tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
            y, mo, d, h, mi, s = (int(m.group(k)) for k in range(1, 7))
            return _build(y, mo, d, h, mi, s, _micro(m.group(7)), tz)
        m = _RFC822.fullmatch(text)
        if m:
            year = int(m.group(3))
            year += 1900 if year >= 69 else 2000
            mon = _MONTHS[m.group(2)]
            return _build(year, mon, int(m.group(1)), int(m.group(4)), int(m.group(5)), 0, 0, UTC)
        m = _RFC1123.fullmatch(text)
        if m:
            mon = _MONTHS[m.group(2)]
            return _build(
                int(m.group(3)),
                mon,
                int(m.group(1)),
                int(m.group(4)),
                int(m.group(5)),
                int(m.group(6)),
                _micro(m.group(7)),
                UTC,
            )
        m = _PLAIN.fullmatch(text)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if m.group(4) is None:
                return _build(y, mo, d, 0, 0, 0, 0, UTC)
            h, mi, s = int(m.group(4)), int(m.group(5)), int(m.group(6))
            return _build(y, mo, d, h, mi, s, _micro(m.group(7)), UTC)
    except ValueError:
        return None
    return None


def from_unix(seconds: int, nanos: int = 0) -> datetime:
    """Go ``time.Unix(sec, nsec)`` as a local-zone aware datetime."""
    try:
        value = _EPOCH + timedelta(seconds=seconds, microseconds=nanos // 1000)
        return value.astimezone()
    except (OverflowError, ValueError, OSError):
        raise ExpressionError(f"time out of the supported range: {seconds} seconds since 1970")


def parse_date_time(value: Any) -> datetime:
    """Go ``parseDateTime``: a time, a date string in one of seven layouts, or Unix seconds."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        parsed = _parse_string(value)
        if parsed is None:
            raise ExpressionError(f"unable to parse date/time: {value}")
        return parsed
    if isinstance(value, float):
        return from_unix(go_int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return from_unix(value)
    raise ExpressionError(f"unsupported date/time type: {go_type(value)}")


def _unix_nanos(value: datetime) -> int:
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000_000 + delta.microseconds * 1_000


def _arity(name: str, args: list[Any], count: int) -> None:
    if len(args) != count:
        noun = "argument" if count == 1 else "arguments"
        raise ExpressionError(f"{name}() requires exactly {count} {noun}, got {len(args)}")


def call_date_function(name: str, args: list[Any]) -> Any:
    """Go ``callDateTimeFunction``."""
    if name == "now":
        if args:
            raise ExpressionError(f"now() takes no arguments, got {len(args)}")
        return datetime.now(UTC).astimezone()
    if name == "isNull":
        _arity(name, args, 1)
        return args[0] is None
    if name == "coalesce":
        if not args:
            raise ExpressionError("coalesce() requires at least 1 argument")
        return next((arg for arg in args if arg is not None), None)
    if name == "fromEpoch" or name == "fromEpochMillis":
        _arity(name, args, 1)
        number = to_float64(args[0])
        if number is None:
            raise ExpressionError(f"{name}() requires numeric argument")
        if name == "fromEpoch":
            return from_unix(go_int(number))
        millis = go_int(number)
        return from_unix(millis // 1000, (millis % 1000) * 1_000_000)
    if name == "dateDiff":
        _arity(name, args, 2)
        first = _wrapped_parse(name, "first", args[0])
        second = _wrapped_parse(name, "second", args[1])
        nanos = _unix_nanos(first) - _unix_nanos(second)
        nanos = max(min(nanos, (1 << 63) - 1), -(1 << 63))  # Go Sub saturates
        whole, rest = divmod(abs(nanos), 1_000_000_000)
        seconds = float(whole) + float(rest) / 1e9
        return -seconds if nanos < 0 else seconds
    if name == "dateAdd":
        _arity(name, args, 2)
        start = _wrapped_parse(name, "first", args[0])
        number = to_float64(args[1])
        if number is None:
            raise ExpressionError("dateAdd() second argument must be numeric")
        nanos = wrap_int64(go_int(number) * 1_000_000_000)
        try:
            return start + timedelta(microseconds=nanos // 1000)
        except OverflowError:
            raise ExpressionError("dateAdd() result is out of the supported time range")
    _arity(name, args, 1)
    moment = parse_date_time(args[0])
    if name == "parseDate":
        return moment
    if name == "toEpoch":
        return float(_unix_nanos(moment) // 1_000_000_000)
    if name == "toEpochMillis":
        return float(_unix_nanos(moment) // 1_000_000)
    if name == "year":
        return float(moment.year)
    if name == "month":
        return float(moment.month)
    if name == "day":
        return float(moment.day)
    if name == "hour":
        return float(moment.hour)
    if name == "minute":
        return float(moment.minute)
    raise ExpressionError(f"unknown date/time function: {name}")


def _wrapped_parse(name: str, which: str, value: Any) -> datetime:
    try:
        return parse_date_time(value)
    except ExpressionError as exc:
        raise ExpressionError(f"{name}() {which} argument: {exc}")


__all__ = ["DATE_FUNCTIONS", "call_date_function", "from_unix", "parse_date_time"]
