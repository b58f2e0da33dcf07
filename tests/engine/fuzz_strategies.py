"""Hypothesis strategies shared by the engine's fuzz tests: random JSON values, and node data
for every built-in node type, either anything (wrong types, unknown keys) or mostly well typed
per the type's Go data struct (so the payload decoder accepts it and the executor runs).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from pytest_wfsnap.engine import datatypes
from pytest_wfsnap.engine.datatypes import STRUCTS

# Words the executors act on, so random data often takes a real branch.
WORDS = [
    # operations
    "add", "subtract", "multiply", "divide", "concat", "repeat", "uppercase", "lowercase",
    "titlecase", "camelcase", "inversecase", "get", "set", "delete", "sum", "product", "count",
    "array", "increment", "decrement", "reset", "to_array", "to_object", "flatten", "keys",
    "values", "all", "any", "first", "string", "number", "boolean", "time_string",
    "epoch_second", "epoch_ms", "null", "json", "JSON", "csv", "CSV", "tsv", "TSV", "yaml",
    "YAML", "xml", "XML", "auto",
    # durations
    "1ms", "5s", "-1s", "0", "250", "1h", "2562047h47m16.854775807s", "9999999999h", "1.5m",
    # expressions and conditions
    "input > 1", "item == 'a'", ">5", "<=3", "==2", "variables.v", "true", "node.x.value",
    "input.a && input.b", "contains(input, 'a')",
    # texts to parse
    '{"a": 1, "b": [1, 2]}', "[1, 2", "a,b\n1,2\n3", "a\tb\n1\t2", "a: 1\nb: two",
    "<r><a>1</a><b>x</b></r>", "<r><a>", "2024-01-02T03:04:05Z", "1700000000", "1e400",
    "", " ", "a", "name", "id", "v", ",", ";",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0.0, 1.0, -1.0, 2.5, 1e6, 1e300, 3.0, 1700000000.0, 2**70 * 1.0])
    | st.text(max_size=10)
    | st.sampled_from(WORDS)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(["a", "b", "name", "value", "type", "when", "id", "x"])
            | st.text(max_size=4),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
# Well-shaped list elements (switch cases, context values, paths), mixed with anything.
elements = st.fixed_dictionaries(
    {},
    optional={
        "when": st.sampled_from(WORDS) | scalars,
        "output_path": st.sampled_from(["a", "b", ""]) | scalars,
        "is_default": st.booleans() | scalars,
        "name": st.sampled_from(["v", "w", ""]) | scalars,
        "value": json_values,
        "type": st.sampled_from(WORDS) | scalars,
    },
)
field_values = json_values | st.lists(elements | json_values, max_size=4)


def raw_params(node_type: str) -> st.SearchStrategy[dict[str, Any]]:
    """Each Go field of the type present or not, with any value; sometimes unknown keys."""
    known = {key: field_values for key in STRUCTS[node_type].fields}
    extra = st.dictionaries(st.text(max_size=5), json_values, max_size=2)
    return st.tuples(st.fixed_dictionaries({}, optional=known), extra).map(
        lambda parts: {**parts[1], **parts[0]}
    )


# Values of each Go field kind, so that decoding mostly succeeds and the executor runs; the
# string fields that select a behaviour mostly get one of their own words.
texts = st.sampled_from(WORDS) | st.text(max_size=8)
DURATIONS = ["1ms", "5s", "-1s", "0", "250", "1h", "2562047h47m16.854775807s", "1.5m", "x"]
FIELD_WORDS: dict[str, list[str]] = {
    "op": ["add", "subtract", "multiply", "divide"],
    "text_op": ["concat", "repeat", "uppercase", "lowercase", "titlecase", "camelcase"],
    "var_op": ["get", "set"],
    "accum_op": ["sum", "product", "concat", "array", "count"],
    "counter_op": ["increment", "decrement", "reset", "get"],
    "cache_op": ["get", "set", "delete"],
    "transform_type": ["to_array", "to_object", "flatten", "keys", "values"],
    "join_strategy": ["all", "any", "first"],
    "input_type": ["json", "csv", "tsv", "yaml", "xml", "auto"],
    "output_type": ["json", "csv", "tsv"],
    "type": ["string", "number", "boolean", "time_string", "epoch_second", "epoch_ms", "null"],
    "duration": DURATIONS,
    "ttl": DURATIONS,
    "var_name": ["v", "w", "new"],
    "cache_key": ["k", "v"],
    "condition": ["item > 1", "input > 1", ">5", "item.a == 'x'", "true", "index == 0"],
    "expression": ["item * 2", "input", "item.a", "accumulator + item", "sum(items)", "x +"],
    "field": ["a", "name", "value", ""],
    "order": ["asc", "desc"],
    "aggregate": ["count", "sum", "avg", "min", "max", "values"],
    "method": ["first", "last", "random"],
}


def text_for(key: str) -> st.SearchStrategy[str]:
    words = FIELD_WORDS.get(key)
    return texts if words is None else st.sampled_from(words) | texts


typed_elements = st.fixed_dictionaries(
    {},
    optional={
        "when": texts,
        "output_path": st.sampled_from(["a", "b", ""]),
        "is_default": st.booleans(),
        "name": st.sampled_from(["v", "w", "", "x"]),
        "value": json_values,
        "type": text_for("type"),
    },
)
KIND_VALUES: dict[str, st.SearchStrategy[Any]] = {
    datatypes.STRING: texts,
    datatypes.FLOAT: st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0.0, 1.0, -2.0, 3.0, 1e300]),
    datatypes.INT: st.integers(min_value=-5, max_value=2**40) | st.sampled_from([0, 1, 3]),
    datatypes.BOOL: st.booleans(),
    datatypes.ANY: json_values,
    datatypes.STRINGS: st.lists(texts, max_size=4),
    datatypes.CASES: st.lists(typed_elements, max_size=4),
    datatypes.CONTEXT_VALUES: st.lists(typed_elements, max_size=4),
}


def typed_params(node_type: str) -> st.SearchStrategy[dict[str, Any]]:
    """Each Go field present or not, mostly with a value of its Go type."""
    fields = STRUCTS[node_type].fields
    known = {
        key: text_for(key) if kind == datatypes.STRING else KIND_VALUES[kind]
        for key, kind in fields.items()
    }
    return st.fixed_dictionaries(known) | st.fixed_dictionaries({}, optional=known)


__all__ = [
    "FIELD_WORDS",
    "KIND_VALUES",
    "WORDS",
    "json_values",
    "raw_params",
    "scalars",
    "text_for",
    "texts",
    "typed_params",
]
