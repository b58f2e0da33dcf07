"""The evaluation context handed to the expression language (Go ``expression.Context``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_EMPTY: Mapping[str, Any] = {}


@dataclass(slots=True)
class ExprContext:
    """Read-only views of what an expression can see.

    ``node_results``: stored node results (``node.<id>``); ``variables``: workflow variables plus
    per-node extras such as ``item``/``index`` (``variables.<name>`` and bare identifiers inside
    arithmetic); ``context``: context constants overlaid by context variables
    (``context.<name>``). The interpreter never mutates these mappings, so the engine passes live
    views instead of copies (no per-evaluation cost proportional to the workflow size).
    """

    node_results: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Any] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)


__all__ = ["ExprContext"]
