"""Go durations: the engine's ``parseDuration`` and ``time.Duration.String()`` (ENGINE.md B5).

Durations are integer nanoseconds, as Go's ``time.Duration``. Also home of Go ``strconv.Atoi``
(the engine's bare-integer-milliseconds fallback uses it). Re-exported by
:mod:`pytest_wfsnap.engine.gofmt`.
"""

from __future__ import annotations

from datetime import timedelta

from pytest_wfsnap.errors import NodeError

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_UINT64 = 1 << 64


def parse_go_int(text: str) -> int | None:
    """Go ``strconv.Atoi`` (base 10, optional sign, int64 range); None on error."""
    body = text[1:] if text[:1] in ("+", "-") else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    if value < _INT64_MIN or value > _INT64_MAX:
        return None
    return value


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


__all__ = [
    "format_duration",
    "go_parse_duration",
    "parse_duration",
    "parse_go_int",
    "timedelta_to_ns",
]
