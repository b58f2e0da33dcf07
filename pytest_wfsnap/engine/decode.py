"""Payload decoding with the Go engine's semantics (ENGINE.md B1).

``decode_payload`` turns a payload (bytes, str or an already-parsed dict) into a
:class:`Payload`: the workflow id, the decoded :class:`NodeSpec` list and the :class:`Edge` list.
It follows Go ``encoding/json`` struct decoding: unknown keys are ignored, keys match fields
case-insensitively, the last of duplicate keys wins, ``null`` leaves a field unset, and values
of the wrong JSON type are rejected with Go's message. Node types are inferred from data keys
when missing, and each type's data is checked against its Go data struct (``datatypes``).

Errors raise :class:`PayloadError` with the Go text, e.g.
``failed to parse payload: failed to unmarshal data for node 1 (type number): missing required
field: value``. Decoding is linear and allocation-light: one precomputed field table per node
type, no model object per node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict

from pytest_wfsnap.engine.copying import gc_paused
from pytest_wfsnap.engine.datatypes import (
    ANY,
    BOOL,
    CUSTOM,
    ELEMENTS,
    FLOAT,
    INT,
    STRING,
    STRINGS,
    STRUCTS,
    DataStruct,
    ElementStruct,
    infer_type,
)
from pytest_wfsnap.engine.jsonparse import PREFIX, Duplicates, json_kind, normalize, parse_json
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.errors import PayloadError

_INT_LIMIT = 2.0**63


class Edge(NamedTuple):
    """A decoded edge. ``source_handle``/``condition`` make it conditional (B4.4)."""

    id: str
    source: str
    target: str
    source_handle: str | None = None
    target_handle: str | None = None
    condition: str | None = None

    @property
    def branch(self) -> str | None:
        """The handle that makes the edge conditional: sourceHandle, else legacy condition."""
        return self.source_handle if self.source_handle is not None else self.condition

    def describe(self, index: int) -> str:
        name = self.id if self.id else f"#{index}"
        return f"edge {name} ({self.source} -> {self.target})"

    def to_dict(self) -> dict[str, Any]:
        """The payload form: id always present, null handles omitted."""
        out: dict[str, Any] = {"id": self.id, "source": self.source, "target": self.target}
        if self.source_handle is not None:
            out["sourceHandle"] = self.source_handle
        if self.target_handle is not None:
            out["targetHandle"] = self.target_handle
        if self.condition is not None:
            out["condition"] = self.condition
        return out


_NO_EDGE = Edge("", "", "")


class Payload(BaseModel):
    """A decoded workflow payload."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    workflow_id: str = ""
    nodes: list[NodeSpec]
    edges: list[Edge]


def node_to_dict(node: NodeSpec) -> dict[str, Any]:
    """The payload form of a node: id, type and the data exactly as given."""
    return {"id": node.id, "type": node.type, "data": node.data}


# --- field tables for the envelope, nodes and edges -------------------------------------------


def _fold_table(*names: str) -> tuple[frozenset[str], dict[str, str]]:
    return frozenset(names), {name.casefold(): name for name in names}


_PAYLOAD_EXACT, _PAYLOAD_FOLDED = _fold_table("workflow_id", "nodes", "edges")
_NODE_EXACT, _NODE_FOLDED = _fold_table("id", "type", "data")
_EDGE_EXACT, _EDGE_FOLDED = _fold_table(
    "id", "source", "target", "sourceHandle", "targetHandle", "condition"
)


def _number_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return repr(value)


class _Mismatch(Exception):
    """A Go ``UnmarshalTypeError`` (the reason text)."""


def _mismatch(value: Any, where: str, go_type: str) -> _Mismatch:
    kind = json_kind(value)
    return _Mismatch(
        f"json: cannot unmarshal {kind} into Go struct field {where} of type {go_type}"
    )


class _Decoder:
    """Decodes one parsed document. Type errors in plain structs are saved (Go keeps decoding
    and reports the first); node errors abort at once (Go's custom Node unmarshaller)."""

    __slots__ = ("duplicates", "saved")

    def __init__(self, duplicates: Duplicates) -> None:
        self.duplicates = duplicates
        self.saved: str | None = None

    def items(self, obj: dict[str, Any]) -> Iterable[tuple[str, Any]]:
        if self.duplicates:
            pairs = self.duplicates.get(id(obj))
            if pairs is not None:
                return pairs
        return obj.items()

    def save(self, message: str) -> None:
        if self.saved is None:
            self.saved = message

    def payload(self, doc: Any) -> Payload:
        workflow_id = ""
        nodes: list[NodeSpec] = []
        edges: list[Edge] = []
        if doc is not None and not isinstance(doc, dict):
            raise PayloadError(
                f"{PREFIX}json: cannot unmarshal {json_kind(doc)} into Go value of type "
                "types.Payload"
            )
        for key, value in self.items(doc or {}):
            name = key if key in _PAYLOAD_EXACT else _PAYLOAD_FOLDED.get(key.casefold())
            if name is None:
                continue
            if name == "workflow_id":
                if isinstance(value, str):
                    workflow_id = value
                elif value is not None:
                    self.save(str(_mismatch(value, "Payload.workflow_id", "string")))
            elif value is None:
                if name == "nodes":
                    nodes = []
                else:
                    edges = []
            elif not isinstance(value, list):
                go_type = "[]types.Node" if name == "nodes" else "[]types.Edge"
                self.save(str(_mismatch(value, f"Payload.{name}", go_type)))
            elif name == "nodes":
                nodes = [self.node(item) for item in value]
            else:
                edges = [self.edge(item) for item in value]
        if self.saved is not None:
            raise PayloadError(PREFIX + self.saved)
        return Payload.model_construct(workflow_id=workflow_id, nodes=nodes, edges=edges)

    def node(self, obj: Any) -> NodeSpec:
        if obj is None:
            return NodeSpec("", "", None, None)
        if not isinstance(obj, dict):
            raise PayloadError(
                f"{PREFIX}failed to unmarshal node: json: cannot unmarshal {json_kind(obj)} "
                "into Go value of type types.NodeTemp"
            )
        node_id = ""
        node_type = ""
        data: Any = None
        error: str | None = None
        pairs = self.duplicates.get(id(obj)) if self.duplicates else None
        for key, value in obj.items() if pairs is None else pairs:
            name = key if key in _NODE_EXACT else _NODE_FOLDED.get(key.casefold())
            if name == "data":
                data = value
            elif name is not None and value is not None:
                if type(value) is str:
                    if name == "id":
                        node_id = value
                    else:
                        node_type = value
                elif error is None:
                    go_type = "string" if name == "id" else "types.NodeType"
                    error = str(_mismatch(value, f"NodeTemp.{name}", go_type))
        if error is not None:
            raise PayloadError(f"{PREFIX}failed to unmarshal node: {error}")
        return self.typed(node_id, node_type, data)

    def typed(self, node_id: str, node_type: str, data: Any) -> NodeSpec:
        """The node with its data decoded by its type's struct (the type inferred if empty)."""
        if data is None:
            return NodeSpec(node_id, node_type, None, None)
        if not node_type and isinstance(data, dict):
            node_type = infer_type(data)
        struct = STRUCTS.get(node_type)
        try:
            if struct is None:
                self.check_custom(data)
                params = data
            else:
                params = self.data(struct, data)
        except _Mismatch as exc:
            raise PayloadError(
                f"{PREFIX}failed to unmarshal data for node {node_id} (type {node_type}): {exc}"
            ) from None
        return NodeSpec(node_id, node_type, data, params)

    def check_custom(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise _Mismatch(
                f"json: cannot unmarshal {json_kind(data)} into Go value of type "
                f"types.{CUSTOM.name}"
            )
        for key, value in self.items(data):
            is_label = key == "label" or CUSTOM.folded.get(key.casefold()) == "label"
            if is_label and value is not None and not isinstance(value, str):
                raise _mismatch(value, f"{CUSTOM.name}.label", STRING)

    def data(self, struct: DataStruct, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise _Mismatch(
                f"json: cannot unmarshal {json_kind(data)} into Go value of type "
                f"types.{struct.name}"
            )
        fields = struct.fields
        values: dict[str, Any] = {}
        pairs = self.duplicates.get(id(data)) if self.duplicates else None
        for key, value in data.items() if pairs is None else pairs:
            name = key if key in fields else struct.folded.get(key.casefold())
            if name is None:
                continue
            if value is None:
                values[name] = None
                continue
            kind = fields[name]
            if kind is ANY:
                values[name] = value
            elif kind is STRING:
                if type(value) is not str:
                    raise _mismatch(value, f"{struct.name}.{name}", kind)
                values[name] = value
            else:
                values[name] = self.convert(kind, value, struct.name, name)
        validate = struct.validate
        if validate is not None:
            reason = validate(values)
            if reason is not None:
                raise _Mismatch(reason)
        params = struct.zeros.copy()
        for name, value in values.items():
            if value is not None:
                params[name] = value
        return params

    def convert(self, kind: str, value: Any, struct: str, name: str) -> Any:
        """Decode a non-null value of a float64/int/bool/[]string/[]struct field."""
        where = f"{struct}.{name}"
        if kind is FLOAT:
            if type(value) is not float:
                raise _mismatch(value, where, kind)
            return value
        if kind is INT:
            if type(value) is not float:
                raise _mismatch(value, where, kind)
            if not value.is_integer() or not -_INT_LIMIT <= value < _INT_LIMIT:
                raise _Mismatch(
                    f"json: cannot unmarshal number {_number_text(value)} into Go struct "
                    f"field {where} of type int"
                )
            return int(value)
        if kind is BOOL:
            if type(value) is not bool:
                raise _mismatch(value, where, kind)
            return value
        if not isinstance(value, list):
            raise _mismatch(value, where, kind)
        if kind is STRINGS:
            out: list[Any] = []
            for item in value:
                if item is None:
                    out.append("")
                elif type(item) is str:
                    out.append(item)
                else:
                    raise _mismatch(item, where, STRING)
            return out
        element = ELEMENTS[kind]
        return [self.element(element, item, struct, name) for item in value]

    def element(self, element: ElementStruct, item: Any, struct: str, name: str) -> Any:
        if item is None:
            return element.zeros.copy()
        if not isinstance(item, dict):
            raise _mismatch(item, f"{struct}.{name}", f"types.{element.name}")
        out = element.zeros.copy()
        for key, value in self.items(item):
            field = key if key in element.fields else element.folded.get(key.casefold())
            if field is None or value is None:
                continue
            kind = element.fields[field]
            if kind is not ANY and type(value) is not (str if kind is STRING else bool):
                raise _mismatch(value, f"{element.name}.{name}.{field}", kind)
            out[field] = value
        return out

    def edge(self, obj: Any) -> Edge:
        if type(obj) is not dict:
            if obj is not None:
                self.save(str(_mismatch(obj, "Payload.edges", "types.Edge")))
            return _NO_EDGE
        edge_id = source = target = ""
        handle: str | None = None
        target_handle: str | None = None
        condition: str | None = None
        pairs = self.duplicates.get(id(obj)) if self.duplicates else None
        for key, value in obj.items() if pairs is None else pairs:
            name = key if key in _EDGE_EXACT else _EDGE_FOLDED.get(key.casefold())
            if name is None:
                continue
            if value is None:
                if name == "sourceHandle":
                    handle = None
                elif name == "targetHandle":
                    target_handle = None
                elif name == "condition":
                    condition = None
            elif type(value) is not str:
                self.save(str(_mismatch(value, f"Edge.edges.{name}", "string")))
            elif name == "source":
                source = value
            elif name == "target":
                target = value
            elif name == "id":
                edge_id = value
            elif name == "sourceHandle":
                handle = value
            elif name == "targetHandle":
                target_handle = value
            else:
                condition = value
        return Edge(edge_id, source, target, handle, target_handle, condition)


def decode_payload(payload: bytes | bytearray | str | Mapping[str, Any]) -> Payload:
    """Decode a workflow payload; raises :class:`PayloadError` with the Go message."""
    with gc_paused():
        if isinstance(payload, (bytes, bytearray, memoryview)):
            doc, duplicates = parse_json(bytes(payload).decode("utf-8", "replace"))
        elif isinstance(payload, str):
            doc, duplicates = parse_json(payload)
        elif isinstance(payload, Mapping):
            try:
                doc, duplicates = normalize(payload), {}
            except RecursionError:
                raise PayloadError(f"{PREFIX}exceeded max depth") from None
        else:
            raise PayloadError(
                f"{PREFIX}unsupported payload of type {type(payload).__name__}; "
                "pass JSON bytes, a JSON string or a dict"
            )
        return _Decoder(duplicates).payload(doc)


def decode_nodes_and_edges(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]]
) -> tuple[list[NodeSpec], list[Edge]]:
    """Decode node and edge dicts (e.g. from an engine state) with the payload rules."""
    payload = decode_payload({"nodes": nodes, "edges": edges})
    return payload.nodes, payload.edges


__all__ = [
    "Edge",
    "Payload",
    "PayloadError",
    "decode_nodes_and_edges",
    "decode_payload",
    "node_to_dict",
]
