"""URL validation rules (ENGINE.md B10.2 and B10.3), with injected DNS answers."""

from __future__ import annotations

import pytest

from pytest_wfsnap.engine.goturl import parse_go_url
from pytest_wfsnap.engine.ssrf import (
    ClientSSRFPolicy,
    ConnectDecision,
    Resolver,
    SSRFPolicy,
    system_resolver,
)
from tests.engine.nodes.fakes_http import static_resolver

LOCALHOST = "localhost addresses are blocked (set allow_localhost=true to permit)"
PRIVATE = "private IP addresses are blocked (set allow_private_ips=true to permit)"
LINK_LOCAL = "link-local addresses are blocked (set allow_link_local=true to permit)"
METADATA = "cloud metadata endpoints are blocked (set allow_cloud_metadata=true to permit)"

DNS = static_resolver(
    {
        "example.com": ["93.184.216.34"],
        "api.example.com": ["93.184.216.34"],
        "intranet.test": ["10.0.0.7"],
        "mixed.test": ["93.184.216.34", "fd00::1"],
        "mapped.test": ["::ffff:127.0.0.1"],
        "meta.test": ["169.254.169.254"],
        "zone.test": ["fe80::1%eth0"],
    }
)


def no_dns(host: str) -> list[str]:
    raise AssertionError(f"DNS must not be consulted for {host}")


def check(url: str, policy: SSRFPolicy | None = None, resolver: Resolver = DNS) -> str | None:
    return (policy or SSRFPolicy()).validate_url(url, resolver)


# --- IP literals, in Go's order -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.1", LOCALHOST),
        ("127.8.9.10", LOCALHOST),
        ("[::1]", LOCALHOST),
        ("0.0.0.0", LOCALHOST),
        ("10.0.0.1", PRIVATE),
        ("172.16.0.1", PRIVATE),
        ("172.31.255.255", PRIVATE),
        ("192.168.1.1", PRIVATE),
        ("[fc00::1]", PRIVATE),
        ("[fdff:ffff::1]", PRIVATE),
        ("169.254.0.1", LINK_LOCAL),
        ("[fe80::1]", LINK_LOCAL),
        ("[febf::1]", LINK_LOCAL),
        ("169.254.169.254", LINK_LOCAL),
        ("[fd00:ec2::254]", PRIVATE),
        ("[::ffff:127.0.0.1]", LOCALHOST),
        ("[::ffff:10.1.1.1]", PRIVATE),
        ("[::ffff:169.254.169.254]", LINK_LOCAL),
        ("[::ffff:0.0.0.0]", LOCALHOST),
    ],
)
def test_ip_literals_are_refused_by_default(host: str, reason: str) -> None:
    bare = host.strip("[]")
    assert check(f"http://{host}:8080/path", resolver=no_dns) == (
        f"IP validation failed for {bare}: {reason}"
    )


@pytest.mark.parametrize(
    "host",
    ["93.184.216.34", "172.32.0.1", "172.15.255.255", "100.64.0.1", "0.1.2.3", "[2001:db8::1]"],
)
def test_public_and_unlisted_ranges_are_allowed(host: str) -> None:
    assert check(f"https://{host}/", resolver=no_dns) is None


def test_metadata_address_reports_cloud_metadata_once_link_local_is_allowed() -> None:
    assert check("http://169.254.169.254/", SSRFPolicy(allow_link_local=True)) == (
        f"IP validation failed for 169.254.169.254: {METADATA}"
    )
    assert check("http://[fd00:ec2::254]/", SSRFPolicy(allow_private_ips=True)) == (
        f"IP validation failed for fd00:ec2::254: {METADATA}"
    )


def test_every_allow_flag_opens_its_class() -> None:
    open_policy = SSRFPolicy(
        allow_private_ips=True,
        allow_localhost=True,
        allow_link_local=True,
        allow_cloud_metadata=True,
    )
    for url in (
        "http://127.0.0.1/",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://169.254.169.254/",
        "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/",
        "http://intranet.test/",
    ):
        assert check(url, open_policy, static_resolver({"intranet.test": ["10.0.0.7"]})) is None


# --- hostnames and DNS answers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://localhost/", "localhost addresses are blocked"),
        ("http://LocalHost:3000/", "localhost addresses are blocked"),
        ("http://metadata.google.internal/computeMetadata/v1/", METADATA),
        ("http://METADATA.AZURE.COM/", METADATA),
    ],
)
def test_blocked_hostnames_need_no_dns(url: str, reason: str) -> None:
    assert check(url, resolver=no_dns) == reason


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("intranet.test", f"IP validation failed for intranet.test (10.0.0.7): {PRIVATE}"),
        ("mixed.test", f"IP validation failed for mixed.test (fd00::1): {PRIVATE}"),
        ("mapped.test", f"IP validation failed for mapped.test (127.0.0.1): {LOCALHOST}"),
        ("meta.test", f"IP validation failed for meta.test (169.254.169.254): {LINK_LOCAL}"),
        ("zone.test", f"IP validation failed for zone.test (fe80::1): {LINK_LOCAL}"),
    ],
)
def test_every_dns_answer_is_checked(host: str, reason: str) -> None:
    assert check(f"http://{host}/") == reason


def test_dns_failure_allows_the_url() -> None:
    assert check("http://unknown.test/") is None


def test_public_dns_answer_is_allowed() -> None:
    assert check("https://example.com/x?y=1#z") is None


# --- allowlist, scheme, hostname, parse errors ---------------------------------------------------


def test_default_allowlist_is_exact_and_case_insensitive() -> None:
    policy = SSRFPolicy(allowed_domains=frozenset({"example.com"}))
    assert check("https://example.com/", policy) is None
    assert check("https://EXAMPLE.com/", policy) is None
    assert check("https://api.example.com/", policy) == "domain not in allowlist: api.example.com"
    assert check("https://other.org/", policy) == "domain not in allowlist: other.org"


def test_allowlist_does_not_bypass_ip_rules() -> None:
    policy = SSRFPolicy(allowed_domains=frozenset({"10.0.0.1", "intranet.test"}))
    assert check("http://10.0.0.1/", policy) == f"IP validation failed for 10.0.0.1: {PRIVATE}"
    assert check("http://intranet.test/", policy) == (
        f"IP validation failed for intranet.test (10.0.0.7): {PRIVATE}"
    )


def test_allowlist_from_engine_config_is_lowercased() -> None:
    from pytest_wfsnap.engine.config import Config

    policy = SSRFPolicy.from_config(Config(allowed_domains=["Example.COM"], allow_localhost=True))
    assert policy.allow_localhost is True
    assert check("http://example.com/", policy) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/", "URL scheme not allowed: ftp (allowed: [http https])"),
        ("FILE:///etc/passwd", "URL scheme not allowed: file (allowed: [http https])"),
        ("gopher://127.0.0.1/", "URL scheme not allowed: gopher (allowed: [http https])"),
        ("", "URL scheme not allowed:  (allowed: [http https])"),
        ("example.com/path", "URL scheme not allowed:  (allowed: [http https])"),
        ("http:///path", "URL missing hostname"),
        ("http://:80/", "URL missing hostname"),
        ("http:example.com", "URL missing hostname"),
        ("http://[::1", "invalid URL: parse \"http://[::1\": missing ']' in host"),
        (
            "http://host:port/",
            'invalid URL: parse "http://host:port/": invalid port ":port" after host',
        ),
        (
            "http://exa mple.com/",
            'invalid URL: parse "http://exa mple.com/": invalid character " " in host name',
        ),
        ("http://a%zzb/", 'invalid URL: parse "http://a%zzb/": invalid URL escape "%zz"'),
        ("http://x/%4", 'invalid URL: parse "http://x/%4": invalid URL escape "%4"'),
        (
            "http://x/\n",
            'invalid URL: parse "http://x/\\n": net/url: invalid control character in URL',
        ),
        (":foo", 'invalid URL: parse ":foo": missing protocol scheme'),
        ("http://x/#%zz", 'invalid URL: parse "http://x/#%zz": invalid URL escape "%zz"'),
        (
            "http://a b@example.com/",
            'invalid URL: parse "http://a b@example.com/": net/url: invalid userinfo',
        ),
    ],
)
def test_scheme_hostname_and_parse_errors(url: str, reason: str) -> None:
    assert check(url, resolver=no_dns) == reason


# --- named-client middleware rules ----------------------------------------------------------------


def client_check(url: str, policy: ClientSSRFPolicy | None = None) -> str | None:
    return (policy or ClientSSRFPolicy()).validate_url(url, DNS)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (
            "http://127.0.0.1/",
            "IP validation failed for 127.0.0.1: localhost/loopback addresses are blocked",
        ),
        ("http://[::1]/", "IP validation failed for ::1: localhost/loopback addresses are blocked"),
        (
            "http://169.254.169.254/",
            "IP validation failed for 169.254.169.254: link-local addresses are blocked",
        ),
        (
            "http://224.0.0.251/",
            "IP validation failed for 224.0.0.251: link-local addresses are blocked",
        ),
        ("http://[ff02::1]/", "IP validation failed for ff02::1: link-local addresses are blocked"),
        ("http://10.0.0.1/", "IP validation failed for 10.0.0.1: private IP addresses are blocked"),
        (
            "http://[fd00:ec2::254]/",
            "IP validation failed for fd00:ec2::254: private IP addresses are blocked",
        ),
        (
            "http://100.100.100.200/",
            "IP validation failed for 100.100.100.200: cloud metadata endpoints are blocked",
        ),
        (
            "http://intranet.test/",
            "IP validation failed for 10.0.0.7: private IP addresses are blocked",
        ),
        (
            "http://mapped.test/",
            "IP validation failed for 127.0.0.1: localhost/loopback addresses are blocked",
        ),
        ("ftp://example.com/", "unsupported scheme: ftp (only http and https are allowed)"),
        ("http:///x", "missing hostname in URL"),
    ],
)
def test_client_middleware_rules(url: str, reason: str) -> None:
    assert client_check(url) == reason


def test_client_rules_order_and_flags() -> None:
    assert client_check("http://169.254.169.254/", ClientSSRFPolicy(allow_link_local=True)) == (
        "IP validation failed for 169.254.169.254: cloud metadata endpoints are blocked"
    )
    # Go's middleware does not treat 0.0.0.0 as loopback.
    assert client_check("http://0.0.0.0/") is None
    assert client_check("http://localhost.test/") is None  # DNS failure: allowed
    everything = ClientSSRFPolicy(
        allow_private_ips=True,
        allow_localhost=True,
        allow_link_local=True,
        allow_cloud_metadata=True,
    )
    assert client_check("http://100.100.100.200/", everything) is None


def test_client_allowlist_admits_subdomains() -> None:
    policy = ClientSSRFPolicy(allowed_domains=("example.com",))
    assert client_check("https://example.com/", policy) is None
    assert client_check("https://api.example.com/", policy) is None
    assert client_check("https://API.Example.com/", policy) is None
    assert client_check("https://badexample.com/", policy) == (
        "domain badexample.com is not in allowed domains list"
    )
    assert client_check("https://example.com.evil.org/", policy) == (
        "domain example.com.evil.org is not in allowed domains list"
    )


# --- connect-time decisions (what the transport may dial) ----------------------------------------


def test_connect_check_returns_only_checked_addresses() -> None:
    assert SSRFPolicy().check_connect("example.com", DNS) == ConnectDecision(("93.184.216.34",))
    assert SSRFPolicy().check_connect("93.184.216.34", no_dns) == ConnectDecision(
        ("93.184.216.34",)
    )
    decision = SSRFPolicy().check_connect("mixed.test", DNS)
    assert decision.addresses == ()
    assert decision.error == f"IP validation failed for mixed.test (fd00::1): {PRIVATE}"


def test_connect_check_refuses_what_validation_refuses() -> None:
    policy = SSRFPolicy(allowed_domains=frozenset({"example.com"}))
    assert policy.check_connect("other.org", DNS).error == "domain not in allowlist: other.org"
    assert (
        SSRFPolicy().check_connect("localhost", no_dns).error == "localhost addresses are blocked"
    )
    assert SSRFPolicy().check_connect("::1", no_dns).error == (
        f"IP validation failed for ::1: {LOCALHOST}"
    )


def test_connect_check_fails_when_dns_fails() -> None:
    assert SSRFPolicy().check_connect("unknown.test", DNS).error == (
        "dial tcp: lookup unknown.test: no such host"
    )
    assert ClientSSRFPolicy().check_connect("unknown.test", DNS).error == (
        "dial tcp: lookup unknown.test: no such host"
    )


def test_client_connect_check() -> None:
    policy = ClientSSRFPolicy(allowed_domains=("example.com",))
    assert policy.check_connect("api.example.com", DNS).addresses == ("93.184.216.34",)
    assert policy.check_connect("evil.org", DNS).error == (
        "domain evil.org is not in allowed domains list"
    )
    assert ClientSSRFPolicy().check_connect("intranet.test", DNS).error == (
        "IP validation failed for 10.0.0.7: private IP addresses are blocked"
    )


def test_idna_hostnames_match_allowlist_in_both_spellings() -> None:
    policy = SSRFPolicy(allowed_domains=frozenset({"bücher.example"}))
    assert check("http://bücher.example/", policy, static_resolver({})) is None
    assert policy.check_connect("xn--bcher-kva.example", static_resolver({})).error == (
        "dial tcp: lookup xn--bcher-kva.example: no such host"
    )


# --- the system resolver --------------------------------------------------------------------


def test_system_resolver_returns_literals_and_fails_with_oserror() -> None:
    assert system_resolver("127.0.0.1") == ["127.0.0.1"]
    with pytest.raises(OSError):
        system_resolver("a" * 300 + ".test")


# --- Go URL parsing details the rules depend on -----------------------------------------------


@pytest.mark.parametrize(
    ("url", "hostname", "port"),
    [
        ("http://user:pw@Example.com:8080/p?q#f", "Example.com", "8080"),
        ("http://[fe80::1%25eth0]:80/", "fe80::1%eth0", "80"),
        ("http://[::1]/", "::1", ""),
        ("http://a@b@evil.test/", "evil.test", ""),
        ("HTTP://host.test", "host.test", ""),
        ("http://host.test:/", "host.test", ""),
        ("http:host.test", "", ""),
        ("//host.test/x", "host.test", ""),
    ],
)
def test_go_hostname_and_port(url: str, hostname: str, port: str) -> None:
    parsed = parse_go_url(url)
    assert (parsed.hostname, parsed.port) == (hostname, port)


def test_go_url_parts() -> None:
    parsed = parse_go_url("HTTPS://bob:s%40fe@host.test/a%20b?x=1#frag%21")
    assert parsed.scheme == "https"
    assert (parsed.username, parsed.password) == ("bob", "s@fe")
    assert parsed.path == "/a b"
    assert parsed.raw_query == "x=1"
    assert parsed.fragment == "frag!"
    assert parse_go_url("mailto:a@b.test").opaque == "a@b.test"


def test_zone_in_a_literal_is_not_an_ip_literal() -> None:
    # Go's ParseIP rejects zones, so such a host goes through the hostname path and DNS.
    answers = static_resolver({"fe80::1%eth0": ["fe80::1%eth0"]})
    assert check("http://[fe80::1%25eth0]/", resolver=answers) == (
        f"IP validation failed for fe80::1%eth0 (fe80::1): {LINK_LOCAL}"
    )
