"""The typed data structs of the built-in node types (ENGINE.md B1.2 and B1.4).

Each node type has a Go data struct: its fields (JSON name -> Go type) and the checks its
``Validate()`` runs at decode time. :data:`STRUCTS` holds one precomputed :class:`DataStruct`
per type, so decoding a node is a few dict lookups. :func:`infer_type` is the ordered
key-presence table used when a node has data but no type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Field kinds (Go types of the struct fields).
STRING = "string"
FLOAT = "float64"
INT = "int"
BOOL = "bool"
ANY = "interface{}"
STRINGS = "[]string"
CASES = "[]types.SwitchCase"
CONTEXT_VALUES = "[]types.ContextVariableValue"

ZERO: dict[str, Any] = {
    STRING: "",
    FLOAT: 0.0,
    INT: 0,
    BOOL: False,
    ANY: None,
    STRINGS: None,
    CASES: None,
    CONTEXT_VALUES: None,
}

Validator = Callable[[Mapping[str, Any]], str | None]
"""Decode-time check: gets the decoded field values (None = Go nil pointer) -> reason or None."""


@dataclass(frozen=True, slots=True)
class DataStruct:
    """One Go data struct: its name, fields, zero values and decode-time validation."""

    name: str
    fields: dict[str, str]
    folded: dict[str, str]
    zeros: dict[str, Any]
    validate: Validator | None


@dataclass(frozen=True, slots=True)
class ElementStruct:
    """A struct nested in a list field (switch cases, context values)."""

    name: str
    fields: dict[str, str]
    folded: dict[str, str]
    zeros: dict[str, Any]


def _struct(name: str, fields: dict[str, str], validate: Validator | None = None) -> DataStruct:
    all_fields = {"label": STRING, **fields}
    return DataStruct(
        name=name,
        fields=all_fields,
        folded={key.casefold(): key for key in all_fields},
        zeros={key: ZERO[kind] for key, kind in all_fields.items()},
        validate=validate,
    )


def _element(name: str, fields: dict[str, str]) -> ElementStruct:
    return ElementStruct(
        name=name,
        fields=fields,
        folded={key.casefold(): key for key in fields},
        zeros={key: ZERO[kind] for key, kind in fields.items()},
    )


SWITCH_CASE = _element("SwitchCase", {"when": STRING, "output_path": STRING, "is_default": BOOL})
CONTEXT_VALUE = _element("ContextVariableValue", {"name": STRING, "value": ANY, "type": STRING})
ELEMENTS: dict[str, ElementStruct] = {CASES: SWITCH_CASE, CONTEXT_VALUES: CONTEXT_VALUE}


# --- decode-time validation -------------------------------------------------------------------


def _missing(field: str) -> str:
    return f"missing required field: {field}"


def _required(*names: str) -> Validator:
    def check(values: Mapping[str, Any]) -> str | None:
        for name in names:
            if values.get(name) is None:
                return _missing(name)
        return None

    return check


def _extract(values: Mapping[str, Any]) -> str | None:
    if values.get("field") is None and not values.get("fields"):
        return _missing("field or fields")
    return None


def _range(values: Mapping[str, Any]) -> str | None:
    if values.get("start") is None or values.get("end") is None:
        return _missing("start and end")
    return None


def _split(values: Mapping[str, Any]) -> str | None:
    return None if values.get("paths") else _missing("paths")


def _context(values: Mapping[str, Any]) -> str | None:
    if not values.get("context_values") and values.get("context_name") is None:
        return _missing("context_values or context_name")
    return None


def _switch(values: Mapping[str, Any]) -> str | None:
    cases: list[dict[str, Any]] | None = values.get("cases")
    if not cases:
        return _missing("cases")
    last = len(cases) - 1
    defaults = 0
    for index, case in enumerate(cases):
        if case["is_default"]:
            if index != last:
                return (
                    "default case must be the last case in the array "
                    f"(found at index {index}, but last index is {last})"
                )
            defaults += 1
        elif not case["output_path"]:
            return (
                f"case at index {index} must have output_path "
                "(non-default cases require output_path)"
            )
    if defaults != 1:
        return f"switch node must have exactly one default case (found {defaults})"
    return None


_CONTEXT_FIELDS = {"context_name": STRING, "context_value": ANY, "context_values": CONTEXT_VALUES}
_PAGINATOR_FIELDS = {
    "pagination_strategy": STRING,
    "offset_param": STRING,
    "limit_param": STRING,
    "page_size": INT,
    "max_pages": INT,
    "page_param": STRING,
    "per_page_param": STRING,
    "cursor_param": STRING,
    "next_cursor_path": STRING,
    "link_header": STRING,
    "total_count_path": STRING,
    "results_path": STRING,
}

STRUCTS: dict[str, DataStruct] = {
    "number": _struct("NumberData", {"value": FLOAT}, _required("value")),
    "text_input": _struct("TextInputData", {"text": STRING}, _required("text")),
    "boolean_input": _struct(
        "BooleanInputData", {"boolean_value": BOOL}, _required("boolean_value")
    ),
    "date_input": _struct("DateInputData", {"date_value": STRING}, _required("date_value")),
    "datetime_input": _struct(
        "DateTimeInputData", {"datetime_value": STRING}, _required("datetime_value")
    ),
    "visualization": _struct("VisualizationData", {"mode": STRING}),
    "renderer": _struct("RendererData", {"mode": STRING}),
    "operation": _struct("OperationData", {"op": STRING}, _required("op")),
    "text_operation": _struct(
        "TextOperationData",
        {"text_op": STRING, "separator": STRING, "repeat_n": INT},
        _required("text_op"),
    ),
    "http": _struct("HTTPData", {"url": STRING, "http_client_uid": STRING}, _required("url")),
    "expression": _struct("ExpressionData", {"expression": STRING}, _required("expression")),
    "condition": _struct(
        "ConditionData",
        {"condition": STRING, "true_path": STRING, "false_path": STRING},
        _required("condition"),
    ),
    "for_each": _struct("ForEachData", {"max_iterations": INT}),
    "while_loop": _struct(
        "WhileLoopData", {"condition": STRING, "max_iterations": INT}, _required("condition")
    ),
    "filter": _struct("FilterData", {"condition": STRING}, _required("condition")),
    "map": _struct("MapData", {"expression": STRING, "field": STRING}),
    "reduce": _struct(
        "ReduceData", {"expression": STRING, "initial_value": ANY}, _required("expression")
    ),
    "slice": _struct("SliceData", {"start": ANY, "end": ANY, "length": ANY}),
    "sort": _struct("SortData", {"field": STRING, "order": STRING}),
    "find": _struct(
        "FindData", {"condition": STRING, "return_index": BOOL}, _required("condition")
    ),
    "flat_map": _struct("FlatMapData", {"expression": STRING, "field": STRING}),
    "group_by": _struct(
        "GroupByData",
        {"field": STRING, "aggregate": STRING, "value_field": STRING},
        _required("field"),
    ),
    "unique": _struct("UniqueData", {"field": STRING}),
    "chunk": _struct("ChunkData", {"size": ANY}, _required("size")),
    "reverse": _struct("ReverseData", {}),
    "partition": _struct("PartitionData", {"condition": STRING}, _required("condition")),
    "zip": _struct("ZipData", {"arrays": ANY, "fill_missing": ANY, "remove_empty": BOOL}),
    "sample": _struct("SampleData", {"count": ANY, "method": STRING}, _required("count")),
    "range": _struct("RangeData", {"start": ANY, "end": ANY, "step": ANY}, _range),
    "compact": _struct("CompactData", {"remove_empty": BOOL}),
    "transpose": _struct("TransposeData", {}),
    "variable": _struct(
        "VariableData",
        {"var_name": STRING, "var_op": STRING, "scope": STRING},
        _required("var_name", "var_op"),
    ),
    "extract": _struct("ExtractData", {"field": STRING, "fields": STRINGS}, _extract),
    "transform": _struct("TransformData", {"transform_type": STRING}, _required("transform_type")),
    "accumulator": _struct(
        "AccumulatorData", {"accum_op": STRING, "initial_value": ANY}, _required("accum_op")
    ),
    "counter": _struct(
        "CounterData",
        {"counter_op": STRING, "delta": FLOAT, "initial_value": ANY},
        _required("counter_op"),
    ),
    "parse": _struct("ParseData", {"input_type": STRING}),
    "format": _struct(
        "FormatData",
        {
            "output_type": STRING,
            "pretty_print": BOOL,
            "include_headers": BOOL,
            "delimiter": STRING,
        },
        _required("output_type"),
    ),
    "switch": _struct("SwitchData", {"cases": CASES}, _switch),
    "parallel": _struct("ParallelData", {"max_concurrency": INT, "timeout": STRING}),
    "join": _struct("JoinData", {"join_strategy": STRING, "timeout": STRING}),
    "split": _struct("SplitData", {"paths": STRINGS}, _split),
    "delay": _struct("DelayData", {"duration": STRING}, _required("duration")),
    "cache": _struct(
        "CacheData",
        {
            "cache_op": STRING,
            "cache_key": STRING,
            "ttl": STRING,
            "max_size": INT,
            "eviction": STRING,
            "storage": STRING,
        },
        _required("cache_op", "cache_key"),
    ),
    "retry": _struct(
        "RetryData",
        {
            "max_attempts": INT,
            "backoff_strategy": STRING,
            "initial_delay": STRING,
            "max_delay": STRING,
            "multiplier": FLOAT,
            "retry_on_errors": STRINGS,
        },
    ),
    "try_catch": _struct(
        "TryCatchData",
        {"fallback_value": ANY, "continue_on_error": BOOL, "error_output_path": STRING},
    ),
    "timeout": _struct(
        "TimeoutData", {"timeout": STRING, "timeout_action": STRING}, _required("timeout")
    ),
    "rate_limiter": _struct(
        "RateLimiterData",
        {"max_requests": INT, "per_duration": STRING, "strategy": STRING},
        _required("max_requests", "per_duration"),
    ),
    "throttle": _struct(
        "ThrottleData", {"requests_per_second": FLOAT}, _required("requests_per_second")
    ),
    "schema_validator": _struct(
        "SchemaValidatorData", {"schema": ANY, "strict": BOOL}, _required("schema")
    ),
    "paginator": _struct("PaginatorData", _PAGINATOR_FIELDS, _required("pagination_strategy")),
    "context_variable": _struct("ContextVariableData", _CONTEXT_FIELDS, _context),
    "context_constant": _struct("ContextConstantData", _CONTEXT_FIELDS, _context),
}

CUSTOM = _struct("CustomExecutorData", {})
"""Data of a type without a built-in struct: kept whole; only ``label`` is typed."""

CONTEXT_TYPES = frozenset({"context_variable", "context_constant"})

# Ordered key-presence rules of B1.2 step 3 (single-key rules; the composite ones are coded in
# infer_type in their place in the order).
_SIMPLE_RULES_1 = (
    ("value", "number"),
    ("text", "text_input"),
    ("boolean_value", "boolean_input"),
    ("date_value", "date_input"),
    ("datetime_value", "datetime_input"),
    ("mode", "visualization"),
    ("op", "operation"),
    ("text_op", "text_operation"),
    ("url", "http"),
)
_SIMPLE_RULES_2 = (
    ("transform_type", "transform"),
    ("accum_op", "accumulator"),
    ("counter_op", "counter"),
    ("cases", "switch"),
    ("join_strategy", "join"),
    ("paths", "split"),
    ("duration", "delay"),
)


def infer_type(data: Mapping[str, Any]) -> str:
    """The node type implied by which keys ``data`` has (exact, case-sensitive keys).

    Returns "" when nothing matches (the node then fails at run time with
    ``no executor registered for type: ``).
    """
    for key, node_type in _SIMPLE_RULES_1:
        if key in data:
            return node_type
    if "condition" in data:
        return "condition" if "true_path" in data else "filter"
    if "expression" in data:
        if "initial_value" in data:
            return "reduce"
        expression = data["expression"]
        if isinstance(expression, str) and expression:
            return "expression"
    if "var_name" in data and "var_op" in data:
        return "variable"
    if "field" in data or "fields" in data:
        return "extract"
    for key, node_type in _SIMPLE_RULES_2:
        if key in data:
            return node_type
    if "cache_op" in data and "cache_key" in data:
        return "cache"
    if "context_name" in data or "context_values" in data:
        return "context_variable"
    if "max_attempts" in data or "backoff_strategy" in data:
        return "retry"
    if "fallback_value" in data or "continue_on_error" in data:
        return "try_catch"
    if "timeout" in data and "timeout_action" in data:
        return "timeout"
    return ""


__all__ = [
    "ANY",
    "BOOL",
    "CASES",
    "CONTEXT_TYPES",
    "CONTEXT_VALUES",
    "CUSTOM",
    "ELEMENTS",
    "FLOAT",
    "INT",
    "STRING",
    "STRINGS",
    "STRUCTS",
    "DataStruct",
    "ElementStruct",
    "infer_type",
]
