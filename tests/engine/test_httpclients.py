"""Named HTTP client configs: Go JSON shape, defaults, validation, redaction, registry."""

from __future__ import annotations

import json

import pytest

from pytest_wfsnap.engine.httpclients import (
    REDACTED,
    HTTPClientConfig,
    HTTPClientRegistry,
    parse_client_config,
)
from pytest_wfsnap.engine.ssrf import ClientSSRFPolicy
from pytest_wfsnap.errors import ConfigError, RegistryError

FULL = {
    "uid": "github",
    "description": "GitHub API",
    "auth": {"type": "bearer", "token": {"token": "ghp_secret"}},
    "network": {"timeout": 5_000_000_000, "disable_keep_alives": True},
    "security": {
        "follow_redirects": True,
        "max_redirects": 3,
        "allow_private_ips": True,
        "allowed_domains": ["github.com"],
    },
    "headers": [{"key": "Accept", "value": "application/json"}],
    "query_params": [{"key": "per_page", "value": "100"}],
    "base_url": "https://api.github.com",
}


def test_go_json_shape_is_accepted() -> None:
    config = parse_client_config(json.dumps(FULL))
    assert config.uid == "github"
    assert config.network.timeout == 5_000_000_000
    assert config.network.timeout_seconds == 5.0
    assert config.security.max_redirects == 3
    assert config.security.policy() == ClientSSRFPolicy(
        allow_private_ips=True, allowed_domains=("github.com",)
    )
    assert config.auth_headers() == [("Authorization", "Bearer ghp_secret")]
    assert config.auth_query() == []


def test_zero_values_take_go_defaults() -> None:
    config = parse_client_config(
        {"uid": "x", "network": {"timeout": 0}, "security": {"max_redirects": 0}}
    )
    assert config.network.timeout == 30_000_000_000
    assert config.network.idle_conn_timeout == 90_000_000_000
    assert config.security.max_redirects == 10
    assert config.security.follow_redirects is False
    assert config.auth.type == "none"
    assert config.auth_headers() == []


def test_null_sections_mean_defaults() -> None:
    config = parse_client_config({"uid": "x", "auth": None, "headers": None, "security": None})
    assert config.headers == ()
    assert config.security.allowed_domains == ()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({}, "uid: Field required"),
        ({"uid": ""}, "uid: String should have at least 1 character"),
        ({"uid": "x", "auth": {"type": "oauth"}}, "auth.type"),
        ({"uid": "x", "auth": {"type": "basic", "basic_auth": {"username": "u"}}}, "basic auth"),
        ({"uid": "x", "auth": {"type": "bearer"}}, "bearer auth needs token.token"),
        ({"uid": "x", "auth": {"type": "apikey", "api_key": {"key": "k"}}}, "apikey auth"),
        ({"uid": "x", "network": {"timeout": "30s"}}, "network.timeout"),
        ({"uid": "x", "network": {"timeout": -1}}, "network.timeout"),
        ({"uid": "x", "security": {"allow_localhsot": True}}, "security.allow_localhsot"),
        (
            {
                "uid": "x",
                "auth": {
                    "type": "apikey",
                    "api_key": {"key": "k", "value": "v", "location": "cookie"},
                },
            },
            "location",
        ),
    ],
)
def test_invalid_configs_name_the_field(data: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_client_config(data)
    assert str(info.value).startswith("invalid HTTP client config: ")
    assert fragment in str(info.value)


def test_secrets_are_redacted_when_serialised_and_hidden_from_repr() -> None:
    config = parse_client_config(
        {
            "uid": "x",
            "auth": {
                "type": "basic",
                "basic_auth": {"username": "bob", "password": "pw-s3cr3t"},
                "token": {"token": "tok-s3cr3t"},
                "api_key": {"key": "K", "value": "val-s3cr3t"},
            },
        }
    )
    dumped = config.model_dump()
    assert dumped["auth"]["basic_auth"] == {"username": "bob", "password": REDACTED}
    assert dumped["auth"]["token"] == {"token": REDACTED}
    assert dumped["auth"]["api_key"]["value"] == REDACTED
    text = config.model_dump_json()
    for secret in ("pw-s3cr3t", "tok-s3cr3t", "val-s3cr3t"):
        assert secret not in text
        assert secret not in repr(config)
    assert REDACTED == "***REDACTED***"
    revealed = config.model_dump(context={"reveal_secrets": True})
    assert revealed["auth"]["basic_auth"]["password"] == "pw-s3cr3t"
    assert parse_client_config(revealed) == config


def test_empty_secret_serialises_as_empty() -> None:
    assert HTTPClientConfig(uid="x").model_dump()["auth"]["token"] is None
    config = parse_client_config({"uid": "x", "auth": {"token": {"token": ""}}})
    assert config.model_dump()["auth"]["token"] == {"token": ""}


def test_api_key_locations() -> None:
    header = parse_client_config(
        {"uid": "h", "auth": {"type": "apikey", "api_key": {"key": "X-Key", "value": "v"}}}
    )
    assert header.auth_headers() == [("X-Key", "v")]
    assert header.auth_query() == []
    query = parse_client_config(
        {
            "uid": "q",
            "auth": {"type": "apikey", "api_key": {"key": "k", "value": "v", "location": "query"}},
        }
    )
    assert query.auth_headers() == []
    assert query.auth_query() == [("k", "v")]


def test_registry_register_get_list_and_duplicates() -> None:
    registry = HTTPClientRegistry()
    registry.register({"uid": "b"})
    registry.register(HTTPClientConfig(uid="a"))
    assert registry.list() == ["a", "b"]
    assert list(registry) == ["a", "b"]
    assert len(registry) == 2
    assert registry.get_client("a").uid == "a"
    assert registry["b"].uid == "b"
    assert registry.get("missing") is None
    assert "a" in registry
    with pytest.raises(RegistryError, match="uid 'a' is already registered"):
        registry.register({"uid": "a", "description": "again"})
    with pytest.raises(
        RegistryError, match=r"no HTTP client registered with uid 'zz' \(registered: a, b\)"
    ):
        registry.get_client("zz")
    registry.unregister("a")
    assert registry.list() == ["b"]
    with pytest.raises(RegistryError):
        registry.unregister("a")


def test_registry_from_mapping_validates_entries() -> None:
    registry = HTTPClientRegistry({"one": {"uid": "one"}})
    assert registry.list() == ["one"]
    with pytest.raises(ConfigError):
        HTTPClientRegistry({"bad": {"uid": "bad", "network": {"timeout": 1.5}}})
