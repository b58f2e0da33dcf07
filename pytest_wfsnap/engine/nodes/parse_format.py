"""Text <-> structure nodes: parse and format (ENGINE.md B9.38, B9.39).

parse turns inputs[0] into a string (Go ``%v`` for numbers, compact JSON for structures) and
reads it as JSON, CSV, TSV, a line-based "YAML" (``key: value`` per line, no nesting) or XML
(root tag -> its text only), detecting the format when ``input_type`` is absent or ``AUTO``.
CSV/TSV results are lists of objects (ENGINE.md A1). format writes JSON (Go ``encoding/json``),
CSV or TSV (Go ``csv.Writer`` quoting, sorted headers).
"""

from __future__ import annotations

import math
from typing import Any

from pytest_wfsnap.engine.gofmt import go_json_dumps, go_type, go_v, parse_go_float
from pytest_wfsnap.engine.nodes._gocsv import CSVError, read_all, write_all
from pytest_wfsnap.engine.nodes._gojson import decode_document, decode_first_value
from pytest_wfsnap.engine.nodes._gotext import go_trim_space, go_upper
from pytest_wfsnap.engine.nodes._goxml import XMLError, read_root
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime, first_input, need_inputs
from pytest_wfsnap.engine.nodes.gotypes import bool_field, given, str_field
from pytest_wfsnap.errors import NodeError

SUPPORTED_INPUT = "AUTO, JSON, CSV, TSV, YAML, XML"
_NOT_DECODED = object()
_INT64_LIMIT = 2.0**63


# --- parse ------------------------------------------------------------------------------------


def to_text(value: Any) -> str:
    """The parse node's ``toString``."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (bool, int, float)):
        return go_v(value)
    try:
        return go_json_dumps(value)
    except NodeError:
        return go_v(value)


def parse_value(text: str) -> Any:
    """A CSV cell or YAML value: "" , true/false, null, a number, else the trimmed text."""
    trimmed = go_trim_space(text)
    if trimmed in ("", "true", "false", "null"):
        return {"": "", "true": True, "false": False, "null": None}[trimmed]
    number = parse_go_float(trimmed)
    return trimmed if number is None else number


def detect_format(text: str) -> tuple[str, Any]:
    """AUTO detection; for a JSON document also its decoded value (else ``_NOT_DECODED``)."""
    trimmed = go_trim_space(text)
    if trimmed == "":
        return "JSON", _NOT_DECODED
    first, last = trimmed[0], trimmed[-1]
    if (first, last) in (("{", "}"), ("[", "]")):
        valid, value = decode_document(trimmed)
        if valid:
            return "JSON", value
    if first == "<" and last == ">":
        return "XML", _NOT_DECODED
    lines = trimmed.split("\n")
    yaml_like = ":\n" in trimmed or ": " in trimmed
    if yaml_like and len(lines) > 1 and sum(": " in go_trim_space(line) for line in lines) >= 2:
        return "YAML", _NOT_DECODED
    if len(lines) > 1:
        commas, tabs = lines[0].count(","), lines[0].count("\t")
        if tabs > commas and tabs > 0:
            return "TSV", _NOT_DECODED
        if commas > 0:
            return "CSV", _NOT_DECODED
    return "JSON", _NOT_DECODED


def parse_json(text: str) -> Any:
    trimmed = go_trim_space(text)
    if trimmed in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[trimmed]
    number = parse_go_float(trimmed)
    if number is not None:
        return number
    return decode_first_value(trimmed)


def parse_csv(text: str, comma: str) -> list[dict[str, Any]]:
    try:
        records = read_all(text, comma)
    except CSVError as exc:
        raise NodeError(f"invalid CSV/TSV: {exc}") from None
    if not records:
        return []
    headers = records[0]
    return [
        {header: parse_value(cell) for header, cell in zip(headers, row, strict=True)}
        for row in records[1:]
    ]


def parse_yaml(text: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for raw in go_trim_space(text).split("\n"):
        line = go_trim_space(raw)
        if line == "" or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if sep:
            result[go_trim_space(key)] = parse_value(value)
    if not result:
        raise NodeError("no valid YAML key-value pairs found")
    return result


def parse_xml(text: str) -> dict[str, Any]:
    try:
        name, data = read_root(go_trim_space(text))
    except XMLError as exc:
        raise NodeError(f"invalid XML: {exc}") from None
    return {name: parse_value(data)}


class ParseExecutor(Executor):
    node_type = "parse"
    data_struct = "ParseData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        need_inputs(inputs, "parse node requires input")
        text = to_text(inputs[0])
        kind = "AUTO"
        if given(node, "input_type"):
            kind = go_upper(str_field(params, "input_type", node))
        if kind == "AUTO":
            kind, value = detect_format(text)
            if value is not _NOT_DECODED:
                return value
        if kind == "JSON":
            return parse_json(text)
        if kind == "CSV":
            return parse_csv(text, ",")
        if kind == "TSV":
            return parse_csv(text, "\t")
        if kind == "YAML":
            return parse_yaml(text)
        if kind == "XML":
            return parse_xml(text)
        raise NodeError(f"unsupported input type: {kind} (supported: {SUPPORTED_INPUT})")


# --- format -----------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """Go ``formatValue``: integral floats without decimals, structures as compact JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Go: v == float64(int64(v)); int64 conversion of NaN/Inf/out-of-range never round-trips
        # except for exactly -2**63.
        if math.isfinite(value) and -_INT64_LIMIT <= value < _INT64_LIMIT and value.is_integer():
            return str(int(value))
        return go_v(value)
    try:
        return go_json_dumps(value)
    except NodeError:
        return go_v(value)


def format_csv(value: Any, delimiter: str, include_headers: bool) -> str:
    if isinstance(value, list):
        records: list[dict[str, Any]] = []
        for item in value:
            if not isinstance(item, dict):
                raise NodeError(
                    "CSV formatting requires array of objects, "
                    f"got array element of type {go_type(item)}"
                )
            records.append(item)
    elif isinstance(value, dict):
        records = [value]
    else:
        raise NodeError(
            f"CSV formatting requires array of objects or single object, got {go_type(value)}"
        )
    if not records:
        return ""
    headers = sorted({key for record in records for key in record})
    rows = [headers] if include_headers else []
    rows.extend([csv_cell(record.get(header)) for header in headers] for record in records)
    try:
        return write_all(rows, delimiter)
    except NodeError as exc:
        what = "headers" if include_headers else "row"
        raise NodeError(f"failed to write CSV {what}: {exc}") from None


class FormatExecutor(Executor):
    node_type = "format"
    data_struct = "FormatData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = first_input(inputs, "format node requires input")
        kind = "JSON"
        if given(node, "output_type"):
            kind = go_upper(str_field(params, "output_type", node))
        include_headers = True
        if given(node, "include_headers"):
            include_headers = bool_field(params, "include_headers", node)
        if kind == "JSON":
            indent = bool_field(params, "pretty_print", node)
            try:
                return go_json_dumps(value, indent=indent)
            except NodeError as exc:
                raise NodeError(f"failed to format as JSON: {exc}") from None
        if kind == "CSV":
            raw = str_field(params, "delimiter", node).encode("utf-8", "surrogatepass")
            # Go uses the first *byte* of the delimiter as the separator rune.
            return format_csv(value, chr(raw[0]) if raw else ",", include_headers)
        if kind == "TSV":
            return format_csv(value, "\t", include_headers)
        raise NodeError(f"unsupported output type: {kind} (supported: JSON, CSV, TSV)")


EXECUTORS: list[type[Executor]] = [ParseExecutor, FormatExecutor]

__all__ = [
    "EXECUTORS",
    "FormatExecutor",
    "ParseExecutor",
    "csv_cell",
    "detect_format",
    "format_csv",
    "parse_csv",
    "parse_json",
    "parse_value",
    "parse_xml",
    "parse_yaml",
    "to_text",
]
