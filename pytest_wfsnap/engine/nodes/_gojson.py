"""Decode the first JSON value of a text the way the parse node's Go decoder does.

Go's ``json.Decoder.Decode`` reads one value and ignores what follows it (``[1,2] tail`` gives
``[1, 2]``, ``12abc`` gives 12); its numbers become float64, except those too large for a
float64, which stay as their literal text. Syntax errors carry Go's messages (``invalid
character 'x' looking for beginning of value``, ``unexpected EOF``, ``EOF`` for no value at all).

Valid input takes Python's C decoder; only the error path, and top-level numbers (where the two
grammars stop at different places), are checked with Go's scanner rules.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pytest_wfsnap.engine.gofmt import parse_go_float
from pytest_wfsnap.engine.jsonsyntax import END, go_syntax_error
from pytest_wfsnap.errors import NodeError

_TRAILING = "after top-level value"
_TOO_DEEP = "invalid JSON: value nested too deeply to decode"
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _number(text: str) -> float | str:
    value = parse_go_float(text)
    return text if value is None else value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_float=_number, parse_int=_number, parse_constant=_reject_constant)


def _replace_surrogates(value: Any) -> Any:
    """Go turns an unpaired ``\\uD800``-style escape into U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def decode_first_value(text: str) -> Any:
    """The first JSON value of ``text``; raises ``NodeError("invalid JSON: <go error>")``."""
    try:
        value, _ = _DECODER.raw_decode(text)
        decoded = True
    except (ValueError, RecursionError):
        value, decoded = None, False
    if not decoded or text[:1] in "-0123456789":
        problem = go_syntax_error(text)
        if problem is not None and not problem.endswith(_TRAILING):
            if problem == END:
                problem = "unexpected EOF" if text.strip(" \t\r\n") else "EOF"
            raise NodeError(f"invalid JSON: {problem}")
        if not decoded:  # valid for Go but nested deeper than Python's decoder can go
            raise NodeError(_TOO_DEEP)
    if _LONE_SURROGATE_ESCAPE.search(text):
        value = _replace_surrogates(value)
    return value


def decode_document(text: str) -> tuple[bool, Any]:
    """Go ``json.Unmarshal`` of a whole document: ``(True, value)``, or ``(False, None)``.

    A document Go accepts but that is nested too deeply for Python's decoder raises
    :class:`NodeError` (``invalid JSON: value nested too deeply to decode``).
    """
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        if go_syntax_error(text) is None:
            raise NodeError(_TOO_DEEP) from None
        return False, None
    except ValueError:
        return False, None
    if _LONE_SURROGATE_ESCAPE.search(text):
        value = _replace_surrogates(value)
    return True, value


__all__ = ["decode_document", "decode_first_value"]
