"""The evaluation context handed to the expression language (Go ``expression.Context``), and
:class:`Overlay`, the view that puts per-node variables over the workflow's."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


class Overlay(Mapping[str, Any]):
    """Read-only view of ``top`` over ``base`` (keys of ``top`` win); nothing is copied.

    Executors that evaluate per element keep ``top`` as a plain dict and update it in place
    (``item``, ``index``, ...): the view sees the change at once.
    """

    __slots__ = ("base", "top")

    def __init__(self, top: Mapping[str, Any], base: Mapping[str, Any]) -> None:
        self.top = top
        self.base = base

    def __getitem__(self, key: str) -> Any:
        top = self.top
        if key in top:
            return top[key]
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return key in self.top or key in self.base

    def __iter__(self) -> Iterator[str]:
        top = self.top
        yield from top
        for key in self.base:
            if key not in top:
                yield key

    def __len__(self) -> int:
        return len(self.top) + sum(1 for key in self.base if key not in self.top)


__all__ = ["ExprContext", "Overlay"]
