"""Custom executors for the crash-recovery test, loaded with ``wfsnap --executors FILE``.

``log_step`` appends its node id to the file named by its ``log`` data field (a side effect
outside the engine, like sending an e-mail), then returns a summary of its input.
"""

from __future__ import annotations

from typing import Any

from pytest_wfsnap.engine.registry import NodeContext, Registry


def register_executors(registry: Registry) -> None:
    @registry.executor("log_step")
    def log_step(ctx: NodeContext) -> Any:
        with open(ctx.data["log"], "a", encoding="utf-8") as log:
            log.write(ctx.id + "\n")
        first = ctx.inputs[0] if ctx.inputs else None
        return {"step": ctx.id, "inputs": len(ctx.inputs), "first_is_map": isinstance(first, dict)}
