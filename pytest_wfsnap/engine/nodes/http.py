"""The ``http`` node (ENGINE.md B10): one GET request, with the engine's security rules.

Order of work, as in Go: the ``allow_http`` check (the HTTP counter is untouched when it
fails), the HTTP counter, the choice of client, URL validation, the request, the status check,
the size-limited body read, and the JSON/text decision (:mod:`.http_body`).

Differences from Go, on purpose (ENGINE.md A1):

* ``http_client_uid`` never skips URL validation. A registered client (``rt.http_clients``)
  validates every request and every redirect target with its own SSRF middleware rules; an
  unknown uid falls back to the default client and the engine's rules.
* Every connection is re-checked when it is dialled (:mod:`pytest_wfsnap.engine.httptransport`),
  so a DNS answer that changes after validation cannot reach a blocked address.
* A named client sends its authentication only to the origin of the node's URL; after a
  redirect to another origin the credentials are left out (Go's middleware would forward them).
* JSON numbers of a response are floats (see :mod:`.http_body`).

The executor keeps its ``httpx.Client`` objects (one default client per set of URL rules, one
per named client) for the life of the engine; :meth:`HTTPExecutor.close` releases them.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from pytest_wfsnap.engine.gofmt import go_quote
from pytest_wfsnap.engine.nodes.base import Executor, NodeSpec, Runtime
from pytest_wfsnap.engine.nodes.http_body import body_to_result
from pytest_wfsnap.engine.ssrf import Resolver, SSRFPolicy, URLPolicy, system_resolver
from pytest_wfsnap.errors import ConfigError, HTTPNodeError, WfsnapError

if TYPE_CHECKING:  # pragma: no cover - httpx and the client settings load on the first request
    import httpx

    from pytest_wfsnap.engine.httpclients import HTTPClientConfig

MSG_HTTP_NOT_ALLOWED = (
    "HTTP requests are not allowed (AllowHTTP=false). "
    "Enable AllowHTTP in config to make HTTP requests"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_TIMEOUT_HEADERS = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
_TIMEOUT_BODY = (
    "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
)
_DEFAULT_HEADERS = (("Accept-Encoding", "gzip"), ("User-Agent", "pytest-wfsnap"))
_USERINFO_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^@/?#:]*):[^@/?#]*@")


def _strip_password(url: str) -> str:
    """Go ``stripPassword``: a password in the URL is shown as ``***``."""
    return _USERINFO_PASSWORD.sub(r"\1:***@", url, count=1)


def _request_failed(url: str, reason: str) -> HTTPNodeError:
    return HTTPNodeError(f"HTTP request failed: Get {go_quote(_strip_password(url))}: {reason}")


def _seconds(value: timedelta) -> float | None:
    """Go ``Client.Timeout``: zero or negative means no timeout."""
    seconds = value.total_seconds()
    return seconds if seconds > 0 else None


def _send_error_text(exc: Exception) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return _TIMEOUT_HEADERS
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending" in str(exc):
        return "EOF"
    return str(exc) or type(exc).__name__


def _body_error_text(exc: Exception) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return _TIMEOUT_BODY
    if isinstance(exc, httpx.RemoteProtocolError):
        return "unexpected EOF"
    return str(exc) or type(exc).__name__


def _with_query(url: httpx.URL, extra: list[tuple[str, str]]) -> httpx.URL:
    """Go ``q := URL.Query(); q.Add(...); RawQuery = q.Encode()`` (keys sorted)."""
    grouped: dict[str, list[str]] = {}
    for key, value in parse_qsl(url.query.decode("ascii", "replace"), keep_blank_values=True):
        grouped.setdefault(key, []).append(value)
    for key, value in extra:
        grouped.setdefault(key, []).append(value)
    pairs = [(key, value) for key in sorted(grouped) for value in grouped[key]]
    return url.copy_with(query=urlencode(pairs).encode("ascii"))


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


@dataclass(frozen=True, slots=True)
class _Plan:
    """How one node's request is sent: client, rules, redirect policy, timeout."""

    client: httpx.Client
    policy: URLPolicy
    named: HTTPClientConfig | None
    follow: bool
    max_redirects: int
    timeout: float | None


class HTTPExecutor(Executor):
    """GET a URL and return the parsed JSON or the body text."""

    node_type = "http"
    data_struct = "HTTPData"

    def __init__(self, resolver: Resolver | None = None) -> None:
        self.resolver: Resolver = resolver or system_resolver
        self._lock = threading.Lock()
        self._default_clients: dict[SSRFPolicy, httpx.Client] = {}
        self._named_clients: dict[str, tuple[HTTPClientConfig, httpx.Client]] = {}

    # --- clients --------------------------------------------------------------------------
    def _default_client(self, policy: SSRFPolicy) -> httpx.Client:
        import httpx

        from pytest_wfsnap.engine.httptransport import guarded_client

        with self._lock:
            client = self._default_clients.get(policy)
            if client is None:
                client = guarded_client(
                    policy,
                    self.resolver,
                    limits=httpx.Limits(max_connections=100, max_keepalive_connections=10),
                    headers=_DEFAULT_HEADERS,
                )
                self._default_clients[policy] = client
            return client

    def _named_client(self, config: HTTPClientConfig) -> httpx.Client:
        import httpx

        from pytest_wfsnap.engine.httptransport import guarded_client

        with self._lock:
            cached = self._named_clients.get(config.uid)
            if cached is not None and cached[0] == config:
                return cached[1]
            if cached is not None:
                cached[1].close()
            network = config.network
            limits = httpx.Limits(
                max_connections=network.max_conns_per_host,
                max_keepalive_connections=0
                if network.disable_keep_alives
                else network.max_idle_conns,
                keepalive_expiry=network.idle_conn_timeout / 1e9,
            )
            client = guarded_client(
                config.security.policy(), self.resolver, limits=limits, headers=_DEFAULT_HEADERS
            )
            self._named_clients[config.uid] = (config, client)
            return client

    def close(self) -> None:
        """Close every HTTP client this executor opened (safe to call more than once)."""
        with self._lock:
            clients = list(self._default_clients.values())
            clients += [client for _, client in self._named_clients.values()]
            self._default_clients.clear()
            self._named_clients.clear()
        for client in clients:
            client.close()

    # --- the node -------------------------------------------------------------------------
    def run(self, params: dict[str, Any], inputs: list[Any], rt: Runtime, node: NodeSpec) -> Any:
        config = rt.config
        if not config.allow_http:
            raise HTTPNodeError(MSG_HTTP_NOT_ALLOWED)
        rt.count_http_call()
        raw_url = params.get("url")
        url = raw_url if isinstance(raw_url, str) else ("" if raw_url is None else str(raw_url))
        uid = params.get("http_client_uid") or ""
        named = self._lookup_named(rt.http_clients, uid) if isinstance(uid, str) and uid else None
        if named is None:
            policy = SSRFPolicy.from_config(config)
            reason = policy.validate_url(url, self.resolver)
            if reason is not None:
                raise HTTPNodeError(f"URL validation failed: {reason}")
            plan = _Plan(
                self._default_client(policy),
                policy,
                None,
                True,
                config.max_http_redirects,
                _seconds(config.http_timeout),
            )
        else:
            security = named.security
            timeout = named.network.timeout_seconds
            plan = _Plan(
                self._named_client(named),
                security.policy(),
                named,
                security.follow_redirects,
                security.max_redirects,
                timeout if timeout > 0 else None,
            )
        content_type, body = self._exchange(plan, url, config.max_response_size)
        return body_to_result(content_type, body)

    @staticmethod
    def _lookup_named(clients: Mapping[str, Any], uid: str) -> HTTPClientConfig | None:
        from pytest_wfsnap.engine.httpclients import HTTPClientConfig, parse_client_config

        entry = clients.get(uid)
        if entry is None or isinstance(entry, HTTPClientConfig):
            return entry
        if isinstance(entry, Mapping):
            try:
                return parse_client_config(entry)
            except ConfigError as exc:
                raise HTTPNodeError(f"http client {uid!r}: {exc}") from None
        raise HTTPNodeError(
            f"http client {uid!r} is a {type(entry).__name__}, expected an HTTPClientConfig"
        )

    def _build_request(
        self, plan: _Plan, url: str, origin: tuple[str, str, int | None], timeout: float | None
    ) -> httpx.Request:
        import httpx

        target = httpx.URL(url)
        headers: list[tuple[str, str]] = []
        named = plan.named
        if named is not None:
            same_origin = _origin(target) == origin
            extra_query = [(kv.key, kv.value) for kv in named.query_params]
            if same_origin:
                extra_query += named.auth_query()
            if extra_query:
                target = _with_query(target, extra_query)
            headers = [(kv.key, kv.value) for kv in named.headers]
            if same_origin:
                for key, value in named.auth_headers():
                    headers = [h for h in headers if h[0].lower() != key.lower()]
                    headers.append((key, value))
        return plan.client.build_request(
            "GET", target, headers=headers, timeout=httpx.Timeout(timeout)
        )

    def _exchange(self, plan: _Plan, url: str, max_size: int) -> tuple[str | None, bytes]:
        """Send the request, following redirects by hand; return (content type, body)."""
        import httpx

        deadline = None if plan.timeout is None else time.monotonic() + plan.timeout
        current = url
        hops = 0
        try:
            origin = _origin(httpx.URL(url))
        except (httpx.InvalidURL, TypeError) as exc:
            raise _request_failed(url, str(exc)) from None
        while True:
            if plan.named is not None:
                reason = plan.policy.validate_url(current, self.resolver)
                if reason is not None:
                    raise _request_failed(current, reason)
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise _request_failed(current, _TIMEOUT_HEADERS)
            try:
                request = self._build_request(plan, current, origin, remaining)
                response = plan.client.send(request, stream=True)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise _request_failed(current, _send_error_text(exc)) from None
            except WfsnapError:
                raise
            except Exception as exc:  # transport-level errors httpx does not map (OSError, ...)
                raise _request_failed(current, _send_error_text(exc)) from None
            try:
                location = response.headers.get("location", "")
                if plan.follow and response.status_code in REDIRECT_STATUSES and location:
                    try:
                        target = str(response.url.join(location))
                    except (httpx.InvalidURL, ValueError) as exc:
                        raise _request_failed(
                            current, f"failed to parse Location header {go_quote(location)}: {exc}"
                        ) from None
                    hops += 1
                    if hops >= plan.max_redirects:
                        raise _request_failed(
                            location, f"too many redirects (max {plan.max_redirects})"
                        )
                    reason = plan.policy.validate_url(target, self.resolver)
                    if reason is not None:
                        raise _request_failed(location, f"redirect URL validation failed: {reason}")
                    current = target
                    continue
                if not 200 <= response.status_code < 300:
                    raise HTTPNodeError(
                        f"HTTP request returned error status: {response.status_code}"
                    )
                content_types = response.headers.get_list("content-type")
                body = self._read_body(response, max_size, deadline)
                return (content_types[0] if content_types else None), body
            finally:
                response.close()

    @staticmethod
    def _read_body(response: httpx.Response, max_size: int, deadline: float | None) -> bytes:
        """Read at most ``max_size`` bytes; more than that is an error (Go's LimitReader check)."""
        if max_size < 0:
            return b""  # Go's io.LimitReader with a negative limit reads nothing
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_size:
                    raise HTTPNodeError(f"response too large (exceeds {max_size} bytes limit)")
                chunks.append(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    raise HTTPNodeError(f"failed to read response body: {_TIMEOUT_BODY}")
        except WfsnapError:
            raise
        except Exception as exc:  # httpx errors, and transport errors it does not map
            raise HTTPNodeError(f"failed to read response body: {_body_error_text(exc)}") from None
        return b"".join(chunks)


EXECUTORS: list[type[Executor]] = [HTTPExecutor]

__all__ = ["EXECUTORS", "MSG_HTTP_NOT_ALLOWED", "HTTPExecutor"]
