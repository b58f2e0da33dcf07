"""URL validation against server-side request forgery (Go ``security.SSRFProtection``).

Two rule sets, both deny-by-default:

* :class:`SSRFPolicy`: the engine's rules for the default HTTP client (ENGINE.md B10.2). Exact
  hostname allowlist; IP literals checked in the order localhost, private, link-local, cloud
  metadata (so ``169.254.169.254`` reports link-local and ``fd00:ec2::254`` reports private);
  a hostname blocklist for localhost names and metadata hostnames; then every DNS answer is
  checked. A DNS failure allows the URL (the request itself then fails).
* :class:`ClientSSRFPolicy`: the middleware rules of a named HTTP client (B10.3): the allowlist
  also admits subdomains, ``100.100.100.200`` counts as a metadata address, and the messages
  are the middleware's.

Both take a :data:`Resolver` (``hostname -> IP strings``, raising ``OSError`` on failure), so
tests can simulate DNS answers that point at private or metadata addresses.

Besides :meth:`validate_url` (run before each request and each redirect hop), both offer
:meth:`check_connect`, which the HTTP transport calls when it opens a connection: it re-applies
the host rules to the host actually being dialled, resolves it once and returns only addresses
that pass, and the transport connects to exactly those. A DNS answer that changes between the
validation and the connection (DNS rebinding), or a URL that the HTTP library reads differently
from Go's parser, therefore cannot reach a blocked address. Residual risk: an allowed public
address that itself forwards requests inward (an open proxy or a redirector outside the
engine's control) is not detected; no URL filter can see that.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.goturl import parse_go_url
from pytest_wfsnap.errors import HTTPNodeError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Sequence[str]]
"""Resolve a hostname to IP address strings; raise ``OSError`` when the lookup fails."""

ALLOWED_SCHEMES = ("http", "https")

_LOCALHOST_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})
_METADATA_HOSTS = frozenset({"169.254.169.254", "metadata.google.internal", "metadata.azure.com"})
_IPV4_PRIVATE = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_IPV6_ULA = ipaddress.IPv6Network("fc00::/7")
_IPV4_LINK_LOCAL = ipaddress.IPv4Network("169.254.0.0/16")
_IPV6_LINK_LOCAL = ipaddress.IPv6Network("fe80::/10")
_IPV4_LINK_LOCAL_MULTICAST = ipaddress.IPv4Network("224.0.0.0/24")
_IPV6_LINK_LOCAL_MULTICAST = ipaddress.IPv6Network("ff02::/16")
_AWS_IPV6_METADATA = ipaddress.IPv6Address("fd00:ec2::254")
_IPV4_METADATA = ipaddress.IPv4Address("169.254.169.254")
_ALIBABA_METADATA = ipaddress.IPv4Address("100.100.100.200")

MSG_LOCALHOST = "localhost addresses are blocked (set allow_localhost=true to permit)"
MSG_PRIVATE = "private IP addresses are blocked (set allow_private_ips=true to permit)"
MSG_LINK_LOCAL = "link-local addresses are blocked (set allow_link_local=true to permit)"
MSG_METADATA = "cloud metadata endpoints are blocked (set allow_cloud_metadata=true to permit)"
MSG_LOCALHOST_NAME = "localhost addresses are blocked"


def system_resolver(host: str) -> list[str]:
    """Every address ``socket.getaddrinfo`` gives for ``host`` (IPv4 and IPv6, deduplicated)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except UnicodeError as exc:  # a label the IDNA codec rejects: treat as a failed lookup
        raise OSError(f"cannot resolve {host!r}: {exc}") from None
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]), None)
    return list(seen)


def parse_ip_literal(text: str) -> IPAddress | None:
    """Go ``net.ParseIP``: dotted IPv4 without leading zeros or IPv6 without a zone."""
    if "%" in text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def normalize_ip(ip: IPAddress) -> IPAddress:
    """IPv4-mapped IPv6 (``::ffff:a.b.c.d``) becomes the IPv4 address (Go ``To4``)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _parse_answer(text: str) -> IPAddress | None:
    # Resolver answers may carry an IPv6 zone ("fe80::1%eth0"); the zone does not matter here.
    try:
        return normalize_ip(ipaddress.ip_address(text.split("%", 1)[0]))
    except ValueError:
        return None


def _resolve(host: str, resolver: Resolver) -> list[IPAddress] | None:
    """Resolved addresses, or None when the lookup fails (or yields nothing usable)."""
    try:
        answers = list(resolver(host))
    except OSError:
        return None
    ips = [ip for ip in (_parse_answer(a) for a in answers) if ip is not None]
    return ips or None


@dataclass(frozen=True, slots=True)
class ConnectDecision:
    """What the transport may dial for a host: checked addresses, or the reason it may not."""

    addresses: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SSRFPolicy:
    """The engine's URL rules (Go ``SSRFProtection`` with the engine config's Allow* flags)."""

    allow_private_ips: bool = False
    allow_localhost: bool = False
    allow_link_local: bool = False
    allow_cloud_metadata: bool = False
    allowed_domains: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, config: Config) -> SSRFPolicy:
        """The rules of an engine config (its Allow* flags and ``allowed_domains``)."""
        return cls(
            allow_private_ips=config.allow_private_ips,
            allow_localhost=config.allow_localhost,
            allow_link_local=config.allow_link_local,
            allow_cloud_metadata=config.allow_cloud_metadata,
            allowed_domains=frozenset(d.lower() for d in config.allowed_domains or ()),
        )

    def ip_block_reason(self, ip: IPAddress) -> str | None:
        """Go ``validateIP``: the first failing check, in Go's order, or None."""
        ip = normalize_ip(ip)
        v4 = isinstance(ip, ipaddress.IPv4Address)
        if not self.allow_localhost and (ip.is_loopback or (v4 and int(ip) == 0)):
            return MSG_LOCALHOST
        if not self.allow_private_ips:
            if v4 and any(ip in net for net in _IPV4_PRIVATE):
                return MSG_PRIVATE
            if not v4 and ip in _IPV6_ULA:
                return MSG_PRIVATE
        if not self.allow_link_local and ip in (_IPV4_LINK_LOCAL if v4 else _IPV6_LINK_LOCAL):
            return MSG_LINK_LOCAL
        if not self.allow_cloud_metadata and ip in (_IPV4_METADATA, _AWS_IPV6_METADATA):
            return MSG_METADATA
        return None

    def hostname_block_reason(self, hostname: str) -> str | None:
        """Go ``validateHostname``: localhost names and metadata hostnames."""
        lowered = hostname.lower()
        if not self.allow_localhost and lowered in _LOCALHOST_NAMES:
            return MSG_LOCALHOST_NAME
        if not self.allow_cloud_metadata and lowered in _METADATA_HOSTS:
            return MSG_METADATA
        return None

    def _domain_allowed(self, hostname: str) -> bool:
        if not self.allowed_domains:
            return True
        forms = _host_forms(hostname)
        return any(forms & _host_forms(domain) for domain in self.allowed_domains)

    def validate_url(self, url: str, resolver: Resolver = system_resolver) -> str | None:
        """The reason ``url`` is refused (Go ``ValidateURL`` text), or None when it is allowed."""
        try:
            parsed = parse_go_url(url)
        except HTTPNodeError as exc:
            return f"invalid URL: {exc}"
        if parsed.scheme not in ALLOWED_SCHEMES:
            allowed = " ".join(ALLOWED_SCHEMES)
            return f"URL scheme not allowed: {parsed.scheme} (allowed: [{allowed}])"
        hostname = parsed.hostname
        if not hostname:
            return "URL missing hostname"
        if not self._domain_allowed(hostname):
            return f"domain not in allowlist: {hostname}"
        literal = parse_ip_literal(hostname)
        if literal is not None:
            reason = self.ip_block_reason(literal)
            return None if reason is None else f"IP validation failed for {hostname}: {reason}"
        reason = self.hostname_block_reason(hostname)
        if reason is not None:
            return reason
        for ip in _resolve(hostname, resolver) or ():
            reason = self.ip_block_reason(ip)
            if reason is not None:
                return f"IP validation failed for {hostname} ({ip}): {reason}"
        return None

    def check_connect(self, host: str, resolver: Resolver = system_resolver) -> ConnectDecision:
        """Rules re-applied to the host the transport is about to dial (see module doc)."""
        if not self._domain_allowed(host):
            return ConnectDecision(error=f"domain not in allowlist: {host}")
        literal = parse_ip_literal(host)
        if literal is not None:
            reason = self.ip_block_reason(literal)
            if reason is not None:
                return ConnectDecision(error=f"IP validation failed for {host}: {reason}")
            return ConnectDecision(addresses=(str(literal),))
        reason = self.hostname_block_reason(host)
        if reason is not None:
            return ConnectDecision(error=reason)
        ips = _resolve(host, resolver)
        if ips is None:
            return ConnectDecision(error=f"dial tcp: lookup {host}: no such host")
        for ip in ips:
            reason = self.ip_block_reason(ip)
            if reason is not None:
                return ConnectDecision(error=f"IP validation failed for {host} ({ip}): {reason}")
        return ConnectDecision(addresses=tuple(str(ip) for ip in ips))


@dataclass(frozen=True, slots=True)
class ClientSSRFPolicy:
    """A named HTTP client's SSRF middleware rules (Go ``httpclient.validateURL``).

    Unlike Go, this port runs them on every request of a named client, also when every Allow*
    flag is true and no allowlist is set (then only the scheme and hostname are checked).
    Allowlist entries match the host itself or any subdomain, case-insensitively.
    """

    allow_private_ips: bool = False
    allow_localhost: bool = False
    allow_link_local: bool = False
    allow_cloud_metadata: bool = False
    allowed_domains: tuple[str, ...] = ()

    def ip_block_reason(self, ip: IPAddress) -> str | None:
        """Middleware ``validateIP``: loopback, link-local, private, cloud metadata."""
        ip = normalize_ip(ip)
        v4 = isinstance(ip, ipaddress.IPv4Address)
        if not self.allow_localhost and ip.is_loopback:
            return "localhost/loopback addresses are blocked"
        if not self.allow_link_local:
            nets = (
                (_IPV4_LINK_LOCAL, _IPV4_LINK_LOCAL_MULTICAST)
                if v4
                else (_IPV6_LINK_LOCAL, _IPV6_LINK_LOCAL_MULTICAST)
            )
            if any(ip in net for net in nets):
                return "link-local addresses are blocked"
        if not self.allow_private_ips and (
            (v4 and any(ip in net for net in _IPV4_PRIVATE)) or (not v4 and ip in _IPV6_ULA)
        ):
            return "private IP addresses are blocked"
        if not self.allow_cloud_metadata and ip in (
            _IPV4_METADATA,
            _ALIBABA_METADATA,
            _AWS_IPV6_METADATA,
        ):
            return "cloud metadata endpoints are blocked"
        return None

    def _domain_allowed(self, hostname: str) -> bool:
        if not self.allowed_domains:
            return True
        forms = _host_forms(hostname)
        for domain in self.allowed_domains:
            for d in _host_forms(domain):
                if any(f == d or f.endswith("." + d) for f in forms):
                    return True
        return False

    def _check_ips(self, ips: Sequence[IPAddress]) -> str | None:
        for ip in ips:
            reason = self.ip_block_reason(ip)
            if reason is not None:
                return f"IP validation failed for {ip}: {reason}"
        return None

    def _addresses(self, hostname: str, resolver: Resolver) -> list[IPAddress] | None:
        literal = parse_ip_literal(hostname)
        if literal is not None:
            return [normalize_ip(literal)]
        return _resolve(hostname, resolver)

    def validate_url(self, url: str, resolver: Resolver = system_resolver) -> str | None:
        """The reason ``url`` is refused (middleware text), or None when it is allowed."""
        try:
            parsed = parse_go_url(url)
        except HTTPNodeError as exc:
            return f"invalid URL: {exc}"
        if parsed.scheme not in ALLOWED_SCHEMES:
            return f"unsupported scheme: {parsed.scheme} (only http and https are allowed)"
        hostname = parsed.hostname
        if not hostname:
            return "missing hostname in URL"
        if not self._domain_allowed(hostname):
            return f"domain {hostname} is not in allowed domains list"
        return self._check_ips(self._addresses(hostname, resolver) or [])

    def check_connect(self, host: str, resolver: Resolver = system_resolver) -> ConnectDecision:
        """Rules re-applied to the host the transport is about to dial (see module doc)."""
        if not self._domain_allowed(host):
            return ConnectDecision(error=f"domain {host} is not in allowed domains list")
        ips = self._addresses(host, resolver)
        if ips is None:
            return ConnectDecision(error=f"dial tcp: lookup {host}: no such host")
        error = self._check_ips(ips)
        if error is not None:
            return ConnectDecision(error=error)
        return ConnectDecision(addresses=tuple(str(ip) for ip in ips))


URLPolicy = SSRFPolicy | ClientSSRFPolicy


def _host_forms(hostname: str) -> set[str]:
    """A hostname lower-cased, plus its IDNA (punycode) or Unicode counterpart when it has one.

    The validator sees the URL's text while the transport dials the IDNA form, so allowlists are
    compared in both spellings.
    """
    lowered = hostname.lower()
    forms = {lowered}
    try:
        if lowered.isascii():
            forms.add(lowered.encode("ascii").decode("idna"))
        else:
            forms.add(lowered.encode("idna").decode("ascii"))
    except UnicodeError:
        pass
    return forms


__all__ = [
    "ALLOWED_SCHEMES",
    "ClientSSRFPolicy",
    "ConnectDecision",
    "IPAddress",
    "Resolver",
    "SSRFPolicy",
    "URLPolicy",
    "normalize_ip",
    "parse_ip_literal",
    "system_resolver",
]
