"""The outcome of a workflow run (ENGINE.md A2, B3)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pytest_wfsnap.engine.gofmt import go_json_dumps

ResultStatus = Literal["completed", "paused", "failed"]


def _nest(text: str) -> str:
    """Indent the continuation lines of an indented JSON value nested one level deep."""
    return text.replace("\n", "\n  ")


class Result(BaseModel):
    """What ``Engine.execute()`` returns.

    ``node_results`` holds the stored result of every node that ran (skipped nodes are absent;
    a node that returned null is present with None), ``final_output`` the result chosen by the
    final-output rule, ``errors`` the error message of a failed run, and ``status`` whether the
    run completed, paused (``stop_after``/``stop_before``) or failed.
    """

    model_config = ConfigDict(frozen=True)

    execution_id: str
    workflow_id: str = ""
    node_results: dict[str, Any] = Field(default_factory=dict)
    final_output: Any = None
    errors: list[str] = Field(default_factory=list)
    status: ResultStatus = "completed"

    def to_json(self, indent: bool = False) -> str:
        """Go ``encoding/json`` text of the Go Result struct, plus ``status``.

        Field order follows the Go struct; ``workflow_id`` and ``errors`` are omitted when
        empty (Go ``omitempty``); values use Go's formatting (sorted keys, ``15`` not ``15.0``).
        """
        fields: list[tuple[str, Any]] = [("execution_id", self.execution_id)]
        if self.workflow_id:
            fields.append(("workflow_id", self.workflow_id))
        fields += [("node_results", self.node_results), ("final_output", self.final_output)]
        if self.errors:
            fields.append(("errors", self.errors))
        fields.append(("status", self.status))
        if not indent:
            body = ",".join(f"{go_json_dumps(k)}:{go_json_dumps(v)}" for k, v in fields)
            return "{" + body + "}"
        body = ",\n".join(
            f"  {go_json_dumps(k)}: {_nest(go_json_dumps(v, indent=True))}" for k, v in fields
        )
        return "{\n" + body + "\n}"


__all__ = ["Result", "ResultStatus"]
