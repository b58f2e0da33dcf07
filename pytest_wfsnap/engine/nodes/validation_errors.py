"""Translate ``jsonschema`` validation errors into the Go library's (gojsonschema) error records.

Each record is ``{"field", "type", "description", "value"}``:

* ``field``: the instance path joined with dots (``address.street``, ``items.0``), ``(root)``
  at the top, or the property name for errors about one property (``required``,
  ``additional_property_not_allowed``, ``invalid_property_name``), as gojsonschema does;
* ``type`` and ``description``: gojsonschema's type names and English templates;
* ``value``: the offending value (for ``required`` and ``missing_dependency``, the object).

Where jsonschema reports one error and gojsonschema several (one per missing property, extra
property or duplicate item), the records are expanded. gojsonschema's wrapper errors are added:
``number_all_of`` after the errors of a failed ``allOf``, ``condition_then``/``condition_else``
before the errors of a failed ``then``/``else``, ``invalid_property_name`` before the errors of
a bad property name; a failed ``anyOf``/``oneOf`` reports its wrapper error and the errors of
the branch that came closest (fewest errors).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError

from pytest_wfsnap.engine.gofmt import go_json_dumps

Record = dict[str, Any]

# Schema keywords that hold one subschema, a map of named subschemas, or a list of them, and
# how many instance path elements each one consumes.
_ONE_SCHEMA = {"items", "additionalItems", "additionalProperties", "not", "if", "then", "else"}
_ONE_SCHEMA |= {"contains", "propertyNames"}
_NAMED = {"properties", "patternProperties", "dependencies", "definitions", "$defs"}
_NAMED |= {"dependentSchemas"}
_INDEXED = {"allOf", "anyOf", "oneOf"}
_CONSUMES = {"properties", "patternProperties", "additionalProperties", "items"}
_CONSUMES |= {"additionalItems"}
_WRAPPERS = {"allOf", "then", "else", "propertyNames"}


def _field(path: Iterable[Any]) -> str:
    parts = [str(part) for part in path]
    return ".".join(parts) if parts else "(root)"


def _number(value: Any) -> str:
    """A schema number as gojsonschema prints it (``big.Float`` with 10 significant digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return f"{float(value):.10g}"


def _json_type(value: Any) -> str:
    """The JSON type name gojsonschema reports as ``given``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _record(field: str, kind: str, description: str, value: Any) -> Record:
    return {"field": field, "type": kind, "description": description, "value": value}


def _dump(value: Any) -> str:
    return go_json_dumps(value)


def _at(document: Any, path: Sequence[Any]) -> Any:
    value = document
    try:
        for part in path:
            value = value[part]
    except (KeyError, IndexError, TypeError):
        return None
    return value


def _wrappers(error: ValidationError) -> list[tuple[str, tuple[Any, ...], tuple[Any, ...]]]:
    """The wrapper keywords an error came through: ``(keyword, schema path, instance path)``."""
    tokens = list(error.absolute_schema_path)
    path = list(error.absolute_path)
    found: list[tuple[str, tuple[Any, ...], tuple[Any, ...]]] = []
    consumed = 0
    i = 0
    while i < len(tokens):
        keyword = tokens[i]
        if not isinstance(keyword, str):
            break
        if keyword in _WRAPPERS:
            found.append((keyword, tuple(tokens[: i + 1]), tuple(path[:consumed])))
        is_item_list = keyword == "items" and i + 1 < len(tokens) and isinstance(tokens[i + 1], int)
        if keyword in _NAMED or keyword in _INDEXED or is_item_list:
            i += 2
        elif keyword in _ONE_SCHEMA:
            i += 1
        else:
            break
        if keyword in _CONSUMES:
            consumed += 1
    return found


class _Translator:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.expanded: set[tuple[Any, ...]] = set()

    def once(self, error: ValidationError) -> bool:
        """True the first time an error of this keyword at this place is seen."""
        key = (error.validator, tuple(error.absolute_path), tuple(error.absolute_schema_path))
        if key in self.expanded:
            return False
        self.expanded.add(key)
        return True

    def convert(self, error: ValidationError) -> list[Record]:
        keyword = error.validator
        value = error.instance
        spec = error.validator_value
        schema = error.schema if isinstance(error.schema, dict) else {}
        field = _field(error.absolute_path)
        if keyword is None or keyword is False:
            return [_record(field, "false", "False always fails validation", value)]
        if keyword == "type":
            types = spec if isinstance(spec, list) else [spec]
            expected = types[0] if len(types) == 1 else "[" + ",".join(map(str, types)) + "]"
            description = f"Invalid type. Expected: {expected}, given: {_json_type(value)}"
            return [_record(field, "invalid_type", description, value)]
        if keyword == "required":
            if not self.once(error) or not isinstance(value, dict):
                return []
            return [
                _record(name, "required", f"{name} is required", value)
                for name in spec
                if name not in value
            ]
        if keyword in ("dependencies", "dependentRequired"):
            if not self.once(error) or not isinstance(value, dict):
                return []
            return [
                _record(field, "missing_dependency", f"Has a dependency on {dep}", value)
                for key in value
                if isinstance(spec.get(key), list)
                for dep in spec[key]
                if dep not in value
            ]
        if keyword == "additionalProperties":
            if not isinstance(value, dict):
                return []
            known = schema.get("properties", {})
            patterns = list(schema.get("patternProperties", {}))
            return [
                _record(
                    key,
                    "additional_property_not_allowed",
                    f"Additional property {key} is not allowed",
                    item,
                )
                for key, item in value.items()
                if key not in known and not any(re.search(p, key) for p in patterns)
            ]
        if keyword == "uniqueItems":
            return self._unique(field, value)
        if keyword in ("anyOf", "oneOf"):
            kind = "number_any_of" if keyword == "anyOf" else "number_one_of"
            text = (
                "at least one schema (anyOf)"
                if keyword == "anyOf"
                else ("one and only one schema (oneOf)")
            )
            records = [_record(field, kind, f"Must validate {text}", value)]
            return records + self._closest_branch(error.context or [])
        simple = self._simple(keyword, spec, schema, field, value)
        if simple is not None:
            return [simple]
        return [_record(field, str(keyword), error.message, value)]

    def _simple(
        self, keyword: Any, spec: Any, schema: dict[str, Any], field: str, value: Any
    ) -> Record | None:
        n = _number(spec)
        if keyword in ("minimum", "maximum"):
            exclusive = schema.get(
                "exclusiveMinimum" if keyword == "minimum" else "exclusiveMaximum"
            )
            strict = exclusive is True
            if keyword == "minimum":
                kind, text = (
                    ("number_gt", "greater than")
                    if strict
                    else ("number_gte", "greater than or equal to")
                )
            else:
                kind, text = (
                    ("number_lt", "less than")
                    if strict
                    else ("number_lte", "less than or equal to")
                )
            return _record(field, kind, f"Must be {text} {n}", value)
        table: dict[str, tuple[str, str]] = {
            "exclusiveMinimum": ("number_gt", f"Must be greater than {n}"),
            "exclusiveMaximum": ("number_lt", f"Must be less than {n}"),
            "multipleOf": ("multiple_of", f"Must be a multiple of {n}"),
            "minLength": ("string_gte", f"String length must be greater than or equal to {n}"),
            "maxLength": ("string_lte", f"String length must be less than or equal to {n}"),
            "pattern": ("pattern", f"Does not match pattern '{spec}'"),
            "format": ("format", f"Does not match format '{spec}'"),
            "minItems": ("array_min_items", f"Array must have at least {n} items"),
            "maxItems": ("array_max_items", f"Array must have at most {n} items"),
            "additionalItems": (
                "array_no_additional_items",
                "No additional items allowed on array",
            ),
            "contains": ("contains", "At least one of the items must match"),
            "minProperties": ("array_min_properties", f"Must have at least {n} properties"),
            "maxProperties": ("array_max_properties", f"Must have at most {n} properties"),
            "not": ("number_not", "Must not validate the schema (not)"),
        }
        if keyword == "enum" and isinstance(spec, list):
            allowed = ", ".join(_dump(item) for item in spec)
            return _record(field, "enum", f"{field} must be one of the following: {allowed}", value)
        if keyword == "const":
            return _record(field, "const", f"{field} does not match: {_dump(spec)}", value)
        if isinstance(keyword, str) and keyword in table:
            kind, description = table[keyword]
            return _record(field, kind, description, value)
        return None

    def _unique(self, field: str, value: Any) -> list[Record]:
        if not isinstance(value, list):
            return []
        last: dict[str, int] = {}
        records: list[Record] = []
        for j, item in enumerate(value):
            key = _dump(item)
            if key in last:
                records.append(
                    _record(field, "unique", f"array items[{last[key]},{j}] must be unique", value)
                )
            last[key] = j
        return records

    def _closest_branch(self, context: Iterable[ValidationError]) -> list[Record]:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in context:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            branches.setdefault(branch, []).append(sub)
        if not branches:
            return []
        best = min(branches.values(), key=len)
        return self.convert_all(best)

    def _wrapper(
        self, keyword: str, instance_path: tuple[Any, ...], error: ValidationError
    ) -> Record:
        target = _at(self.document, instance_path)
        if keyword == "allOf":
            return _record(
                _field(instance_path),
                "number_all_of",
                "Must validate all the schemas (allOf)",
                target,
            )
        if keyword == "propertyNames":
            name = str(error.instance)
            return _record(
                name, "invalid_property_name", f'Property name of "{name}" does not match', target
            )
        which = '"then" as "if" was valid' if keyword == "then" else '"else" as "if" was not valid'
        return _record(
            _field(instance_path), f"condition_{keyword}", f"Must validate {which}", target
        )

    def convert_all(self, errors: Iterable[ValidationError]) -> list[Record]:
        """Records of ``errors`` with gojsonschema's wrapper errors placed around them."""
        records: list[Record] = []
        opened: set[tuple[Any, ...]] = set()
        all_of: dict[tuple[Any, ...], tuple[int, int, Record]] = {}
        for error in errors:
            wrappers = _wrappers(error)
            for keyword, schema_path, instance_path in wrappers:
                key = (schema_path, instance_path)
                if keyword != "allOf" and key not in opened:
                    opened.add(key)
                    records.append(self._wrapper(keyword, instance_path, error))
            records.extend(self.convert(error))
            for keyword, schema_path, instance_path in wrappers:
                if keyword == "allOf":  # goes after the last error of its branches
                    wrapper = self._wrapper(keyword, instance_path, error)
                    all_of[(schema_path, instance_path)] = (len(records), len(schema_path), wrapper)
        for position, _, wrapper in sorted(all_of.values(), key=lambda e: (-e[0], e[1])):
            records.insert(position, wrapper)
        return records


def go_errors(validator: Any, document: Any) -> list[Record]:
    """All errors of ``document`` under ``validator``, as gojsonschema records."""
    translator = _Translator(document)
    return translator.convert_all(validator.iter_errors(document))


__all__ = ["Record", "go_errors"]
