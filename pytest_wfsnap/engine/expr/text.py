"""String heuristics shared by the expression evaluators (ENGINE.md B7).

The Go expression language is a set of string scans rather than a tokenizer; these helpers
reproduce each scan exactly (Go ``strings`` and ``strconv`` semantics, including where quotes are
and are not respected). Pure functions of their text arguments are cached, because workflows
evaluate the same expression for every array element.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Final

from pytest_wfsnap.engine.gofmt import parse_go_float, parse_go_int

# Go strings.TrimSpace: Unicode White_Space (Python's str.strip() also strips U+001C..U+001F).
GO_SPACE: Final = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)

NOT_LITERAL: Final = object()  # parse_literal's "no literal here" marker

_INT64_MIN: Final = -(1 << 63)
_INT64_MAX: Final = (1 << 63) - 1


def trim(text: str) -> str:
    """Go ``strings.TrimSpace``."""
    return text.strip(GO_SPACE)


def go_int(value: float) -> int:
    """Go ``int(f)`` on amd64: truncation; NaN and out-of-range values give MinInt64."""
    if value != value or value >= 9.223372036854775807e18 or value < -9.223372036854775808e18:
        return _INT64_MIN
    return int(value)


def wrap_int64(value: int) -> int:
    """Two's-complement wrap of an integer to int64 (Go integer overflow)."""
    value &= (1 << 64) - 1
    return value - (1 << 64) if value > _INT64_MAX else value


def byte_pos(text: str, index: int) -> int:
    """Byte offset in UTF-8 of character ``index`` (Go error messages count bytes)."""
    head = text[:index]
    return index if head.isascii() else len(head.encode("utf-8", "surrogatepass"))


def utf8_len(text: str) -> int:
    """Go ``len(s)``: the UTF-8 byte length."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def first_byte_char(ch: str) -> str:
    """Go ``%c`` of the first UTF-8 byte of ``ch`` (what a byte-based parser reports)."""
    return ch if ch.isascii() else chr(ch.encode("utf-8", "surrogatepass")[0])


@lru_cache(maxsize=8192)
def find_operator(expr: str, op: str) -> int:
    """Go ``findOperator``: first ``op`` at parenthesis depth 0 (quotes are not respected)."""
    start = expr.find(op)
    if start < 0:
        return -1
    if "(" not in expr and ")" not in expr:
        return start
    depth = 0
    scanned = 0
    while start >= 0:
        segment = expr[scanned:start]
        depth += segment.count("(") - segment.count(")")
        scanned = start
        if depth == 0:
            return start
        start = expr.find(op, start + 1)
    return -1


@lru_cache(maxsize=8192)
def strip_outer_parens(expr: str) -> str:
    """Evaluate step 1 repeated: drop ``( ... )`` layers whose first ``(`` closes at the end.

    Go strips one layer, trims, and checks again; the matching parenthesis of every position is
    computed once here, so many layers cost linear time.
    """
    if len(expr) < 2 or expr[0] != "(" or expr[-1] != ")":
        return expr
    partner: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(expr):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            partner[stack.pop()] = i
    lo, hi = 0, len(expr) - 1
    while lo < hi and expr[lo] == "(" and expr[hi] == ")" and partner.get(lo) == hi:
        lo += 1
        hi -= 1
        while lo <= hi and expr[lo] in GO_SPACE:
            lo += 1
        while hi >= lo and expr[hi] in GO_SPACE:
            hi -= 1
    return expr[lo : hi + 1]


@lru_cache(maxsize=8192)
def split_arguments(text: str) -> tuple[str, ...]:
    """Go ``splitArguments``: commas outside quotes; parentheses are not tracked."""
    return _split_commas(text, parens=False)


@lru_cache(maxsize=8192)
def split_arguments_parens(text: str) -> tuple[str, ...]:
    """Go ``splitArgumentsRespectingParens``: commas outside quotes and parentheses."""
    return _split_commas(text, parens=True)


def _split_commas(text: str, *, parens: bool) -> tuple[str, ...]:
    """Split on the commas outside quotes (and, with ``parens``, outside parentheses); each
    argument is trimmed, and a trailing empty argument is dropped."""
    args: list[str] = []
    current: list[str] = []
    quote = ""
    depth = 0
    for ch in text:
        if ch == '"' or ch == "'":
            if not quote:
                quote = ch
            elif ch == quote:
                quote = ""
            current.append(ch)
            continue
        if not quote:
            if parens and ch == "(":
                depth += 1
            elif parens and ch == ")":
                if depth > 0:
                    depth -= 1
            elif ch == "," and depth == 0:
                args.append(trim("".join(current)))
                current = []
                continue
        current.append(ch)
    if current:
        args.append(trim("".join(current)))
    return tuple(args)


def split_field_path(path: str) -> list[str]:
    """Go ``splitFieldPath``: split on ``.`` outside parentheses and brackets, drop empties."""
    if "(" not in path and "[" not in path and ")" not in path and "]" not in path:
        return [part for part in path.split(".") if part]
    parts: list[str] = []
    current: list[str] = []
    paren = bracket = 0
    for ch in path:
        if ch == "(":
            paren += 1
        elif ch == ")":
            paren -= 1
        elif ch == "[":
            bracket += 1
        elif ch == "]":
            bracket -= 1
        elif ch == "." and paren == 0 and bracket == 0:
            if current:
                parts.append("".join(current))
                current = []
            continue
        current.append(ch)
    if current:
        parts.append("".join(current))
    return parts


def is_quoted(text: str) -> bool:
    """Starts and ends with the same quote character (a lone quote is not a literal)."""
    return len(text) >= 2 and text[0] == text[-1] and (text[0] == '"' or text[0] == "'")


@lru_cache(maxsize=8192)
def parse_literal(text: str) -> Any:
    """Go ``parseLiteral``: quoted text, true, false, null or a Go float; else NOT_LITERAL."""
    text = trim(text)
    if is_quoted(text):
        return text[1:-1]
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "null":
        return None
    number = parse_go_float(text)
    return NOT_LITERAL if number is None else number


_ARITH_OP = re.compile(r"[-+*/%(]|pow|sqrt|abs|floor|ceil|round|min|max")
_ARITH_REF = re.compile(r"pow\(|sqrt\(|abs\(|floor\(|ceil\(|round\(|min\(|max\(|[*/%+]")


def contains_arithmetic_op(expr: str) -> bool:
    """Go ``containsArithmeticOp`` (EvaluateExpression step 3)."""
    return _ARITH_OP.search(expr) is not None


def contains_arithmetic(ref: str) -> bool:
    """Go ``containsArithmetic`` (resolveValue step 4; ``-`` does not count)."""
    return _ARITH_REF.search(ref) is not None


def atoi(text: str) -> int | None:
    """Go ``strconv.Atoi``; None on error."""
    return parse_go_int(text)


# --- fmt.Sscanf(s, "%f", &f) --------------------------------------------------------------

_SCAN_SPACE: Final = frozenset(
    "\t\v\f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


@lru_cache(maxsize=4096)
def sscanf_float(text: str) -> float:
    """The number Go's ``fmt.Sscanf(text, "%f", &f)`` stores, or 0 when it stores nothing."""
    n = len(text)
    i = 0
    while i < n:  # SkipSpace: a newline is an error for Sscanf
        ch = text[i]
        if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
            i += 1
            continue
        if ch == "\n":
            return 0.0
        if ch not in _SCAN_SPACE:
            break
        i += 1
    if i >= n:
        return 0.0
    token, i = _float_token(text, i)
    value = _convert_float(token)
    return 0.0 if value is None else value


def _float_token(text: str, i: int) -> tuple[str, int]:
    buf: list[str] = []
    n = len(text)

    def accept(chars: str) -> bool:
        nonlocal i
        if i < n and text[i] in chars:
            buf.append(text[i])
            i += 1
            return True
        return False

    if accept("nN") and accept("aA") and accept("nN"):
        return "".join(buf), i
    accept("+-")
    if accept("iI") and accept("nN") and accept("fF"):
        return "".join(buf), i
    digits, exp = "0123456789_", "eEpP"
    if accept("0") and accept("xX"):
        digits, exp = "0123456789aAbBcCdDeEfF_", "pP"
    while accept(digits):
        pass
    if accept("."):
        while accept(digits):
            pass
    if accept(exp):
        accept("+-")
        while accept("0123456789_"):
            pass
    return "".join(buf), i


def _convert_float(token: str) -> float | None:
    p = token.find("p")
    if p >= 0 and "x" not in token and "X" not in token:
        mant = parse_go_float(token[:p])
        power = parse_go_int(token[p + 1 :])
        if mant is None or power is None:
            return None
        try:
            return math.ldexp(mant, max(min(power, 100_000), -100_000))
        except OverflowError:
            return math.copysign(math.inf, mant)
    return parse_go_float(token)


__all__ = [
    "GO_SPACE",
    "NOT_LITERAL",
    "atoi",
    "byte_pos",
    "contains_arithmetic",
    "contains_arithmetic_op",
    "find_operator",
    "first_byte_char",
    "go_int",
    "is_quoted",
    "parse_literal",
    "split_arguments",
    "split_arguments_parens",
    "split_field_path",
    "sscanf_float",
    "strip_outer_parens",
    "trim",
    "utf8_len",
    "wrap_int64",
]
