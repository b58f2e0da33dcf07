"""Turning an HTTP response body into the HTTP node's result (ENGINE.md B10.1 step 8).

* Content-Type ``application/json`` or ``application/*+json`` (parameters ignored,
  case-insensitive): the first JSON value of the body is decoded; a syntax error fails with
  ``failed to parse JSON response: <Go json error>``.
* No Content-Type and a body whose trimmed text starts with ``{`` or ``[``: decoded the same
  way, but a body that is not JSON falls through to text.
* Anything else: the body as text (UTF-8; invalid bytes become U+FFFD, as Go's JSON output of
  the string would show them).

Numbers: this port decodes every JSON number of a response as a Python ``float``, integral
literals included, so HTTP data behaves exactly like payload data (ENGINE.md A1/B14: payload
numbers are float64, and operation/accumulator/conditions accept them). Go keeps them as
``json.Number`` strings, which its engine then refuses to treat as numbers; that accident is
not reproduced. Integers beyond 2**53 lose precision, and literals beyond the float range
become infinity, as float64 parsing does.

Syntax errors use Go ``encoding/json`` texts (``invalid character 'x' looking for beginning of
value``, ``unexpected EOF``, ``EOF``), produced by a scanner that follows Go's state machine.
Only the first value is read (Go ``Decoder.Decode``): trailing text is ignored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pytest_wfsnap.engine.gofmt import go_quote
from pytest_wfsnap.errors import HTTPNodeError

_WS = b" \t\r\n"
_MAX_DEPTH = 10000
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _quote_char(byte: int) -> str:
    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    quoted = go_quote(chr(byte))
    return "'" + quoted[1:-1] + "'"


def _fail(byte: int, context: str) -> HTTPNodeError:
    return HTTPNodeError(f"invalid character {_quote_char(byte)} {context}")


def _scan_literal(data: bytes, i: int, word: bytes) -> int:
    """Check the literal ``word`` (true/false/null) starting at ``data[i]``; return its end."""
    for k in range(1, len(word)):
        if i + k >= len(data):
            raise HTTPNodeError("unexpected EOF")
        if data[i + k] != word[k]:
            expected = chr(word[k])
            raise _fail(data[i + k], f"in literal {word.decode()} (expecting '{expected}')")
    return i + len(word)


def _scan_string(data: bytes, i: int) -> int:
    """``data[i]`` is the opening quote; return the index after the closing quote."""
    n = len(data)
    i += 1
    while i < n:
        c = data[i]
        if c == 0x22:
            return i + 1
        if c == 0x5C:
            i += 1
            if i >= n:
                break
            esc = data[i]
            if esc == 0x75:  # \u
                for _ in range(4):
                    i += 1
                    if i >= n:
                        raise HTTPNodeError("unexpected EOF")
                    if data[i] not in b"0123456789abcdefABCDEF":
                        raise _fail(data[i], "in \\u hexadecimal character escape")
            elif esc not in b'bfnrt\\/"':
                raise _fail(esc, "in string escape code")
        elif c < 0x20:
            raise _fail(c, "in string literal")
        i += 1
    raise HTTPNodeError("unexpected EOF")


def _scan_number(data: bytes, i: int) -> int:
    """Return the index after the number starting at ``data[i]`` (``-`` or a digit)."""
    n = len(data)

    def digits(j: int) -> int:
        while j < n and 0x30 <= data[j] <= 0x39:
            j += 1
        return j

    if data[i] == 0x2D:
        i += 1
        if i >= n:
            raise HTTPNodeError("unexpected EOF")
        if not 0x30 <= data[i] <= 0x39:
            raise _fail(data[i], "in numeric literal")
    i = i + 1 if data[i] == 0x30 else digits(i)
    if i < n and data[i] == 0x2E:
        i += 1
        if i >= n:
            raise HTTPNodeError("unexpected EOF")
        if not 0x30 <= data[i] <= 0x39:
            raise _fail(data[i], "after decimal point in numeric literal")
        i = digits(i)
    if i < n and data[i] in b"eE":
        i += 1
        if i < n and data[i] in b"+-":
            i += 1
        if i >= n:
            raise HTTPNodeError("unexpected EOF")
        if not 0x30 <= data[i] <= 0x39:
            raise _fail(data[i], "in exponent of numeric literal")
        i = digits(i)
    return i


def scan_first_value(data: bytes) -> tuple[int, int]:
    """Bounds ``(start, end)`` of the first JSON value, or a Go-worded syntax error."""
    n = len(data)
    i = 0
    while i < n and data[i] in _WS:
        i += 1
    if i >= n:
        raise HTTPNodeError("EOF")
    start = i
    stack: list[str] = []  # "k" expecting key, "v" in object value, "a" in array
    expect_value = True
    while True:
        while i < n and data[i] in _WS:
            i += 1
        if i >= n:
            raise HTTPNodeError("unexpected EOF")
        c = data[i]
        if expect_value:
            if c in b"{[":
                if len(stack) >= _MAX_DEPTH:
                    raise _fail(c, "exceeded max depth")
                i += 1
                while i < n and data[i] in _WS:
                    i += 1
                closing = 0x7D if c == 0x7B else 0x5D
                if i < n and data[i] == closing:
                    i += 1
                    expect_value = False
                elif c == 0x7B:
                    stack.append("k")
                    if i >= n:
                        raise HTTPNodeError("unexpected EOF")
                    if data[i] != 0x22:
                        raise _fail(data[i], "looking for beginning of object key string")
                    i = _scan_string(data, i)
                    expect_value = False
                else:
                    stack.append("a")
                    continue
            elif c == 0x22:
                i = _scan_string(data, i)
                expect_value = False
            elif c == 0x2D or 0x30 <= c <= 0x39:
                i = _scan_number(data, i)
                expect_value = False
            elif c in b"tfn":
                word = {0x74: b"true", 0x66: b"false", 0x6E: b"null"}[c]
                i = _scan_literal(data, i, word)
                expect_value = False
            else:
                raise _fail(c, "looking for beginning of value")
            if not stack:
                return start, i
            continue
        top = stack[-1]
        if top == "k":
            if c != 0x3A:
                raise _fail(c, "after object key")
            stack[-1] = "v"
            expect_value = True
            i += 1
        elif top == "v":
            if c == 0x2C:
                i += 1
                while i < n and data[i] in _WS:
                    i += 1
                if i >= n:
                    raise HTTPNodeError("unexpected EOF")
                if data[i] != 0x22:
                    raise _fail(data[i], "looking for beginning of object key string")
                i = _scan_string(data, i)
                stack[-1] = "k"
            elif c == 0x7D:
                stack.pop()
                i += 1
            else:
                raise _fail(c, "after object key:value pair")
        else:
            if c == 0x2C:
                expect_value = True
                i += 1
            elif c == 0x5D:
                stack.pop()
                i += 1
            else:
                raise _fail(c, "after array element")
        if not stack and not expect_value:
            return start, i


def _replace_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_replace_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_lone_surrogates(k): _replace_lone_surrogates(v) for k, v in value.items()}
    return value


def decode_first_json_value(data: bytes) -> Any:
    """Go ``json.NewDecoder(body).Decode(&v)`` with every number as a float."""
    start, end = scan_first_value(data)
    raw = data[start:end]
    try:
        value = json.loads(raw.decode("utf-8", errors="replace"), parse_int=float)
    except RecursionError:
        raise HTTPNodeError("JSON nesting too deep for this decoder") from None
    if _SURROGATE_ESCAPE.search(raw):
        value = _replace_lone_surrogates(value)
    return value


def is_json_content_type(content_type: str) -> bool:
    """``application/json`` or ``application/<anything>+json``, parameters ignored."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media == "application/json":
        return True
    return media.startswith("application/") and media.endswith("+json")


def body_to_result(content_type: str | None, body: bytes) -> Any:
    """The HTTP node's result for a successful response (see the module doc)."""
    if content_type and is_json_content_type(content_type):
        try:
            return decode_first_json_value(body)
        except HTTPNodeError as exc:
            raise HTTPNodeError(f"failed to parse JSON response: {exc}") from None
    if not content_type and body.strip()[:1] in (b"{", b"["):
        try:
            return decode_first_json_value(body)
        except HTTPNodeError:
            pass
    return body.decode("utf-8", errors="replace")


__all__ = [
    "body_to_result",
    "decode_first_json_value",
    "is_json_content_type",
    "scan_first_value",
]
