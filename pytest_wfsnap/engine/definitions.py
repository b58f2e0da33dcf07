"""Workflow definitions held by snapshots: fast decoding, and decoded forms kept for loading.

:func:`decode_json_definition` decodes the ``nodes`` and ``edges`` of a snapshot document read
by a JSON or binary decoder (so every value in them is a JSON value) with the payload rules of
:mod:`pytest_wfsnap.engine.decode`: the same node specs, edges and error messages as
:func:`~pytest_wfsnap.engine.decode.decode_nodes_and_edges`, but without copying the whole
definition first. Data holding only strings, floats, booleans and nulls (no integer to turn into
a float, no nested value) is used as it is, and a node whose data has the shape of one seen
before (type, keys and value types) reuses the field checks worked out for that shape.

:class:`Definition` is the decoded form of a snapshot's definition. :func:`remember` keeps it
for a Snapshot object (until the object is garbage); :func:`recall` gives it back only while the
snapshot still holds the very lists it was decoded from, so ``load_snapshot`` of a snapshot that
``deserialize_snapshot`` (or ``save_snapshot``) produced does not decode every node a second
time, while a snapshot built by hand, or copied with other nodes, is decoded when loaded.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from itertools import chain
from typing import Any

from pytest_wfsnap.engine.copying import gc_paused
from pytest_wfsnap.engine.datatypes import ANY, BOOL, FLOAT, STRING, STRUCTS, DataStruct
from pytest_wfsnap.engine.decode import Edge, _Decoder, decode_nodes_and_edges
from pytest_wfsnap.engine.jsonparse import PREFIX, normalize
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.errors import PayloadError

_FLAT = frozenset((str, float, bool, type(None)))
_KIND_TYPES: dict[str, frozenset[type]] = {
    STRING: frozenset((str,)),
    FLOAT: frozenset((float,)),
    BOOL: frozenset((bool,)),
    ANY: frozenset((str, float, bool)),
}
# Validators made by ``datatypes._required``: they only ask for fields to be present (not null).
_PRESENCE_ONLY = "_required."

Shape = tuple[Any, ...]
"""A node's type, its data keys and the types of their values."""


class _Direct:
    """What decoding data of one shape takes (see :meth:`of`)."""

    __slots__ = ("check", "struct", "zeros")

    def __init__(self, struct: DataStruct | None, check: bool) -> None:
        self.struct = struct
        self.zeros: dict[str, Any] | None = None if struct is None else struct.zeros
        self.check = check  # whether each node's values must go through struct.validate

    @classmethod
    def of(cls, node_type: str, data: dict[str, Any]) -> _Direct:
        """How to decode ``data`` of ``node_type`` and any data of the same shape.

        Directly (``struct`` set) when decoding changes no value: a built-in type, every key
        an exact field name, no null, and every value of the type its field takes as it is (a
        string, float or bool; any scalar for ``interface{}``). The decoded fields are then the
        data itself, and the params are the struct's zero values overlaid with the data.
        A validation that only asks for fields to be present gives the same answer for every
        data of the shape, so it runs once here; any other runs for every node.
        """
        struct = STRUCTS.get(node_type)
        if struct is None:
            return cls(None, False)
        fields = struct.fields
        for key, value in data.items():
            kind = fields.get(key)
            allowed = _KIND_TYPES.get(kind) if kind is not None else None
            if allowed is None or type(value) not in allowed:
                return cls(None, False)
        validate = struct.validate
        if validate is None:
            return cls(struct, False)
        if not validate.__qualname__.startswith(_PRESENCE_ONLY):
            return cls(struct, True)
        if validate(data) is not None:
            return cls(struct, True)  # every node of the shape fails: report it for each
        return cls(struct, False)

    def struct_check(self, node_id: str, node_type: str, data: dict[str, Any]) -> None:
        assert self.struct is not None and self.struct.validate is not None
        reason = self.struct.validate(data)
        if reason is not None:
            raise PayloadError(
                f"{PREFIX}failed to unmarshal data for node {node_id} (type {node_type}): {reason}"
            )


def _only_flat_values(items: list[Any]) -> bool:
    """Whether every item is a dict holding only strings, floats, booleans and nulls."""
    try:
        return _FLAT.issuperset(map(type, chain.from_iterable(map(dict.values, items))))
    except TypeError:  # an item that is not a dict
        return False


def _unsupported_value(nodes: list[Any], start: int, edges: list[Any]) -> None:
    """Raise the error of the first value the payload rules refuse (an integer too large for a
    float) in ``nodes[start:]`` and ``edges``: such errors come before decoding errors, as when
    a whole payload is normalized before it is decoded."""
    for index in range(start, len(nodes)):
        normalize(nodes[index], f"payload.nodes[{index}]")
    for index, obj in enumerate(edges):
        normalize(obj, f"payload.edges[{index}]")


def decode_json_definition(nodes: list[Any], edges: list[Any]) -> tuple[list[NodeSpec], list[Edge]]:
    """Decode the nodes and edges of a decoded document (JSON values only); raises
    :class:`PayloadError` exactly as :func:`decode_nodes_and_edges` does."""
    specs, decoded, _, _ = _decode_json(nodes, edges)
    return specs, decoded


def decode_definition(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *, json_values: bool
) -> Definition:
    """The decoded definition of a snapshot's ``nodes`` and ``edges`` (raises
    :class:`PayloadError`). ``json_values``: they were read from bytes (see
    :func:`decode_json_definition`); else they are decoded as any payload."""
    node_ids: list[str] | None = None
    position: dict[str, int] | None = None
    if json_values:
        specs, decoded, node_ids, position = _decode_json(nodes, edges)
    else:
        specs, decoded = decode_nodes_and_edges(nodes, edges)
    return Definition(nodes, edges, len(nodes), len(edges), specs, decoded, node_ids, position)


def _decode_json(
    nodes: list[Any], edges: list[Any]
) -> tuple[list[NodeSpec], list[Edge], list[str], dict[str, int]]:
    decoder = _Decoder({})
    node_ids: list[str] = []
    position: dict[str, int] = {}
    with gc_paused():
        specs = _decode_nodes(decoder, nodes, edges, node_ids, position)
        if _only_flat_values(edges):
            decoded = [decoder.edge(obj) for obj in edges]
        else:
            decoded = [
                decoder.edge(normalize(obj, f"payload.edges[{index}]"))
                for index, obj in enumerate(edges)
            ]
        if decoder.saved is not None:
            raise PayloadError(PREFIX + decoder.saved)
    return specs, decoded, node_ids, position


def _decode_nodes(
    decoder: _Decoder,
    nodes: list[Any],
    edges: list[Any],
    node_ids: list[str],
    position: dict[str, int],
) -> list[NodeSpec]:
    """The node specs (their ids added to ``node_ids``, and to ``position`` with their index:
    the last one for an id given twice). Indexing them here, while each id was just read,
    costs a fraction of indexing them afterwards."""
    shapes: dict[Shape, _Direct] = {}
    specs: list[NodeSpec] = []
    append = specs.append
    add_id = node_ids.append
    index = 0
    normalizing = False
    try:
        for index, obj in enumerate(nodes):
            # A dict of three keys, all present: exactly id, type and data.
            if type(obj) is dict and len(obj) == 3:
                node_id = obj.get("id")
                node_type = obj.get("type")
                data = obj.get("data")
                if type(node_id) is type(node_type) is str and type(data) is dict:
                    shape = (node_type, *data, *map(type, data.values()))
                    direct = shapes.get(shape)
                    if direct is None:
                        direct = shapes[shape] = _Direct.of(node_type, data)
                    zeros = direct.zeros
                    if zeros is not None:
                        if direct.check:
                            direct.struct_check(node_id, node_type, data)
                        append(NodeSpec(node_id, node_type, data, zeros | data))
                        add_id(node_id)
                        position[node_id] = index
                        continue
                    if _FLAT.issuperset(map(type, data.values())):
                        append(decoder.typed(node_id, node_type, data))
                        add_id(node_id)
                        position[node_id] = index
                        continue
            normalizing = True
            prepared = normalize(obj, f"payload.nodes[{index}]")
            normalizing = False
            spec = decoder.node(prepared)
            append(spec)
            add_id(spec.id)
            position[spec.id] = index
    except PayloadError:
        if not normalizing:
            _unsupported_value(nodes, index + 1, edges)
        raise
    return specs


@dataclass(frozen=True, slots=True, eq=False)
class Definition:
    """The decoded nodes and edges of a snapshot, and the lists they were decoded from."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    node_count: int
    edge_count: int
    specs: list[NodeSpec]
    decoded_edges: list[Edge]
    ids: list[str] | None = None  # the ids of ``specs``, when the decoder collected them
    position: dict[str, int] | None = None  # node id -> index, when the decoder made it

    @classmethod
    def of(
        cls,
        nodes: list[dict[str, Any]],
        edges: list[dict[str, Any]],
        specs: list[NodeSpec],
        decoded_edges: list[Edge],
    ) -> Definition:
        return cls(nodes, edges, len(nodes), len(edges), specs, decoded_edges)

    def holds(self, nodes: Any, edges: Any) -> bool:
        """Whether ``nodes`` and ``edges`` are still the lists this was decoded from."""
        return (
            nodes is self.nodes
            and edges is self.edges
            and len(nodes) == self.node_count
            and len(edges) == self.edge_count
        )

    def node_ids(self) -> list[str]:
        """The ids of the decoded nodes, in node order."""
        return self.ids if self.ids is not None else [spec.id for spec in self.specs]

    def positions(self) -> dict[str, int]:
        """Node id -> index in the node list (the last index of an id given twice)."""
        if self.position is not None:
            return self.position
        ids = self.node_ids()
        return dict(zip(ids, range(len(ids)), strict=True))


_KEPT: dict[int, Definition] = {}


def remember(snapshot: Any, definition: Definition) -> None:
    """Keep ``definition`` for ``snapshot`` (a Snapshot object) while that object lives."""
    key = id(snapshot)
    if key not in _KEPT:
        weakref.finalize(snapshot, _KEPT.pop, key, None)
    _KEPT[key] = definition


def recall(snapshot: Any) -> Definition | None:
    """The definition kept for ``snapshot``, if it still holds the lists it was decoded from."""
    definition = _KEPT.get(id(snapshot))
    if definition is None or not definition.holds(snapshot.nodes, snapshot.edges):
        return None
    return definition


_FITTING: dict[int, tuple[tuple[int, int], ...]] = {}


def _progress_marks(snapshot: Any) -> tuple[tuple[int, int], ...]:
    parts = (
        snapshot.nodes,
        snapshot.completed_nodes,
        snapshot.skipped_nodes,
        snapshot.pending_nodes,
        snapshot.results,
    )
    return tuple((id(part), -1 if part is None else len(part)) for part in parts)


def remember_fitting_progress(snapshot: Any) -> None:
    """Record that ``snapshot``'s progress lists fit its workflow exactly (checked by
    :func:`~pytest_wfsnap.engine.plans.progress_fits` while it was deserialized), while the
    object lives and holds the same lists."""
    key = id(snapshot)
    if key not in _FITTING:
        weakref.finalize(snapshot, _FITTING.pop, key, None)
    _FITTING[key] = _progress_marks(snapshot)


def progress_checked(snapshot: Any) -> bool:
    """Whether ``snapshot``'s progress was found to fit by :func:`remember_fitting_progress`
    and it still holds those very lists (of the same lengths)."""
    marks = _FITTING.get(id(snapshot))
    return marks is not None and marks == _progress_marks(snapshot)


__all__ = [
    "Definition",
    "decode_definition",
    "decode_json_definition",
    "progress_checked",
    "recall",
    "remember",
    "remember_fitting_progress",
]
