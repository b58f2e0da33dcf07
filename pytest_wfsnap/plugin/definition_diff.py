"""What changed in a workflow definition since its golden was recorded, node by node.

A stale-fixture failure lists these lines (``node list_price: data.value 200 -> 250``,
``node added: audit (type counter)``, ``edge removed: a -> b``) so the user sees exactly which
node changed and how, not only that a fingerprint moved. Secrets in HTTP node settings are
redacted on both sides before comparing (goldens never hold them).
"""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.plugin.json_diff import diff_values, render_change, short
from pytest_wfsnap.plugin.normalize import redact_nodes

MAX_LINES = 40


def _nodes_by_id(nodes: list[Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for node in redact_nodes(list(nodes)):
        if isinstance(node, dict):
            out[str(node.get("id"))] = node
    return out


def _edge_key(edge: Any) -> str:
    if not isinstance(edge, dict):
        return short(edge)
    text = f"{edge.get('source')} -> {edge.get('target')}"
    handle = edge.get("sourceHandle")
    if handle is None:
        handle = edge.get("condition")
    return f'{text} (handle "{handle}")' if handle is not None else text


def definition_changes(
    old_nodes: list[Any], old_edges: list[Any], new_nodes: list[Any], new_edges: list[Any]
) -> list[str]:
    """Readable, per-node lines for every definition difference (empty: same definition)."""
    lines: list[str] = []
    old, new = _nodes_by_id(old_nodes), _nodes_by_id(new_nodes)
    for node_id, before in old.items():
        after = new.get(node_id)
        if after is None:
            lines.append(f"node removed: {node_id} (type {before.get('type') or 'inferred'})")
            continue
        for change in diff_values(
            {k: v for k, v in before.items() if k != "id"},
            {k: v for k, v in after.items() if k != "id"},
        ):
            lines.append(f"node {node_id}: {render_change(change)}")
    for node_id, after in new.items():
        if node_id not in old:
            lines.append(f"node added: {node_id} (type {after.get('type') or 'inferred'})")
    old_edges_keys = [_edge_key(e) for e in old_edges]
    new_edges_keys = [_edge_key(e) for e in new_edges]
    remaining = list(new_edges_keys)
    for key in old_edges_keys:
        if key in remaining:
            remaining.remove(key)
        else:
            lines.append(f"edge removed: {key}")
    lines.extend(f"edge added: {key}" for key in remaining)
    if not lines and old_edges_keys != new_edges_keys:
        lines.append("edges reordered (node inputs are gathered in edge order)")
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"... {len(lines) - MAX_LINES} more changes"]
    return lines


__all__ = ["definition_changes"]
