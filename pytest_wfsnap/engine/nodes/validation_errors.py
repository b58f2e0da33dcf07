"""Translate ``jsonschema`` validation errors into the Go library's (gojsonschema) records.

Each record is ``{"field", "type", "description", "value"}``:

* ``field``: the instance path joined with dots (``address.street``, ``items.0``), ``(root)``
  at the top, or the property name for errors about one property (``required``,
  ``additional_property_not_allowed``, ``invalid_property_name``), as gojsonschema does;
* ``type`` and ``description``: gojsonschema's type names and English templates;
* ``value``: the offending value (for ``required`` and ``missing_dependency``, the object).

The records follow gojsonschema's walk: for each value, a wrong ``type`` is reported alone;
then the combinators (anyOf, oneOf, allOf, not, dependencies, if/then/else), the type-specific
keywords (object, array and number checks before const/enum/format, string checks after them),
and the children (``properties``) last. Where jsonschema reports one error and gojsonschema
several (one per missing property, extra property or duplicate item), the records are expanded.
gojsonschema's wrapper errors are added: ``number_all_of`` after the errors of a failed
``allOf``, ``condition_then``/``condition_else`` before the errors of a failed branch,
``invalid_property_name`` before the errors of a bad property name; a failed ``anyOf``/``oneOf``
reports its wrapper error and the errors of the branch that came closest (fewest errors; Go
scores branches slightly differently, so the branch chosen may differ in close cases).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError

from pytest_wfsnap.engine.gofmt import go_json_dumps

Record = dict[str, Any]
Level = tuple[str, int, int, int]  # keyword, its token position, end of its child, path consumed

# Schema keywords holding one subschema, named subschemas, or a list of them; the ones that
# step into a child of the instance; the ones gojsonschema reports a wrapper error for.
_ONE_SCHEMA = frozenset(
    {"items", "additionalItems", "additionalProperties", "not", "if", "then", "else", "contains",
     "propertyNames"}
)  # fmt: skip
_NAMED = frozenset(
    {"properties", "patternProperties", "dependencies", "definitions", "$defs", "dependentSchemas"}
)
_INDEXED = frozenset({"allOf", "anyOf", "oneOf"})
_CONSUMES = frozenset(
    {"properties", "patternProperties", "additionalProperties", "items", "additionalItems"}
)
_WRAPPERS = frozenset({"allOf", "then", "else", "propertyNames"})

# gojsonschema's order of checks on one value (see the module docstring).
_RANK = {
    "type": -1,
    "anyOf": 0, "oneOf": 1, "allOf": 2, "not": 3,
    "dependencies": 4, "dependentRequired": 4, "dependentSchemas": 4,
    "if": 5, "then": 5, "else": 5,
    "minProperties": 10, "maxProperties": 11, "required": 12, "additionalProperties": 13,
    "patternProperties": 13, "propertyNames": 14,
    "items": 10, "additionalItems": 11, "minItems": 12, "maxItems": 13, "uniqueItems": 14,
    "contains": 15,
    "multipleOf": 10, "maximum": 11, "exclusiveMaximum": 12, "minimum": 13,
    "exclusiveMinimum": 14,
    "const": 20, "enum": 21, "format": 22,
    "minLength": 30, "maxLength": 31, "pattern": 32,
    "properties": 40,
}  # fmt: skip


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


def _at(document: Any, path: Sequence[Any]) -> Any:
    value = document
    try:
        for part in path:
            value = value[part]
    except (KeyError, IndexError, TypeError):
        return None
    return value


def _levels(error: ValidationError) -> list[Level]:
    """The schema keywords an error passed through, outermost first, ending with its own.

    For each: its position in the schema path, where the path of the subschema it leads to
    ends (after the name or index for ``properties``, ``allOf``...), and how many instance path
    elements were consumed before it.
    """
    tokens = list(error.absolute_schema_path)
    levels: list[Level] = []
    consumed = 0
    i = 0
    while i < len(tokens):
        keyword = tokens[i]
        if not isinstance(keyword, str):
            break
        has_sub = (
            keyword in _NAMED
            or keyword in _INDEXED
            or (keyword == "items" and i + 1 < len(tokens) and isinstance(tokens[i + 1], int))
        )
        end = i + 2 if has_sub else i + 1
        levels.append((keyword, i, end, consumed))
        if has_sub or keyword in _ONE_SCHEMA:
            i = end
        else:
            break
        if keyword in _CONSUMES:
            consumed += 1
    return levels


def _go_walk(errors: Iterable[ValidationError]) -> list[ValidationError]:
    """Errors in gojsonschema's order, without those Go never reaches: after a wrong ``type``
    it checks nothing else of that value against that schema."""
    errors = list(errors)
    failures = [
        (tuple(e.absolute_schema_path)[:-1], tuple(e.absolute_path))
        for e in errors
        if e.validator == "type"
    ]

    def shadowed(error: ValidationError) -> bool:
        schema_path = tuple(error.absolute_schema_path)
        path = tuple(error.absolute_path)
        for where, instance in failures:
            n = len(where)
            if (
                len(schema_path) > n
                and schema_path[:n] == where
                and schema_path[n] != "type"
                and path[: len(instance)] == instance
            ):
                return True
        return False

    kept = [e for e in errors if not shadowed(e)] if failures else errors
    # Sort by (check rank, child) at every level; children (a property, an item, a branch)
    # keep the order in which jsonschema first reported them, and stay together.
    seen: dict[tuple[Any, ...], int] = {}
    keys: list[tuple[tuple[int, int], ...]] = []
    for error in kept:
        tokens = tuple(error.absolute_schema_path)
        path = tuple(error.absolute_path)
        key = []
        for keyword, _, end, consumed in _levels(error):
            step = consumed + (1 if keyword in _CONSUMES else 0)
            child = seen.setdefault((tokens[:end], path[:step]), len(seen))
            key.append((_RANK.get(keyword, 50), child))
        keys.append(tuple(key))
    order = sorted(range(len(kept)), key=lambda index: keys[index])
    return [kept[index] for index in order]


def _simple(keyword: str, spec: Any, schema: dict[str, Any], field: str) -> tuple[str, str] | None:
    """``(type, description)`` of the keywords that map to exactly one record."""
    n = _number(spec)
    if keyword in ("minimum", "maximum"):  # draft 4 makes them exclusive with a boolean
        strict = schema.get("exclusiveMinimum" if keyword == "minimum" else "exclusiveMaximum")
        if keyword == "minimum":
            if strict is True:
                return "number_gt", f"Must be greater than {n}"
            return "number_gte", f"Must be greater than or equal to {n}"
        if strict is True:
            return "number_lt", f"Must be less than {n}"
        return "number_lte", f"Must be less than or equal to {n}"
    if keyword == "enum" and isinstance(spec, list):
        allowed = ", ".join(go_json_dumps(item) for item in spec)
        return "enum", f"{field} must be one of the following: {allowed}"
    if keyword == "const":
        return "const", f"{field} does not match: {go_json_dumps(spec)}"
    table = {
        "exclusiveMinimum": ("number_gt", f"Must be greater than {n}"),
        "exclusiveMaximum": ("number_lt", f"Must be less than {n}"),
        "multipleOf": ("multiple_of", f"Must be a multiple of {n}"),
        "minLength": ("string_gte", f"String length must be greater than or equal to {n}"),
        "maxLength": ("string_lte", f"String length must be less than or equal to {n}"),
        "pattern": ("pattern", f"Does not match pattern '{spec}'"),
        "format": ("format", f"Does not match format '{spec}'"),
        "minItems": ("array_min_items", f"Array must have at least {n} items"),
        "maxItems": ("array_max_items", f"Array must have at most {n} items"),
        "additionalItems": ("array_no_additional_items", "No additional items allowed on array"),
        "contains": ("contains", "At least one of the items must match"),
        "minProperties": ("array_min_properties", f"Must have at least {n} properties"),
        "maxProperties": ("array_max_properties", f"Must have at most {n} properties"),
        "not": ("number_not", "Must not validate the schema (not)"),
        "anyOf": ("number_any_of", "Must validate at least one schema (anyOf)"),
        "oneOf": ("number_one_of", "Must validate one and only one schema (oneOf)"),
    }
    return table.get(keyword)


class _Translator:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.expanded: set[tuple[Any, ...]] = set()

    def _first_time(self, error: ValidationError) -> bool:
        """jsonschema repeats some errors per item (each missing property); expand once."""
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
        if not isinstance(keyword, str):  # a ``false`` subschema
            return [_record(field, "false", "False always fails validation", value)]
        if keyword == "type":
            types = spec if isinstance(spec, list) else [spec]
            expected = str(types[0]) if len(types) == 1 else "[" + ",".join(map(str, types)) + "]"
            description = f"Invalid type. Expected: {expected}, given: {_json_type(value)}"
            return [_record(field, "invalid_type", description, value)]
        if keyword in ("required", "dependencies", "dependentRequired", "additionalProperties"):
            if not isinstance(value, dict) or not self._first_time(error):
                return []
            return self._per_property(keyword, spec, schema, field, value)
        if keyword == "uniqueItems":
            return self._duplicates(field, value) if isinstance(value, list) else []
        described = _simple(keyword, spec, schema, field)
        if described is None:
            return [_record(field, keyword, error.message, value)]
        records = [_record(field, described[0], described[1], value)]
        if keyword in ("anyOf", "oneOf"):
            records.extend(self._closest_branch(error.context or []))
        return records

    def _per_property(
        self, keyword: str, spec: Any, schema: dict[str, Any], field: str, value: dict[str, Any]
    ) -> list[Record]:
        if keyword == "required":
            missing = [name for name in spec if name not in value]
            return [_record(name, "required", f"{name} is required", value) for name in missing]
        if keyword == "additionalProperties":
            known = schema.get("properties", {})
            patterns = list(schema.get("patternProperties", {}))
            return [
                _record(key, "additional_property_not_allowed",
                        f"Additional property {key} is not allowed", item)
                for key, item in value.items()
                if key not in known and not any(re.search(p, key) for p in patterns)
            ]  # fmt: skip
        return [
            _record(field, "missing_dependency", f"Has a dependency on {dep}", value)
            for key in value
            if isinstance(spec.get(key), list)
            for dep in spec[key]
            if dep not in value
        ]

    def _duplicates(self, field: str, value: list[Any]) -> list[Record]:
        last: dict[str, int] = {}
        records: list[Record] = []
        for j, item in enumerate(value):
            key = go_json_dumps(item)
            if key in last:
                description = f"array items[{last[key]},{j}] must be unique"
                records.append(_record(field, "unique", description, value))
            last[key] = j
        return records

    def _closest_branch(self, context: Iterable[ValidationError]) -> list[Record]:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in context:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else 0
            branches.setdefault(branch, []).append(sub)
        if not branches:
            return []
        closest = min(branches.values(), key=lambda branch: len(branch))
        return self.convert_all(closest)

    def _wrapper(self, keyword: str, instance_path: tuple[Any, ...], error: ValidationError
                 ) -> Record:  # fmt: skip
        target = _at(self.document, instance_path)
        field = _field(instance_path)
        if keyword == "allOf":
            return _record(field, "number_all_of", "Must validate all the schemas (allOf)", target)
        if keyword == "propertyNames":
            name = str(error.instance)
            description = f'Property name of "{name}" does not match'
            return _record(name, "invalid_property_name", description, target)
        which = '"then" as "if" was valid' if keyword == "then" else '"else" as "if" was not valid'
        return _record(field, f"condition_{keyword}", f"Must validate {which}", target)

    def convert_all(self, errors: Iterable[ValidationError]) -> list[Record]:
        """Records of ``errors`` in Go's order, with the wrapper errors placed around them."""
        records: list[Record] = []
        opened: set[tuple[Any, ...]] = set()
        all_of: dict[tuple[Any, ...], tuple[int, int, Record]] = {}
        for error in _go_walk(errors):
            path = tuple(error.absolute_path)
            tokens = tuple(error.absolute_schema_path)
            wrappers = [
                (kw, tokens[: pos + 1], path[:consumed])
                for kw, pos, _, consumed in _levels(error)
                if kw in _WRAPPERS
            ]
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
    return _Translator(document).convert_all(validator.iter_errors(document))


__all__ = ["Record", "go_errors"]
