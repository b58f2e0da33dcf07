"""The schema_validator executor (ENGINE.md B9.52).

The input and the schema go through Go's JSON encoding (NaN fails as in Go) and the input is
validated with the ``jsonschema`` package: the draft named by ``$schema``, else draft 7, or
draft 4 when the schema uses draft 4's boolean ``exclusiveMinimum``/``exclusiveMaximum`` (the
Go library's "hybrid" mode accepts draft 4, 6 and 7 features). String formats are checked the
way Go checks them (:mod:`.validation_formats`).

Errors are reported the way the Go library (gojsonschema) shapes them:
``{"field", "type", "description", "value"}`` with its type names (``required``,
``invalid_type``, ``number_gte``...) and description templates (``name is required``,
``Invalid type. Expected: integer, given: string``...); :mod:`.validation_errors` does the
translation. The error *order* and the branch reported for a failed ``anyOf``/``oneOf`` are
approximations of gojsonschema's.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any

from pytest_wfsnap.engine.gofmt import go_json_dumps
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.gotypes import bool_field
from pytest_wfsnap.errors import NodeError

if TYPE_CHECKING:  # pragma: no cover - jsonschema is imported when a schema is first checked
    from jsonschema import FormatChecker


@cache
def _formats() -> FormatChecker:
    from pytest_wfsnap.engine.nodes.validation_formats import go_format_checker

    return go_format_checker()


def _go_json(value: Any, what: str) -> Any:
    """``value`` after a Go ``json.Marshal`` and decode (ints and floats unified, times as
    RFC 3339 strings); ``what: <go error>`` when Go cannot encode it (NaN, infinities)."""
    try:
        text = go_json_dumps(value)
    except NodeError as exc:
        raise NodeError(f"{what}: {exc}") from None
    return json.loads(text)


def _uses_draft4_exclusive(schema: Any) -> bool:
    """Whether the schema uses draft 4's boolean ``exclusiveMinimum``/``exclusiveMaximum``."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                    return True
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _validator_class(schema: Any) -> Any:
    from jsonschema import Draft4Validator, Draft7Validator, validators

    if isinstance(schema, dict) and isinstance(schema.get("$schema"), str):
        return validators.validator_for(schema, default=Draft7Validator)
    if _uses_draft4_exclusive(schema):
        return Draft4Validator
    return Draft7Validator


def validate(schema: Any, document: Any) -> list[dict[str, Any]]:
    """gojsonschema-shaped errors of ``document`` against ``schema`` ([] when valid).

    Raises ``NodeError("schema validation failed: ...")`` when the schema itself is unusable.
    """
    if not isinstance(schema, (dict, bool)):
        raise NodeError("schema validation failed: Expected: valid schema, given: Invalid JSON")
    from jsonschema.exceptions import SchemaError

    from pytest_wfsnap.engine.nodes.validation_errors import go_errors

    cls = _validator_class(schema)
    try:
        cls.check_schema(schema)
        validator = cls(schema, format_checker=_formats())
        return go_errors(validator, document)
    except SchemaError as exc:
        raise NodeError(f"schema validation failed: {exc.message}") from None
    except NodeError:
        raise
    except RecursionError:
        raise NodeError("schema validation failed: schema references itself endlessly") from None
    except Exception as exc:  # unresolvable $ref, bad regex, ...: the library's own errors
        raise NodeError(f"schema validation failed: {exc}") from None


class SchemaValidatorExecutor(Executor):
    """Validate ``inputs[0]`` against ``schema``; fail in strict mode, else report."""

    node_type = "schema_validator"
    data_struct = "SchemaValidatorData"

    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        value = inputs[0] if inputs else None
        if value is None:
            raise NodeError("no input provided for validation")
        schema = params.get("schema")
        if schema is None:
            raise NodeError("schema not provided")
        strict = bool_field(params, "strict", node)
        schema_doc = _go_json(schema, "invalid schema format")
        document = _go_json(value, "failed to serialize input")
        errors = validate(schema_doc, document)
        if not errors:
            return {"valid": True, "data": value}
        if strict:
            raise NodeError(f"validation failed: {len(errors)} errors found")
        return {"valid": False, "data": value, "errors": errors}


EXECUTORS: list[type[Executor]] = [SchemaValidatorExecutor]

__all__ = ["EXECUTORS", "SchemaValidatorExecutor", "validate"]
