"""The workflow expression language (ENGINE.md B7): a safe interpreter of Go's heuristics.

``evaluate`` (boolean conditions), ``evaluate_expression`` (values), ``evaluate_arithmetic``
(numbers), ``resolve_value`` (one operand), ``evaluate_simple_condition`` (``>=80``-style
thresholds) and ``compare_values`` (B7.5). Expressions only read the mappings of an
:class:`ExprContext` and the input; nothing is executed and no Python attribute is ever read.

Errors are :class:`~pytest_wfsnap.errors.ExpressionError` with the Go message texts. Inputs on
which the Go engine recurses forever, panics or hangs (an unknown function in a value
expression, nesting or work beyond the limits) raise :class:`FatalExpressionError`, a subclass:
callers that fall back to another evaluator on an ordinary error (the expression node tries
``evaluate`` after ``evaluate_expression``) should let this one propagate.
"""

from pytest_wfsnap.engine.expr.api import (
    compare_values,
    evaluate,
    evaluate_arithmetic,
    evaluate_expression,
    evaluate_simple_condition,
    resolve_value,
)
from pytest_wfsnap.engine.expr.context import ExprContext
from pytest_wfsnap.engine.expr.scope import FatalExpressionError

__all__ = [
    "ExprContext",
    "FatalExpressionError",
    "compare_values",
    "evaluate",
    "evaluate_arithmetic",
    "evaluate_expression",
    "evaluate_simple_condition",
    "resolve_value",
]
