"""Engine configuration: the fields of the Go engine's ``types.Config`` in snake_case.

``Config()`` is the engine default (Go ``types.DefaultConfig()``). Named presets are available
through :func:`preset`. Durations are :class:`datetime.timedelta`. :func:`config_from_go` and
:meth:`Config.to_go` convert to and from the Go field names (durations as integer nanoseconds)
used in Go-written snapshots.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from pytest_wfsnap.engine.goduration import timedelta_to_ns
from pytest_wfsnap.errors import ConfigError

KiB = 1024
MiB = 1024 * 1024

# snake_case field -> Go field name, in the Go struct's declaration order.
GO_FIELD_NAMES: dict[str, str] = {
    "max_execution_time": "MaxExecutionTime",
    "max_node_execution_time": "MaxNodeExecutionTime",
    "max_iterations": "MaxIterations",
    "http_timeout": "HTTPTimeout",
    "max_http_redirects": "MaxHTTPRedirects",
    "max_response_size": "MaxResponseSize",
    "max_http_calls_per_exec": "MaxHTTPCallsPerExec",
    "allowed_url_patterns": "AllowedURLPatterns",
    "block_internal_ips": "BlockInternalIPs",
    "allow_http": "AllowHTTP",
    "allowed_domains": "AllowedDomains",
    "allow_private_ips": "AllowPrivateIPs",
    "allow_localhost": "AllowLocalhost",
    "allow_link_local": "AllowLinkLocal",
    "allow_cloud_metadata": "AllowCloudMetadata",
    "default_cache_ttl": "DefaultCacheTTL",
    "max_cache_size": "MaxCacheSize",
    "max_input_size": "MaxInputSize",
    "max_payload_size": "MaxPayloadSize",
    "max_nodes": "MaxNodes",
    "max_edges": "MaxEdges",
    "max_node_executions": "MaxNodeExecutions",
    "max_string_length": "MaxStringLength",
    "max_array_length": "MaxArrayLength",
    "max_variables": "MaxVariables",
    "max_context_depth": "MaxContextDepth",
    "default_max_attempts": "DefaultMaxAttempts",
    "default_backoff": "DefaultBackoff",
}
SNAKE_FIELD_NAMES: dict[str, str] = {go: snake for snake, go in GO_FIELD_NAMES.items()}
DURATION_FIELDS = frozenset(
    {
        "max_execution_time",
        "max_node_execution_time",
        "http_timeout",
        "default_cache_ttl",
        "default_backoff",
    }
)
# Settings that widen or narrow network access. ``load_snapshot`` takes these from the caller's
# config unless the caller trusts the snapshot (a snapshot must never widen security).
NETWORK_FIELDS = frozenset(
    {
        "allow_http",
        "allowed_domains",
        "allowed_url_patterns",
        "allow_private_ips",
        "allow_localhost",
        "allow_link_local",
        "allow_cloud_metadata",
        "block_internal_ips",
        "http_timeout",
        "max_http_redirects",
        "max_response_size",
        "max_http_calls_per_exec",
    }
)


class Config(BaseModel):
    """Engine configuration. The defaults are the Go engine's ``types.DefaultConfig()``."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)

    max_execution_time: timedelta = timedelta(minutes=5)
    max_node_execution_time: timedelta = timedelta(seconds=30)
    max_iterations: int = 1000
    http_timeout: timedelta = timedelta(seconds=30)
    max_http_redirects: int = 10
    max_response_size: int = 10 * MiB
    max_http_calls_per_exec: int = 100
    allowed_url_patterns: list[str] | None = []
    block_internal_ips: bool = True
    allow_http: bool = False
    allowed_domains: list[str] | None = []
    allow_private_ips: bool = False
    allow_localhost: bool = False
    allow_link_local: bool = False
    allow_cloud_metadata: bool = False
    default_cache_ttl: timedelta = timedelta(hours=1)
    max_cache_size: int = 1000
    max_input_size: int = 10 * MiB
    max_payload_size: int = 1 * MiB
    max_nodes: int = 1000
    max_edges: int = 10000
    max_node_executions: int = 10000
    max_string_length: int = 1 * MiB
    max_array_length: int = 10000
    max_variables: int = 1000
    max_context_depth: int = 32
    default_max_attempts: int = 3
    default_backoff: timedelta = timedelta(seconds=1)

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied and validated (unknown names are an error)."""
        return make_config({**self.model_dump(), **changes})

    def to_go(self) -> dict[str, Any]:
        """The config with Go field names and durations as integer nanoseconds."""
        return self.to_fields(go_names=True)

    def to_fields(self, *, go_names: bool = False) -> dict[str, Any]:
        """Every field as plain data: durations as integer nanoseconds, lists copied; under the
        snake_case names (a snapshot's form), or the Go names with ``go_names``."""
        out: dict[str, Any] = {}
        for name, go_name in GO_FIELD_NAMES.items():
            value = getattr(self, name)
            if isinstance(value, timedelta):
                value = timedelta_to_ns(value)
            elif isinstance(value, list):
                value = list(value)
            out[go_name if go_names else name] = value
        return out


def make_config(fields: Mapping[str, Any], *, where: str = "config") -> Config:
    """Build a validated :class:`Config` from snake_case fields; errors name the bad field."""
    unknown = sorted(set(fields) - set(GO_FIELD_NAMES))
    if unknown:
        raise ConfigError(
            f"{where}: unknown config field(s) {', '.join(unknown)}; "
            f"valid fields: {', '.join(GO_FIELD_NAMES)}"
        )
    try:
        return Config.model_validate(dict(fields))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"{where}: invalid config: {problems}") from None


def config_from_go(fields: Mapping[str, Any], *, where: str = "config") -> Config:
    """Build a Config from Go field names (durations in nanoseconds); snake_case also accepted.

    Missing fields take the engine default (as a Go struct zero-fills, but missing keys in this
    port's own snapshots mean "default").
    """
    converted: dict[str, Any] = {}
    for key, value in fields.items():
        snake = SNAKE_FIELD_NAMES.get(key, key)
        if snake in DURATION_FIELDS and isinstance(value, int) and not isinstance(value, bool):
            value = timedelta(microseconds=value / 1000)
        converted[snake] = value
    return make_config(converted, where=where)


def _development() -> Config:
    return Config(
        max_execution_time=timedelta(minutes=30),
        max_node_execution_time=timedelta(minutes=5),
        max_iterations=10000,
        max_http_calls_per_exec=1000,
        allow_http=True,
        allow_private_ips=True,
        allow_localhost=True,
        max_nodes=10000,
        max_edges=100000,
        max_node_executions=100000,
        max_string_length=10 * MiB,
        max_array_length=100000,
        max_variables=10000,
        max_context_depth=64,
    )


def _zero_trust() -> Config:
    return Config(
        max_execution_time=timedelta(seconds=30),
        max_node_execution_time=timedelta(seconds=5),
        max_iterations=50,
        http_timeout=timedelta(seconds=10),
        max_http_redirects=0,
        max_response_size=1 * MiB,
        max_http_calls_per_exec=0,
        default_cache_ttl=timedelta(minutes=5),
        max_cache_size=100,
        max_input_size=1 * MiB,
        max_payload_size=512 * KiB,
        max_nodes=50,
        max_edges=200,
        max_node_executions=500,
        max_string_length=50 * KiB,
        max_array_length=500,
        max_variables=50,
        max_context_depth=10,
        default_max_attempts=1,
        default_backoff=timedelta(0),
    )


def _validation_limits() -> Config:
    return Config(
        max_execution_time=timedelta(minutes=1),
        max_node_execution_time=timedelta(seconds=10),
        max_iterations=100,
        max_http_calls_per_exec=10,
        allow_http=True,
        max_nodes=100,
        max_edges=1000,
        max_node_executions=1000,
        max_string_length=100 * KiB,
        max_array_length=1000,
        max_variables=100,
        max_context_depth=16,
    )


def _config_default() -> Config:
    # Go config.Default(): unused by the engine path, offered for completeness.
    return Config(
        max_iterations=10000,
        allowed_url_patterns=None,
        allowed_domains=None,
        max_input_size=1 * MiB,
        max_payload_size=10 * MiB,
        max_edges=5000,
        max_node_executions=0,
        max_string_length=0,
        max_array_length=0,
        max_variables=0,
        max_context_depth=0,
    )


def _testing() -> Config:
    # The Go tests' testConfig(): DefaultConfig + HTTP to localhost allowed.
    return Config(allow_http=True, allow_localhost=True, block_internal_ips=False)


_PRESETS = {
    "default": Config,
    "zero_trust": _zero_trust,
    "validation_limits": _validation_limits,
    "development": _development,
    "config_default": _config_default,
    "testing": _testing,
}
# Go spellings accepted too (conformance cases name presets this way).
_PRESET_ALIASES = {
    "DefaultConfig": "default",
    "ZeroTrustConfig": "zero_trust",
    "ValidationLimits": "validation_limits",
    "DevelopmentConfig": "development",
    "Default": "config_default",
    "testConfig": "testing",
}


def preset_names() -> list[str]:
    """Names accepted by :func:`preset`."""
    return list(_PRESETS)


def preset(name: str) -> Config:
    """A named preset.

    Names: default, zero_trust, validation_limits, development, config_default, testing (the Go
    spellings such as ``ZeroTrustConfig`` are accepted too).
    """
    key = _PRESET_ALIASES.get(name, name)
    factory = _PRESETS.get(key)
    if factory is None:
        raise ConfigError(f"unknown config preset {name!r}; choose one of: {', '.join(_PRESETS)}")
    return factory()


__all__ = [
    "DURATION_FIELDS",
    "GO_FIELD_NAMES",
    "NETWORK_FIELDS",
    "Config",
    "config_from_go",
    "make_config",
    "preset",
    "preset_names",
    "timedelta_to_ns",
]
