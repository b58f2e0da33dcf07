"""The snapshot format version: one constant, changed only together with a migration.

* ``1.0.0``: the Go engine's own format (the seed document's structure; Go field names in cache
  entries and config, local-zone times, ``completed_nodes`` unordered, ``current_level`` 0).
* ``2.0.0``: this port's format. Same top-level names, plus the fields needed to resume a run
  exactly (``skipped_nodes``, ``failed_node``, ``status``, ``random_seed``, ``http_recordings``);
  cache entries ``{value, expiration}``; config in snake_case with durations as integer
  nanoseconds; times in UTC; ``completed_nodes`` in execution order.
* ``2.1.0``: adds ``pending_nodes``, the nodes not decided yet in the order they will run (null
  when the run was not ordered yet), so a resumed run plans only those nodes instead of ordering
  the whole workflow again.

Every older version is migrated on load (see :mod:`pytest_wfsnap.snapshot.migrations`).
"""

from __future__ import annotations

FORMAT_VERSION = "2.1.0"
"""The version written by this release."""

GO_FORMAT_VERSION = "1.0.0"
"""The version written by the Go engine (and the only one it reads)."""

__all__ = ["FORMAT_VERSION", "GO_FORMAT_VERSION"]
