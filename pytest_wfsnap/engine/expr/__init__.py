"""The workflow expression language (ENGINE.md B7): a safe interpreter of Go's heuristics.

``evaluate`` (boolean conditions), ``evaluate_expression`` (values), ``evaluate_arithmetic``
(numbers), ``resolve_value`` (one operand), ``evaluate_simple_condition`` (``>=80``-style
thresholds) and ``compare_values`` (B7.5). Expressions only read the mappings of an
:class:`ExprContext` and the input; nothing is executed and no Python attribute is ever read.
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

__all__ = [
    "ExprContext",
    "compare_values",
    "evaluate",
    "evaluate_arithmetic",
    "evaluate_expression",
    "evaluate_simple_condition",
    "resolve_value",
]
