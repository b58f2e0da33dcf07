"""Every vector of the shared expression corpus (tests/data/conformance/expression_vectors.json)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from pytest_wfsnap.engine.expr import (
    ExprContext,
    evaluate,
    evaluate_arithmetic,
    evaluate_expression,
)
from pytest_wfsnap.errors import ExpressionError

VECTORS_FILE = Path(__file__).parents[2] / "data" / "conformance" / "expression_vectors.json"
VECTORS: list[dict[str, Any]] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))

# Vectors whose expectation contradicts ENGINE.md Part B, with the reason. None so far.
EXPECTED_DIFFERENCES: dict[int, str] = {}


def _same(got: Any, want: Any) -> bool:
    """Deep JSON equality treating int and float as equal (but bools as bools)."""
    if isinstance(want, bool) or isinstance(got, bool):
        return type(got) is type(want) and got == want
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return got == want or (math.isnan(got) and math.isnan(want))
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_same(g, w) for g, w in zip(got, want, strict=True))
        )
    if isinstance(want, dict):
        return (
            isinstance(got, dict)
            and got.keys() == want.keys()
            and all(_same(got[k], want[k]) for k in want)
        )
    return type(got) is type(want) and got == want


def _ctx(raw: dict[str, Any] | None) -> ExprContext | None:
    if raw is None:
        return None
    return ExprContext(
        node_results=raw.get("node_results") or {},
        variables=raw.get("variables") or {},
        context=raw.get("context") or {},
    )


def _run(vector: dict[str, Any]) -> Any:
    ctx = _ctx(vector["ctx"])
    fn = vector["fn"]
    if fn == "Evaluate":
        return evaluate(vector["expr"], vector["input"], ctx)
    if fn == "EvaluateExpression":
        return evaluate_expression(vector["expr"], vector["input"], ctx)
    if fn == "EvaluateArithmetic":
        return evaluate_arithmetic(vector["expr"], ctx)
    raise AssertionError(f"unknown entry point in corpus: {fn}")


def test_corpus_size() -> None:
    assert len(VECTORS) == 175


@pytest.mark.parametrize(
    "index", range(len(VECTORS)), ids=[f"{i}-{v['fn']}-{v['expr']}" for i, v in enumerate(VECTORS)]
)
def test_vector(index: int) -> None:
    vector = VECTORS[index]
    if index in EXPECTED_DIFFERENCES:
        pytest.xfail(EXPECTED_DIFFERENCES[index])
    if vector["want_error"]:
        with pytest.raises(ExpressionError):
            _run(vector)
        return
    got = _run(vector)
    assert _same(got, vector["want"]), f"{vector['expr']!r}: got {got!r}, want {vector['want']!r}"
