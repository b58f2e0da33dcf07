"""Make recorded documents reproducible and free of secrets.

* Volatile values: each golden gets a deterministic execution id derived from the test id (a
  valid 16-hex-digit id, so its snapshots still load), and snapshot times are the recording's
  pinned clock. Re-recording an unchanged workflow therefore yields identical bytes.
* Secrets: in HTTP node settings (node ``data`` of ``http`` nodes) every header or field whose
  name looks like a credential (Authorization, Cookie, tokens, API keys, passwords, secrets) is
  replaced by ``[REDACTED]``, and so are credentials inside URLs (``user:pass@`` and sensitive
  query parameters). Replay never needs them: HTTP nodes are served from the recording, and
  restored runs use the node definitions of the current workflow file.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "[REDACTED]"
_SENSITIVE = re.compile(
    r"(authori[sz]ation|cookie|token|api[-_]?key|apikey|secret|passw(or)?d|credential|"
    r"session[-_]?id|private[-_]?key|signature|x-amz-|bearer)",
    re.IGNORECASE,
)


def execution_id_for(test_id: str) -> str:
    """The deterministic execution id recorded for a test (16 lowercase hex digits)."""
    return hashlib.sha256(test_id.encode("utf-8")).hexdigest()[:16]


def is_sensitive(name: str) -> bool:
    return bool(_SENSITIVE.search(name))


def redact_url(url: str) -> str:
    """The URL with user info and sensitive query parameter values replaced."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    changed = False
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
        changed = True
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_sensitive(k) for k, _ in pairs):
            query = urlencode([(k, REDACTED if is_sensitive(k) else v) for k, v in pairs])
            changed = True
    if not changed:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _redact_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: REDACTED if is_sensitive(str(k)) else _redact_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v) for v in value]
    if isinstance(value, str) and "://" in value:
        return redact_url(value)
    return value


def _is_http_node(node: dict[str, Any]) -> bool:
    node_type = node.get("type")
    data = node.get("data")
    if node_type == "http":
        return True
    return not node_type and isinstance(data, dict) and "url" in data


def redact_nodes(nodes: list[Any]) -> list[Any]:
    """Node definitions with secrets removed from HTTP node settings (others untouched)."""
    out: list[Any] = []
    for node in nodes:
        if isinstance(node, dict) and _is_http_node(node) and isinstance(node.get("data"), dict):
            node = {**node, "data": _redact_value(node["data"])}
        out.append(node)
    return out


def normalise_snapshot(
    doc: dict[str, Any], *, execution_id: str, snapshot_time: str
) -> dict[str, Any]:
    """A snapshot document with its volatile values fixed and HTTP secrets redacted."""
    out = dict(doc)
    out["execution_id"] = execution_id
    if "snapshot_time" in out:
        out["snapshot_time"] = snapshot_time
    if isinstance(out.get("nodes"), list):
        out["nodes"] = redact_nodes(out["nodes"])
    return out


def normalise_result(doc: dict[str, Any], *, execution_id: str) -> dict[str, Any]:
    return {**doc, "execution_id": execution_id}


__all__ = [
    "REDACTED",
    "execution_id_for",
    "is_sensitive",
    "normalise_result",
    "normalise_snapshot",
    "redact_nodes",
    "redact_url",
]
