"""Config overrides written as text or JSON values (command line, test case files).

Keys may be snake_case (``max_http_calls_per_exec``) or Go names (``MaxHTTPCallsPerExec``);
durations are Go duration strings (``"100ms"``, ``"5m"``) or integer nanoseconds; booleans
``true``/``false``; lists JSON arrays or comma-separated text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pytest_wfsnap.engine.config import (
    DURATION_FIELDS,
    GO_FIELD_NAMES,
    SNAKE_FIELD_NAMES,
    Config,
    preset,
)
from pytest_wfsnap.engine.gofmt import go_parse_duration
from pytest_wfsnap.errors import ConfigError

_BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def field_name(key: str) -> str:
    """The snake_case field for a snake_case or Go config name."""
    name = SNAKE_FIELD_NAMES.get(key, key)
    if name not in GO_FIELD_NAMES:
        raise ConfigError(
            f"unknown config field {key!r}; valid fields: {', '.join(GO_FIELD_NAMES)}"
        )
    return name


def _duration(name: str, value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return timedelta(microseconds=value / 1000)
    if isinstance(value, str):
        ns = go_parse_duration(value.strip())
        if ns is not None:
            return timedelta(microseconds=ns / 1000)
    raise ConfigError(
        f"config field {name}: invalid duration {value!r} (use a Go duration such as "
        "'100ms', '30s' or '5m', or integer nanoseconds)"
    )


def convert_value(name: str, value: Any) -> Any:
    """Convert a JSON or text value for config field ``name`` (snake_case)."""
    if name in DURATION_FIELDS:
        return _duration(name, value)
    default = Config.model_fields[name].default
    if not isinstance(value, str):
        return value
    text = value.strip()
    if isinstance(default, bool):
        flag = _BOOLS.get(text.lower())
        if flag is None:
            raise ConfigError(f"config field {name}: expected true or false, got {value!r}")
        return flag
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"config field {name}: expected an integer, got {value!r}") from None
    if isinstance(default, list):
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError:
                raise ConfigError(f"config field {name}: invalid JSON list {value!r}") from None
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


def apply_overrides(base: Config, overrides: Mapping[str, Any]) -> Config:
    """``base`` with ``overrides`` (Go or snake_case names, text or JSON values) applied."""
    changes = {}
    for key, value in overrides.items():
        name = field_name(key)
        changes[name] = convert_value(name, value)
    return base.replace(**changes) if changes else base


def parse_assignment(text: str) -> tuple[str, str]:
    """Split ``KEY=VALUE``."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value


def config_from_overrides(spec: Mapping[str, Any] | None) -> Config:
    """A config from a test-case style mapping: optional ``_base`` preset name plus fields."""
    if not spec:
        return Config()
    fields = dict(spec)
    base = preset(str(fields.pop("_base", "default")))
    return apply_overrides(base, fields)


__all__ = [
    "apply_overrides",
    "config_from_overrides",
    "convert_value",
    "field_name",
    "parse_assignment",
]
