"""Helpers shared by the engine tests."""

from __future__ import annotations

from pytest_wfsnap.engine.observers import Event


class Starts:
    """An observer recording the ids of the nodes that start, in order (across engines)."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def __call__(self, event: Event) -> None:
        if event.type == "node_start" and event.node_id is not None:
            self.order.append(event.node_id)


__all__ = ["Starts"]
