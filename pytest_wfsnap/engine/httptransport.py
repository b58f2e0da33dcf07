"""An httpx transport that only dials addresses the SSRF rules allow.

:class:`GuardedTransport` is an ``httpx.HTTPTransport`` whose connection pool uses
:class:`GuardedNetworkBackend`: every new TCP connection first asks the URL policy
(:meth:`~pytest_wfsnap.engine.ssrf.SSRFPolicy.check_connect`) about the host being dialled, which
resolves it once with the injected resolver and checks every answer; the socket then connects
to one of exactly those addresses. TLS still verifies the certificate against the hostname
(the pool keeps the hostname as the TLS server name). Environment proxies are ignored
(``trust_env=False``): a proxy would make the checked address the proxy's, not the target's.

Connection failures carry Go's wording (``dial tcp 127.0.0.1:1: connect: connection refused``,
``dial tcp: lookup <host>: no such host``), so the HTTP node can report them as Go does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import httpcore
import httpx

from pytest_wfsnap.engine.ssrf import Resolver, URLPolicy, system_resolver

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class AddressBlockedError(httpcore.ConnectError):
    """The host being dialled is refused by the URL policy (message: the policy's reason)."""


def _dial_target(address: str, port: int) -> str:
    try:
        is_v6 = isinstance(ipaddress.ip_address(address), ipaddress.IPv6Address)
    except ValueError:
        is_v6 = False
    return f"[{address}]:{port}" if is_v6 else f"{address}:{port}"


def _go_dial_error(address: str, port: int, exc: BaseException) -> str:
    """Go's ``dial tcp <addr>: connect: <reason>`` for a failed connect."""
    cause = exc.__cause__ if isinstance(exc.__cause__, OSError) else exc
    if isinstance(cause, OSError) and cause.strerror:
        reason = cause.strerror[:1].lower() + cause.strerror[1:]
    else:
        reason = str(exc) or type(exc).__name__
    return f"dial tcp {_dial_target(address, port)}: connect: {reason}"


class GuardedNetworkBackend(httpcore.SyncBackend):
    """A network backend that resolves and checks hosts itself before connecting."""

    def __init__(self, policy: URLPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        decision = self.policy.check_connect(host, self.resolver)
        if decision.error is not None:
            raise AddressBlockedError(decision.error)
        first_error = ""
        for address in decision.addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as exc:
                first_error = first_error or _go_dial_error(address, port, exc)
        raise httpcore.ConnectError(first_error or f"dial tcp: lookup {host}: no such host")


class GuardedTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` over a :class:`GuardedNetworkBackend` (HTTP/1.1, no proxies)."""

    def __init__(
        self,
        policy: URLPolicy,
        resolver: Resolver = system_resolver,
        *,
        limits: httpx.Limits | None = None,
        verify: bool = True,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=10)
        super().__init__(verify=verify, trust_env=False, limits=limits)
        self.backend = GuardedNetworkBackend(policy, resolver)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=self.backend,
        )


def guarded_client(
    policy: URLPolicy,
    resolver: Resolver = system_resolver,
    *,
    limits: httpx.Limits | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> httpx.Client:
    """An ``httpx.Client`` that never follows redirects itself and dials only allowed hosts.

    The caller follows redirects (so it can validate each target first) and sets timeouts per
    request.
    """
    return httpx.Client(
        transport=GuardedTransport(policy, resolver, limits=limits),
        follow_redirects=False,
        trust_env=False,
        headers=list(headers),
    )


__all__ = ["AddressBlockedError", "GuardedNetworkBackend", "GuardedTransport", "guarded_client"]
