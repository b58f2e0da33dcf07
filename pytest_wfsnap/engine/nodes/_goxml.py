"""The parse node's XML reading (ENGINE.md B9.38): root tag name and its direct text.

The Go engine first unmarshals into a map, which Go's ``encoding/xml`` cannot do (error
``unknown type map[string]interface {}`` once the root element is found), then into a struct
holding the root's name and character data. So:

* no root element (empty text, plain text, a broken prolog): the error of the first attempt,
  ``EOF`` or ``XML syntax error on line N: ...``;
* a root element whose content is not well-formed: ``unknown type map[string]interface {}``;
* otherwise the root's local name and the concatenation of its direct text and CDATA (child
  elements are skipped; anything after the root is ignored, as Go stops reading there).

:class:`_Tokenizer` follows Go's strict tokenizer: quoted attributes, the five predefined
entities and character references, comments without ``--``, CDATA, directives, processing
instructions (``<?xml?>`` version 1.0 and UTF-8 only), legal XML characters, and matching end
tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from pytest_wfsnap.engine.gofmt import go_quote

UNKNOWN_MAP = "unknown type map[string]interface {}"
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": '"'}
_NAME_PUNCT = frozenset("_:.-")
_DIGITS = frozenset("0123456789")
_HEX_LETTERS = frozenset("abcdefABCDEF")


class XMLError(Exception):
    """A Go ``encoding/xml`` error; ``str`` is Go's message."""


class _EOF(XMLError):
    def __init__(self) -> None:
        super().__init__("EOF")


@dataclass(slots=True)
class _Token:
    kind: str  # "start", "end", "text" or "other"
    value: str = ""


def _is_char(ch: str) -> bool:
    code = ord(ch)
    return (
        code in (0x09, 0x0A, 0x0D)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _is_name(name: str) -> bool:
    if not name:
        return False
    first = name[0]
    if not (first.isalpha() or first in "_:"):
        return False
    return all(ch.isalnum() or ch in _NAME_PUNCT or not ch.isascii() for ch in name[1:])


class _Tokenizer:
    __slots__ = ("line", "pending_end", "pos", "stack", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.stack: list[str] = []
        self.pending_end = False  # a self-closing element's end tag is due

    # --- low level ------------------------------------------------------------------------
    def syntax(self, message: str) -> XMLError:
        return XMLError(f"XML syntax error on line {self.line}: {message}")

    def getc(self) -> str:
        if self.pos >= len(self.text):
            raise self.syntax("unexpected EOF")
        ch = self.text[self.pos]
        self.pos += 1
        if ch == "\n":
            self.line += 1
        return ch

    def ungetc(self, ch: str) -> None:
        self.pos -= 1
        if ch == "\n":
            self.line -= 1

    def space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \r\n\t":
            self.getc()

    def name(self) -> str | None:
        start = self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch.isascii() and not (ch.isalnum() or ch in _NAME_PUNCT):
                break
            self.pos += 1
        if self.pos >= len(self.text):
            raise self.syntax("unexpected EOF")
        name = self.text[start : self.pos]
        if not name:
            return None
        if not _is_name(name):
            raise self.syntax(f"invalid XML name: {name}")
        return name

    # --- tokens ---------------------------------------------------------------------------
    def next(self) -> _Token:
        """The next token (Go ``Decoder.Token``); raises :class:`XMLError`."""
        if self.pending_end:
            self.pending_end = False
            return _Token("end", self.stack.pop())
        if self.pos >= len(self.text):
            if self.stack:
                raise self.syntax("unexpected EOF")
            raise _EOF
        if self.text[self.pos] != "<":
            return _Token("text", self.chardata(("<",)))
        self.getc()
        ch = self.getc()
        if ch == "/":
            return self.end_element()
        if ch == "?":
            self.proc_inst()
            return _Token("other")
        if ch == "!":
            return self.bang()
        self.ungetc(ch)
        return self.start_element()

    def end_element(self) -> _Token:
        name = self.name()
        if name is None:
            raise self.syntax("expected element name after </")
        self.space()
        if self.getc() != ">":
            raise self.syntax(f"invalid characters between </{name} and >")
        if not self.stack:
            raise self.syntax(f"unexpected end element </{name}>")
        opened = self.stack.pop()
        if opened != name:
            raise self.syntax(f"element <{opened}> closed by </{name}>")
        return _Token("end", name)

    def start_element(self) -> _Token:
        name = self.name()
        if name is None:
            raise self.syntax("expected element name after <")
        while True:
            self.space()
            ch = self.getc()
            if ch == "/":
                if self.getc() != ">":
                    raise self.syntax("expected /> in element")
                self.stack.append(name)
                self.pending_end = True
                return _Token("start", name)
            if ch == ">":
                self.stack.append(name)
                return _Token("start", name)
            self.ungetc(ch)
            if self.name() is None:
                raise self.syntax("expected attribute name in element")
            self.space()
            if self.getc() != "=":
                raise self.syntax("attribute name without = in element")
            self.space()
            quote = self.getc()
            if quote not in "'\"":
                raise self.syntax("unquoted or missing attribute value in element")
            self.chardata((quote,), attribute=True)
            self.getc()  # the closing quote

    def proc_inst(self) -> None:
        target = self.name()
        if target is None:
            raise self.syntax("expected target name after <?")
        start = self.pos
        end = self.text.find("?>", start)
        if end < 0:
            self.pos = len(self.text)
            raise self.syntax("unexpected EOF")
        content = self.text[start:end]
        self.line += content.count("\n")
        self.pos = end + 2
        if target == "xml":
            version = _pseudo_attr("version", content)
            if version and version != "1.0":
                raise XMLError(
                    f"xml: unsupported version {go_quote(version)}; only version 1.0 is supported"
                )
            encoding = _pseudo_attr("encoding", content)
            if encoding and encoding.casefold() != "utf-8":
                raise XMLError(
                    f"xml: encoding {go_quote(encoding)} declared but Decoder.CharsetReader is nil"
                )

    def bang(self) -> _Token:
        ch = self.getc()
        if ch == "-":
            if self.getc() != "-":
                raise self.syntax("invalid sequence <!- not part of <!--")
            end = self.text.find("--", self.pos)
            if end < 0:
                self.consume_to_end()
            self.consume(end - self.pos + 2)
            if self.getc() != ">":
                raise self.syntax('invalid sequence "--" not allowed in comments')
            return _Token("other")
        if ch == "[":
            for expected in "CDATA[":
                if self.getc() != expected:
                    raise self.syntax("invalid <![ sequence")
            end = self.text.find("]]>", self.pos)
            if end < 0:
                self.consume_to_end()
            data = self.text[self.pos : end]
            self.consume(end - self.pos + 3)
            self.check_chars(data)
            return _Token("text", data.replace("\r\n", "\n").replace("\r", "\n"))
        self.directive()
        return _Token("other")

    def directive(self) -> None:
        depth, quote = 0, ""
        while True:
            ch = self.getc()
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "<":
                depth += 1
            elif ch == ">":
                if depth == 0:
                    return
                depth -= 1

    def consume(self, count: int) -> None:
        chunk = self.text[self.pos : self.pos + count]
        self.line += chunk.count("\n")
        self.pos += count

    def consume_to_end(self) -> NoReturn:
        self.consume(len(self.text) - self.pos)
        raise self.syntax("unexpected EOF")

    def check_chars(self, data: str) -> None:
        for ch in data:
            if not _is_char(ch):
                raise self.syntax(f"illegal character code U+{ord(ch):04X}")

    def chardata(self, stops: tuple[str, ...], attribute: bool = False) -> str:
        """Text up to a stop character, entities decoded, ``\\r\\n`` -> ``\\n``."""
        out: list[str] = []
        before = ""  # the two raw characters before the current one
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in stops:
                break
            if attribute and ch == "<":
                raise self.syntax("unescaped < inside quoted string")
            self.getc()
            if ch == "&":
                out.append(self.entity())
                before = ""
                continue
            if ch == ">" and before == "]]":
                raise self.syntax("unescaped ]]> not in CDATA section")
            if not _is_char(ch):
                raise self.syntax(f"illegal character code U+{ord(ch):04X}")
            out.append(ch)
            before = (before + ch)[-2:]
        else:
            if attribute:
                raise self.syntax("unexpected EOF")
        return "".join(out).replace("\r\n", "\n").replace("\r", "\n")

    def entity(self) -> str:
        """An entity or character reference after ``&`` (Go's strict rules)."""
        start = self.pos - 1
        ch = self.getc()
        if ch == "#":
            ch = self.getc()
            base = 10
            if ch == "x":
                base = 16
                ch = self.getc()
            digits_start = self.pos - 1
            while ch in _DIGITS or (base == 16 and ch in _HEX_LETTERS):
                ch = self.getc()
            if ch != ";":
                self.ungetc(ch)
            elif self.pos - 1 > digits_start:
                code = int(self.text[digits_start : self.pos - 1], base)
                if code <= 0x10FFFF:
                    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)
        else:
            self.ungetc(ch)
            name_start = self.pos
            while True:
                ch = self.getc()
                if ch.isascii() and not (ch.isalnum() or ch in _NAME_PUNCT):
                    break
            name = self.text[name_start : self.pos - 1]
            if ch != ";":
                self.ungetc(ch)
            elif _is_name(name) and name in _ENTITIES:
                return _ENTITIES[name]
        shown = self.text[start : self.pos]
        if not shown.endswith(";"):
            shown += " (no semicolon)"
        raise self.syntax(f"invalid character entity {shown}")


def _pseudo_attr(name: str, content: str) -> str:
    """Go ``procInst``: the quoted value right after ``name=`` in a declaration ("" if none)."""
    param = name + "="
    index, sep = 0, ""
    while index < len(content):
        sub = content[index:]
        found = sub.find(param)
        if found < 0 or len(param) + found >= len(sub):
            return ""
        index += len(param) + found + 1
        if sub[len(param) + found] in "'\"":
            sep = sub[len(param) + found]
            break
    if not sep:
        return ""
    end = content.find(sep, index)
    return content[index:end] if end >= 0 else ""


def local_name(name: str) -> str:
    """The local part of ``prefix:local`` (Go ``xml.Name.Local``)."""
    prefix, sep, local = name.partition(":")
    return local if sep and prefix and local else name


def read_root(text: str) -> tuple[str, str]:
    """``(root local name, root's direct character data)``; raises :class:`XMLError`."""
    tokens = _Tokenizer(text)
    while True:  # the map attempt: fails at the root, or earlier with a tokenizer error
        token = tokens.next()
        if token.kind == "start":
            root = token.value
            break
    data: list[str] = []
    try:
        while True:
            token = tokens.next()
            if token.kind == "text" and len(tokens.stack) == 1:
                data.append(token.value)
            elif token.kind == "end" and not tokens.stack:
                return local_name(root), "".join(data)
    except XMLError:
        raise XMLError(UNKNOWN_MAP) from None


__all__ = ["UNKNOWN_MAP", "XMLError", "local_name", "read_root"]
