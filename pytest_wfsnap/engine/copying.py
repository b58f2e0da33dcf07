"""Fast deep copies of JSON-like values (results, variables, node data), and a GC pause.

``copy.deepcopy`` keeps a memo and dispatches through the copy protocol for every object; the
engine's values are trees of dicts, lists and immutable scalars, so a direct recursive copy is
several times faster. Anything else (e.g. a custom executor's object) falls back to deepcopy.
:func:`deep_copy` copies a whole tree at C speed (``marshal``, which keeps every type exactly:
a tuple stays a tuple, an int an int) and falls back to :func:`json_copy` for trees holding
anything ``marshal`` does not write (a datetime, a subclass of dict, ...).
"""

from __future__ import annotations

import copy
import gc
import marshal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

_IMMUTABLE = (str, int, float, bool, type(None), datetime)


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON-like value; immutable scalars are shared, containers copied."""
    if isinstance(value, _IMMUTABLE):
        return value
    if type(value) is dict:
        return {
            key: item if isinstance(item, _IMMUTABLE) else json_copy(item)
            for key, item in value.items()
        }
    if type(value) is list:
        return [item if isinstance(item, _IMMUTABLE) else json_copy(item) for item in value]
    return copy.deepcopy(value)


def deep_copy(value: Any) -> Any:
    """A deep copy of a JSON-like tree, at C speed when it holds only builtin types.

    Containers are copied, so changing the copy never changes ``value`` and the other way
    round; a container appearing twice in ``value`` appears twice (as one copy) in the copy.
    """
    try:
        data = marshal.dumps(value)
    except ValueError:  # a type marshal does not write, or nesting too deep for it
        return json_copy(value)
    return marshal.loads(data)


def copy_mapping(values: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a str-keyed mapping of JSON-like values."""
    return {
        key: item if isinstance(item, _IMMUTABLE) else json_copy(item)
        for key, item in values.items()
    }


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around allocation-heavy work that runs no user code
    (decoding, planning, state copies): it only creates objects that stay alive, so the
    collector's passes over them are pure cost."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


__all__ = ["copy_mapping", "deep_copy", "gc_paused", "json_copy"]
