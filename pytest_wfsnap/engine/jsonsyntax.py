"""Go ``encoding/json`` syntax error messages.

Python's JSON parser finds the same syntax errors as Go's, but words them differently. Payload
decoding reports errors with Go's text (``invalid character 'i' looking for beginning of object
key string``, ``unexpected end of JSON input``), so tools that match on the Go messages keep
working. Only the error path calls :func:`go_syntax_error`; it scans the text once.
"""

from __future__ import annotations

_WS = " \t\n\r"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_ESCAPES = '"\\/bfnrt'
_NAMED = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
_LITERALS = {"t": "true", "f": "false", "n": "null"}
_MAX_DEPTH = 10000  # Go's maxNestingDepth
END = "unexpected end of JSON input"


class _Syntax(Exception):
    pass


def quote_char(ch: str) -> str:
    """Go's ``quoteChar``: the offending byte, quoted as Go prints it."""
    if ord(ch) >= 0x80:  # Go reports the first byte of the UTF-8 encoding
        ch = chr(ch.encode("utf-8", "surrogatepass")[0])
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    code = ord(ch)
    if ch == "\\":
        text = "\\\\"
    elif ch in _NAMED:
        text = _NAMED[ch]
    elif code < 0x20 or code == 0x7F:
        text = f"\\x{code:02x}"
    elif 0x80 <= code < 0xA1 or code == 0xAD:
        text = f"\\u{code:04x}"
    else:
        text = ch
    return f"'{text}'"


class _Scanner:
    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, context: str) -> _Syntax:
        if self.pos >= len(self.text):
            return _Syntax(END)
        return _Syntax(f"invalid character {quote_char(self.text[self.pos])} {context}")

    def peek_after_ws(self) -> str:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        self.pos = pos
        return text[pos] if pos < len(text) else ""

    def run(self) -> None:
        # Each stack entry is the container being filled: "{" or "[".
        stack: list[str] = []
        self.value_start(stack)
        while True:
            if not stack:
                if self.peek_after_ws():
                    raise self.fail("after top-level value")
                return
            ch = self.peek_after_ws()
            if stack[-1] == "{":
                if ch == ",":
                    self.pos += 1
                    self.object_key(stack)
                elif ch == "}":
                    self.pos += 1
                    stack.pop()
                else:
                    raise self.fail("after object key:value pair")
            else:
                if ch == ",":
                    self.pos += 1
                    self.value_start(stack)
                elif ch == "]":
                    self.pos += 1
                    stack.pop()
                else:
                    raise self.fail("after array element")

    def object_key(self, stack: list[str]) -> None:
        if self.peek_after_ws() != '"':
            raise self.fail("looking for beginning of object key string")
        self.string()
        if self.peek_after_ws() != ":":
            raise self.fail("after object key")
        self.pos += 1
        self.value_start(stack)

    def value_start(self, stack: list[str]) -> None:
        ch = self.peek_after_ws()
        if ch == "{":
            self.pos += 1
            if self.peek_after_ws() == "}":
                self.pos += 1
                return
            self.push(stack, "{")
            self.object_key(stack)
        elif ch == "[":
            self.pos += 1
            if self.peek_after_ws() == "]":
                self.pos += 1
                return
            self.push(stack, "[")
            self.value_start(stack)
        elif ch == '"':
            self.string()
        elif ch == "-" or (ch and ch in _DIGITS):
            self.number()
        elif ch in _LITERALS:
            self.literal(_LITERALS[ch])
        else:
            raise self.fail("looking for beginning of value")

    @staticmethod
    def push(stack: list[str], kind: str) -> None:
        if len(stack) >= _MAX_DEPTH:
            raise _Syntax("exceeded max depth")
        stack.append(kind)

    def string(self) -> None:
        text = self.text
        self.pos += 1
        while self.pos < len(text):
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                return
            if ch == "\\":
                self.pos += 1
                if self.pos >= len(text):
                    break
                esc = text[self.pos]
                if esc == "u":
                    for _ in range(4):
                        self.pos += 1
                        if self.pos >= len(text):
                            raise _Syntax(END)
                        if text[self.pos] not in _HEX:
                            raise self.fail("in \\u hexadecimal character escape")
                elif esc not in _ESCAPES:
                    raise self.fail("in string escape code")
            elif ord(ch) < 0x20:
                raise self.fail("in string literal")
            self.pos += 1
        raise _Syntax(END)

    def digits(self, context: str) -> None:
        text = self.text
        if self.pos >= len(text) or text[self.pos] not in _DIGITS:
            raise self.fail(context)
        while self.pos < len(text) and text[self.pos] in _DIGITS:
            self.pos += 1

    def number(self) -> None:
        text = self.text
        if text[self.pos] == "-":
            self.pos += 1
        if self.pos < len(text) and text[self.pos] == "0":
            self.pos += 1
        else:
            self.digits("in numeric literal")
        if self.pos < len(text) and text[self.pos] == ".":
            self.pos += 1
            self.digits("after decimal point in numeric literal")
        if self.pos < len(text) and text[self.pos] in "eE":
            self.pos += 1
            if self.pos < len(text) and text[self.pos] in "+-":
                self.pos += 1
            self.digits("in exponent of numeric literal")

    def literal(self, word: str) -> None:
        text = self.text
        for expected in word:
            if self.pos >= len(text):
                raise _Syntax(END)
            if text[self.pos] != expected:
                raise self.fail(f"in literal {word} (expecting {quote_char(expected)})")
            self.pos += 1


def go_syntax_error(text: str) -> str | None:
    """Go's syntax error message for ``text``, or None when Go would accept its syntax."""
    try:
        _Scanner(text).run()
    except _Syntax as exc:
        return str(exc)
    return None


__all__ = ["END", "go_syntax_error", "quote_char"]
