"""Evaluation scope and resource limits of the expression interpreter.

A :class:`Scope` is the interpreter's view of Go's ``*expression.Context``: node results, context
variables and workflow variables, plus the few per-evaluation extras (``item``/``input``) that Go
adds by copying the variables map. Here the extras live in a small dict layered over the caller's
mapping, so no evaluation costs time proportional to the number of workflow variables.

Every public entry point creates a :class:`Budget` that bounds nesting depth and total work, so
inputs on which the Go engine recurses forever or hangs fail with a clear error instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pytest_wfsnap.errors import ExpressionError

MAX_DEPTH: Final = 200
"""Maximum nesting of evaluator calls (sub-expressions, ``||``/``&&`` chains, function calls)."""

MAX_PAREN_DEPTH: Final = 64
"""Maximum parenthesis nesting inside one arithmetic expression."""

MAX_STEPS: Final = 2_000_000
"""Maximum evaluator steps for one top-level evaluation (guards against exponential inputs)."""

MAX_EXPRESSION_LENGTH: Final = 100_000
"""Longest expression text accepted, in characters."""

MAX_SORT_MIXED: Final = 5_000
"""Longest array ``sort()`` accepts when its elements do not share one ordering type."""

MISSING: Final = object()
_EMPTY: Final[Mapping[str, Any]] = {}


class FatalExpressionError(ExpressionError):
    """An error no heuristic step may swallow (the Go engine would crash or hang here).

    It propagates out of the interpreter unchanged; callers see an :class:`ExpressionError`.
    """


class Budget:
    """Depth and step counters shared by all nested calls of one top-level evaluation.

    ``failures`` remembers sub-evaluations that failed (keyed by kind, text, input and scope
    identity). Go's heuristics re-run a failed sub-expression whenever an enclosing step is
    abandoned, which costs time exponential in the nesting; answering repeats from this memo
    keeps such inputs polynomial. It is created on the first recorded failure only.
    """

    __slots__ = ("depth", "failures", "steps")

    def __init__(self) -> None:
        self.depth = 0
        self.steps = 0
        self.failures: dict[tuple[int, str, int, int], tuple[Any, Any, ExpressionError]] | None
        self.failures = None

    def enter(self) -> None:
        """Account for one nested evaluator call; raise when a limit is passed."""
        self.depth += 1
        self.steps += 1
        if self.depth > MAX_DEPTH:
            self.depth -= 1
            raise FatalExpressionError(
                f"expression is nested too deeply (more than {MAX_DEPTH} levels of "
                "sub-expressions, parentheses or function calls)"
            )
        if self.steps > MAX_STEPS:
            raise FatalExpressionError(
                f"expression evaluation exceeded {MAX_STEPS} steps: the expression is too "
                "complex for the data it works on"
            )

    def leave(self) -> None:
        self.depth -= 1

    def tick(self, count: int = 1) -> None:
        """Account for work that is not a nested call (loop iterations)."""
        self.steps += count
        if self.steps > MAX_STEPS:
            raise FatalExpressionError(
                f"expression evaluation exceeded {MAX_STEPS} steps: the expression is too "
                "complex for the data it works on"
            )


class Scope:
    """What an expression can see: node results, variables (with extras), context values."""

    __slots__ = ("budget", "context", "extra", "nodes", "variables")

    def __init__(
        self,
        nodes: Mapping[str, Any],
        variables: Mapping[str, Any],
        context: Mapping[str, Any],
        budget: Budget,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.nodes = nodes
        self.variables = variables
        self.context = context
        self.budget = budget
        self.extra = extra

    def get_var(self, name: str) -> Any:
        """The variable's value, or :data:`MISSING`."""
        extra = self.extra
        if extra is not None:
            value = extra.get(name, MISSING)
            if value is not MISSING:
                return value
        return self.variables.get(name, MISSING)

    def with_input(self, value: Any) -> Scope:
        """Go's preamble: add ``item``/``input`` = value where absent (existing names win)."""
        if value is None:
            return self
        has_item = self.get_var("item") is not MISSING
        has_input = self.get_var("input") is not MISSING
        if has_item and has_input:
            return self
        extra = dict(self.extra) if self.extra else {}
        if not has_item:
            extra["item"] = value
        if not has_input:
            extra["input"] = value
        return Scope(self.nodes, self.variables, self.context, self.budget, extra)


def new_scope(
    nodes: Mapping[str, Any] | None,
    variables: Mapping[str, Any] | None,
    context: Mapping[str, Any] | None,
) -> Scope:
    """A scope with a fresh budget (None mappings are empty, as for a nil Go context)."""
    return Scope(
        nodes if nodes is not None else _EMPTY,
        variables if variables is not None else _EMPTY,
        context if context is not None else _EMPTY,
        Budget(),
    )


def check_length(text: str) -> None:
    """Reject expression text longer than :data:`MAX_EXPRESSION_LENGTH`."""
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise FatalExpressionError(
            f"expression is too long ({len(text)} characters; the limit is {MAX_EXPRESSION_LENGTH})"
        )


__all__ = [
    "MAX_DEPTH",
    "MAX_EXPRESSION_LENGTH",
    "MAX_PAREN_DEPTH",
    "MAX_SORT_MIXED",
    "MAX_STEPS",
    "MISSING",
    "Budget",
    "FatalExpressionError",
    "Scope",
    "check_length",
    "new_scope",
]
