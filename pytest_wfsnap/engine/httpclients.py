"""Named HTTP clients (Go ``backend/pkg/httpclient``): configs and a registry.

An HTTP node whose ``http_client_uid`` names a registered client sends its request with that
client's authentication, headers, query parameters, timeout, redirect policy and SSRF rules
(see :class:`~pytest_wfsnap.engine.ssrf.ClientSSRFPolicy`). A uid never skips URL validation.

The config mirrors the Go JSON shape (``{"uid": ..., "auth": {...}, "network": {...},
"security": {...}, "headers": [...], "query_params": [...]}``); durations are integer
nanoseconds, as Go writes them. Zero values take the Go defaults (timeout 30s, max_redirects 10,
...), as Go's ``ApplyDefaults`` does. Unknown keys are rejected, so a mistyped security setting
is an error instead of a silently wider client.

Secrets (basic-auth password, bearer token, API-key value) are never shown: ``repr`` leaves them
out and serialising (``model_dump``/``model_dump_json``) writes ``***REDACTED***`` (an empty
secret stays ""). Pass ``context={"reveal_secrets": True}`` to serialise them for storage.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FieldSerializationInfo,
    StrictInt,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from pytest_wfsnap.engine.ssrf import ClientSSRFPolicy
from pytest_wfsnap.errors import ConfigError, RegistryError

REDACTED = "***REDACTED***"
_SECOND = 1_000_000_000
_MODEL = ConfigDict(extra="forbid", frozen=True)


def _redact(value: str, info: FieldSerializationInfo) -> str:
    context = info.context
    if isinstance(context, Mapping) and context.get("reveal_secrets"):
        return value
    return REDACTED if value else ""


class BasicAuth(BaseModel):
    model_config = _MODEL
    username: str = ""
    password: str = Field(default="", repr=False)

    @field_serializer("password")
    def _hide_password(self, value: str, info: FieldSerializationInfo) -> str:
        return _redact(value, info)


class TokenAuth(BaseModel):
    model_config = _MODEL
    token: str = Field(default="", repr=False)

    @field_serializer("token")
    def _hide_token(self, value: str, info: FieldSerializationInfo) -> str:
        return _redact(value, info)


class APIKeyAuth(BaseModel):
    model_config = _MODEL
    key: str = ""
    value: str = Field(default="", repr=False)
    location: Literal["header", "query"] = "header"

    @field_serializer("value")
    def _hide_value(self, value: str, info: FieldSerializationInfo) -> str:
        return _redact(value, info)


class AuthConfig(BaseModel):
    model_config = _MODEL
    type: Literal["none", "basic", "bearer", "apikey"] = "none"
    basic_auth: BasicAuth | None = None
    token: TokenAuth | None = None
    api_key: APIKeyAuth | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return "none" if value == "" else value

    @model_validator(mode="after")
    def _check_credentials(self) -> AuthConfig:
        if self.type == "basic" and (
            self.basic_auth is None or not self.basic_auth.username or not self.basic_auth.password
        ):
            raise ValueError("basic auth needs basic_auth.username and basic_auth.password")
        if self.type == "bearer" and (self.token is None or not self.token.token):
            raise ValueError("bearer auth needs token.token")
        if self.type == "apikey" and (
            self.api_key is None or not self.api_key.key or not self.api_key.value
        ):
            raise ValueError("apikey auth needs api_key.key and api_key.value")
        return self


def _default_if_zero(value: int, default: int) -> int:
    return default if value == 0 else value


class NetworkConfig(BaseModel):
    """Transport settings; durations are integer nanoseconds (Go ``time.Duration``)."""

    model_config = _MODEL
    timeout: StrictInt = Field(default=30 * _SECOND, ge=0)
    max_idle_conns: StrictInt = Field(default=100, ge=0)
    max_idle_conns_per_host: StrictInt = Field(default=10, ge=0)
    max_conns_per_host: StrictInt = Field(default=100, ge=0)
    idle_conn_timeout: StrictInt = Field(default=90 * _SECOND, ge=0)
    tls_handshake_timeout: StrictInt = Field(default=10 * _SECOND, ge=0)
    disable_keep_alives: bool = False

    @model_validator(mode="before")
    @classmethod
    def _zero_means_default(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        defaults = {
            "timeout": 30 * _SECOND,
            "max_idle_conns": 100,
            "max_idle_conns_per_host": 10,
            "max_conns_per_host": 100,
            "idle_conn_timeout": 90 * _SECOND,
            "tls_handshake_timeout": 10 * _SECOND,
        }
        fixed = dict(data)
        for name, default in defaults.items():
            value = fixed.get(name)
            if type(value) is int:
                fixed[name] = _default_if_zero(value, default)
        return fixed

    @property
    def timeout_seconds(self) -> float:
        return self.timeout / _SECOND


class SecurityConfig(BaseModel):
    """Redirect policy and SSRF rules. ``max_response_size`` is kept but the HTTP node uses the
    engine's limit (as Go does). ``follow_redirects`` defaults to false, as it does in Go."""

    model_config = _MODEL
    max_redirects: StrictInt = Field(default=10, ge=0)
    max_response_size: StrictInt = Field(default=10 * 1024 * 1024, ge=0)
    follow_redirects: bool = False
    allow_private_ips: bool = False
    allow_localhost: bool = False
    allow_link_local: bool = False
    allow_cloud_metadata: bool = False
    allowed_domains: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _zero_means_default(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        fixed = dict(data)
        if type(fixed.get("max_redirects")) is int:
            fixed["max_redirects"] = _default_if_zero(fixed["max_redirects"], 10)
        if type(fixed.get("max_response_size")) is int:
            fixed["max_response_size"] = _default_if_zero(
                fixed["max_response_size"], 10 * 1024 * 1024
            )
        if fixed.get("allowed_domains") is None:
            fixed.pop("allowed_domains", None)
        return fixed

    def policy(self) -> ClientSSRFPolicy:
        """The SSRF middleware rules of this client."""
        return ClientSSRFPolicy(
            allow_private_ips=self.allow_private_ips,
            allow_localhost=self.allow_localhost,
            allow_link_local=self.allow_link_local,
            allow_cloud_metadata=self.allow_cloud_metadata,
            allowed_domains=self.allowed_domains,
        )


class KeyValue(BaseModel):
    model_config = _MODEL
    key: str
    value: str


class HTTPClientConfig(BaseModel):
    """One named HTTP client (Go ``httpclient.Config``)."""

    model_config = _MODEL
    uid: str = Field(min_length=1)
    description: str = ""
    auth: AuthConfig = AuthConfig()
    network: NetworkConfig = NetworkConfig()
    security: SecurityConfig = SecurityConfig()
    headers: tuple[KeyValue, ...] = ()
    query_params: tuple[KeyValue, ...] = ()
    base_url: str = ""

    @model_validator(mode="before")
    @classmethod
    def _null_lists_are_empty(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if not (v is None and k != "uid")}
        return data

    def auth_headers(self) -> list[tuple[str, str]]:
        """Headers the auth settings add (basic, bearer, API key in a header)."""
        auth = self.auth
        if auth.type == "basic" and auth.basic_auth is not None:
            raw = f"{auth.basic_auth.username}:{auth.basic_auth.password}".encode()
            return [("Authorization", "Basic " + base64.b64encode(raw).decode("ascii"))]
        if auth.type == "bearer" and auth.token is not None:
            return [("Authorization", "Bearer " + auth.token.token)]
        api_key = auth.api_key
        if auth.type == "apikey" and api_key is not None and api_key.location == "header":
            return [(api_key.key, api_key.value)]
        return []

    def auth_query(self) -> list[tuple[str, str]]:
        """Query parameters the auth settings add (an API key with location "query")."""
        api_key = self.auth.api_key
        if self.auth.type == "apikey" and api_key is not None and api_key.location == "query":
            return [(api_key.key, api_key.value)]
        return []


def parse_client_config(data: Mapping[str, Any] | str | bytes) -> HTTPClientConfig:
    """Validate a client config (a mapping or JSON text); errors name the offending field."""
    try:
        if isinstance(data, str | bytes):
            return HTTPClientConfig.model_validate_json(data)
        return HTTPClientConfig.model_validate(dict(data))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid HTTP client config: {problems}") from None


class HTTPClientRegistry(Mapping[str, HTTPClientConfig]):
    """Named HTTP client configs by uid (thread-safe). A read-only mapping of uid -> config, so
    it can be handed to the engine as its ``http_clients``."""

    def __init__(self, clients: Mapping[str, Any] | None = None) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, HTTPClientConfig] = {}
        for config in (clients or {}).values():
            self.register(config)

    def register(self, config: HTTPClientConfig | Mapping[str, Any]) -> HTTPClientConfig:
        """Add a client; a uid that is already registered is an error."""
        if not isinstance(config, HTTPClientConfig):
            config = parse_client_config(config)
        with self._lock:
            if config.uid in self._clients:
                raise RegistryError(
                    f"HTTP client with uid {config.uid!r} is already registered; "
                    "choose another uid or unregister the existing client first"
                )
            self._clients[config.uid] = config
        return config

    def unregister(self, uid: str) -> None:
        with self._lock:
            if self._clients.pop(uid, None) is None:
                raise RegistryError(f"no HTTP client registered with uid {uid!r}")

    def get_client(self, uid: str) -> HTTPClientConfig:
        """The client registered as ``uid``; an unknown uid is an error naming the known ones."""
        with self._lock:
            config = self._clients.get(uid)
            known = sorted(self._clients)
        if config is None:
            raise RegistryError(
                f"no HTTP client registered with uid {uid!r} (registered: {', '.join(known)})"
            )
        return config

    def list(self) -> list[str]:
        """Registered uids, sorted."""
        with self._lock:
            return sorted(self._clients)

    def __getitem__(self, uid: str) -> HTTPClientConfig:
        with self._lock:
            return self._clients[uid]

    def __iter__(self) -> Iterator[str]:
        return iter(self.list())

    def __len__(self) -> int:
        with self._lock:
            return len(self._clients)


__all__ = [
    "REDACTED",
    "APIKeyAuth",
    "AuthConfig",
    "BasicAuth",
    "HTTPClientConfig",
    "HTTPClientRegistry",
    "KeyValue",
    "NetworkConfig",
    "SecurityConfig",
    "TokenAuth",
    "parse_client_config",
]
