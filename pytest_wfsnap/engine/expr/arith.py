"""``EvaluateArithmetic``: Go's recursive-descent arithmetic evaluator (ENGINE.md B7.6).

Go parses and evaluates in one pass, so the first error met left to right wins (a failed
variable lookup before a later syntax error, for instance). Here each distinct expression is
compiled once into closures that replay exactly that order: a syntax error becomes a closure that
first evaluates everything Go would have evaluated before reaching it, then raises. Compiled
programs are cached, so an expression evaluated for every array element is parsed once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Final

from pytest_wfsnap.engine.expr import arithnodes as nodes
from pytest_wfsnap.engine.expr.arithnodes import MATH_FUNCTIONS, VALUE_FUNCTIONS, Node
from pytest_wfsnap.engine.expr.scope import MAX_PAREN_DEPTH, Scope, check_length
from pytest_wfsnap.engine.expr.text import byte_pos, first_byte_char, trim
from pytest_wfsnap.engine.gofmt import parse_go_float
from pytest_wfsnap.errors import ExpressionError

_IDENT_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SEGMENT_CHARS: Final = _IDENT_CHARS | {"-"}
_DIGITS: Final = frozenset("0123456789")
_SPACE: Final = frozenset(" \t\n\r")


# --- parser -------------------------------------------------------------------------------


class _Parser:
    __slots__ = ("depth", "failed", "n", "pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.depth = 0
        self.failed = False

    def error(self, before: list[Node], message: str, fatal: bool = False) -> Node:
        self.failed = True
        return nodes.fail(before, message, fatal)

    def at(self, index: int) -> int:
        return byte_pos(self.text, index)

    def skip(self) -> None:
        text, n, pos = self.text, self.n, self.pos
        while pos < n and text[pos] in _SPACE:
            pos += 1
        self.pos = pos

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_PAREN_DEPTH:
            return self.error(
                [],
                f"arithmetic expression is nested too deeply (more than {MAX_PAREN_DEPTH} "
                "levels of parentheses)",
                True,
            )
        try:
            return self._binary("+-", self.term)
        finally:
            self.depth -= 1

    def term(self) -> Node:
        return self._binary("*/%", self.factor)

    def _binary(self, ops: str, operand: Callable[[], Node]) -> Node:
        first = operand()
        if self.failed:
            return first
        rest: list[tuple[str, Node]] = []
        while True:
            self.skip()
            if self.pos >= self.n or self.text[self.pos] not in ops:
                break
            op = self.text[self.pos]
            self.pos += 1
            rest.append((op, operand()))
            if self.failed:
                break
        return nodes.chain(first, rest) if rest else first

    def factor(self) -> Node:
        negative = False
        while True:
            self.skip()
            if self.pos >= self.n:
                return self.error([], "unexpected end of expression")
            ch = self.text[self.pos]
            if ch == "+" or ch == "-":
                negative = negative != (ch == "-")
                self.pos += 1
                continue
            break
        node = self.primary(ch)
        return nodes.negate(node) if negative and not self.failed else node

    def primary(self, ch: str) -> Node:
        if ch == "(":
            self.pos += 1
            inner = self.expression()
            if self.failed:
                return inner
            self.skip()
            if self.pos >= self.n or self.text[self.pos] != ")":
                return self.error([inner], f"unmatched parentheses at position {self.at(self.pos)}")
            self.pos += 1
            return inner
        if ch in _DIGITS:
            return self.number()
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            return self.identifier()
        return self.error(
            [],
            f"unexpected character '{first_byte_char(ch)}' at position {self.at(self.pos)}",
        )

    def number(self) -> Node:
        text, n = self.text, self.n
        start = pos = self.pos
        seen_dot = False
        while pos < n:
            ch = text[pos]
            if ch == ".":
                if seen_dot:
                    break
                seen_dot = True
            elif ch not in _DIGITS:
                break
            pos += 1
        self.pos = pos
        literal = text[start:pos]
        value = parse_go_float(literal)
        if value is None:
            return self.error([], f"invalid number '{literal}' at position {self.at(start)}")
        return nodes.const(value)

    def identifier(self) -> Node:
        text, n = self.text, self.n
        start = pos = self.pos
        while pos < n and text[pos] in _IDENT_CHARS:
            pos += 1
        ident = text[start:pos]
        self.pos = pos
        self.skip()
        pos = self.pos
        if pos < n and text[pos] == "(":
            if ident in MATH_FUNCTIONS:
                return self.function(ident)
            return self.call(ident, start)
        if pos < n and (text[pos] == "." or text[pos] == "["):
            return self.path(ident)
        return nodes.bare(ident, self.at(start))

    def call(self, ident: str, start: int) -> Node:
        text, n = self.text, self.n
        i = self.pos
        depth = 0
        quote = ""
        while i < n:
            ch = text[i]
            if quote:
                if ch == quote:
                    quote = ""
            elif ch == "'" or ch == '"':
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    i += 1
                    break
            i += 1
        if depth != 0:
            return self.error(
                [],
                f"unmatched parentheses in function call starting at position {self.at(start)}",
            )
        self.pos = i
        return nodes.value_call(ident, text[start:i])

    def path(self, ident: str) -> Node:
        text, n = self.text, self.n
        parts = [ident]
        while self.pos < n:
            ch = text[self.pos]
            if ch == ".":
                self.pos += 1
                start = self.pos
                while self.pos < n and text[self.pos] in _SEGMENT_CHARS:
                    self.pos += 1
                if self.pos == start:
                    return self.error(
                        [], f"expected identifier after '.' at position {self.at(self.pos)}"
                    )
                parts.append("." + text[start : self.pos])
            elif ch == "[":
                self.pos += 1
                start = self.pos
                while self.pos < n and text[self.pos] in _DIGITS:
                    self.pos += 1
                if self.pos == start:
                    return self.error(
                        [], f"expected number in array index at position {self.at(self.pos)}"
                    )
                if self.pos >= n or text[self.pos] != "]":
                    return self.error([], f"expected ']' at position {self.at(self.pos)}")
                parts.append("[" + text[start : self.pos] + "]")
                self.pos += 1
            else:
                break
        return nodes.path("".join(parts))

    def function(self, name: str) -> Node:
        self.pos += 1
        args: list[Node] = []
        self.skip()
        if self.pos < self.n and self.text[self.pos] == ")":
            self.pos += 1
            return nodes.function(name, args)
        while True:
            arg = self.expression()
            args.append(arg)
            if self.failed:
                return nodes.sequence(args)
            self.skip()
            if self.pos >= self.n:
                return self.error(args, "unmatched parentheses in function call")
            ch = self.text[self.pos]
            if ch == ")":
                self.pos += 1
                return nodes.function(name, args)
            if ch == ",":
                self.pos += 1
                self.skip()
                continue
            return self.error(args, f"expected ',' or ')' at position {self.at(self.pos)}")


@lru_cache(maxsize=4096)
def compile_arithmetic(text: str) -> Node:
    """Compile trimmed, non-empty arithmetic text into a closure (cached per text)."""
    parser = _Parser(text)
    program = parser.expression()
    if parser.failed:
        return program
    parser.skip()
    if parser.pos < parser.n:
        return nodes.fail(
            [program],
            f"unexpected characters at position {parser.at(parser.pos)}: {text[parser.pos :]}",
        )
    return program


def evaluate_arithmetic(expr: str, scope: Scope) -> float:
    """Go ``EvaluateArithmetic(expr, ctx)`` within an existing scope."""
    check_length(expr)
    text = trim(expr)
    if not text:
        raise ExpressionError("empty expression")
    budget = scope.budget
    budget.enter()
    try:
        return compile_arithmetic(text)(scope)
    finally:
        budget.leave()


def is_value_function(name: str) -> bool:
    """True for the value functions of ENGINE.md B7.9."""
    return name in VALUE_FUNCTIONS


__all__ = [
    "MATH_FUNCTIONS",
    "VALUE_FUNCTIONS",
    "compile_arithmetic",
    "evaluate_arithmetic",
    "is_value_function",
]
