"""The http node against a real HTTP server on the loopback interface (pytest-httpserver)."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pytest_wfsnap.engine.config import Config
from pytest_wfsnap.engine.httpclients import HTTPClientConfig, HTTPClientRegistry
from pytest_wfsnap.engine.nodes.base import NodeSpec
from pytest_wfsnap.engine.nodes.http import EXECUTORS, MSG_HTTP_NOT_ALLOWED, HTTPExecutor
from pytest_wfsnap.errors import HTTPNodeError, LimitError, NodeError
from tests.engine.nodes.fakes_http import (
    FakeRuntime,
    run_http,
    sequence_resolver,
    static_resolver,
)

LOCAL = Config(allow_http=True, allow_localhost=True)


@pytest.fixture
def executor() -> Iterator[HTTPExecutor]:
    ex = HTTPExecutor()
    yield ex
    ex.close()


@pytest.fixture
def base(httpserver: HTTPServer) -> str:
    """``http://<bound loopback address>:<port>`` of the test server."""
    assert httpserver.server is not None
    address = httpserver.server.server_address
    assert isinstance(address, tuple)
    host, port = str(address[0]), int(address[1])
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _no_content_type(body: str) -> Response:
    response = Response(body)
    del response.headers["Content-Type"]
    return response


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- registry and node contract ---------------------------------------------------------------


def test_executor_is_registered_with_go_names() -> None:
    assert [HTTPExecutor] == EXECUTORS
    assert HTTPExecutor.node_type == "http"
    assert HTTPExecutor.data_struct == "HTTPData"


def test_node_without_data_reports_the_go_struct(executor: HTTPExecutor) -> None:
    with pytest.raises(NodeError, match=r"^expected HTTPData, got <nil>$"):
        executor.execute(NodeSpec("h", "http", None, None), [], FakeRuntime(LOCAL))


# --- success: text and JSON ---------------------------------------------------------------------


def test_plain_text_body_is_returned_as_string(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    httpserver.expect_request("/hello", method="GET").respond_with_data("Hello from server")
    rt = FakeRuntime(LOCAL)
    assert run_http(executor, rt, base + "/hello") == "Hello from server"
    assert rt.http_call_count == 1


def test_json_body_under_text_plain_stays_a_string(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    httpserver.expect_request("/t").respond_with_data('{"a": 1}', content_type="text/plain")
    assert run_http(executor, FakeRuntime(LOCAL), base + "/t") == '{"a": 1}'


def test_application_json_is_decoded_with_float_numbers(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    httpserver.expect_request("/j").respond_with_json(
        {"count": 3, "ratio": 2.5, "tags": ["a", None, True], "nested": {"big": 10**6}}
    )
    result = run_http(executor, FakeRuntime(LOCAL), base + "/j")
    assert result == {"count": 3, "ratio": 2.5, "tags": ["a", None, True], "nested": {"big": 1e6}}
    assert type(result["count"]) is float
    assert type(result["nested"]["big"]) is float


@pytest.mark.parametrize(
    "content_type",
    ["application/vnd.api+json", "Application/JSON; charset=UTF-8", "application/problem+json"],
)
def test_json_content_types_are_recognised(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str, content_type: str
) -> None:
    httpserver.expect_request("/j").respond_with_data("[1, 2]", content_type=content_type)
    assert run_http(executor, FakeRuntime(LOCAL), base + "/j") == [1.0, 2.0]


def test_only_the_first_json_value_is_read(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    httpserver.expect_request("/j").respond_with_data(
        '{"a": "x"} trailing text', content_type="application/json"
    )
    assert run_http(executor, FakeRuntime(LOCAL), base + "/j") == {"a": "x"}


def test_empty_content_type_sniffs_json(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    httpserver.expect_request("/obj").respond_with_handler(
        lambda _req: _no_content_type('\n  {"x": [1, {"y": null}]}')
    )
    httpserver.expect_request("/bad").respond_with_handler(
        lambda _req: _no_content_type("[not json")
    )
    httpserver.expect_request("/num").respond_with_handler(lambda _req: _no_content_type("42"))
    rt = FakeRuntime(LOCAL)
    assert run_http(executor, rt, base + "/obj") == {"x": [1.0, {"y": None}]}
    assert run_http(executor, rt, base + "/bad") == "[not json"
    assert run_http(executor, rt, base + "/num") == "42"


@pytest.mark.parametrize(
    ("body", "go_error"),
    [
        ("nope", "invalid character 'o' in literal null (expecting 'u')"),
        ("", "EOF"),
        ('{"a": ', "unexpected EOF"),
        ("{'a': 1}", "invalid character '\\'' looking for beginning of object key string"),
    ],
)
def test_invalid_json_with_json_content_type_fails(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str, body: str, go_error: str
) -> None:
    httpserver.expect_request("/j").respond_with_data(body, content_type="application/json")
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, FakeRuntime(LOCAL), base + "/j")
    assert str(info.value) == f"failed to parse JSON response: {go_error}"


# --- status, size, timeout ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [300, 304, 404, 500])
def test_status_outside_2xx_fails(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str, status: int
) -> None:
    httpserver.expect_request("/s").respond_with_data("nope", status=status)
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, FakeRuntime(LOCAL), base + "/s")
    assert str(info.value) == f"HTTP request returned error status: {status}"


def test_response_size_limit(executor: HTTPExecutor, httpserver: HTTPServer, base: str) -> None:
    httpserver.expect_request("/ten").respond_with_data("0123456789")
    httpserver.expect_request("/eleven").respond_with_data("0123456789A")
    rt = FakeRuntime(LOCAL.replace(max_response_size=10))
    assert run_http(executor, rt, base + "/ten") == "0123456789"
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, base + "/eleven")
    assert str(info.value) == "response too large (exceeds 10 bytes limit)"


def test_zero_size_limit_still_accepts_an_empty_body(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    httpserver.expect_request("/empty").respond_with_data("")
    rt = FakeRuntime(LOCAL.replace(max_response_size=0))
    assert run_http(executor, rt, base + "/empty") == ""


def test_timeout_reports_the_go_client_timeout(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    def stall(_req: Request) -> Response:
        time.sleep(0.3)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(stall)
    rt = FakeRuntime(LOCAL.replace(http_timeout=timedelta(milliseconds=50)))
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, base + "/slow")
    assert str(info.value) == (
        f'HTTP request failed: Get "{base}/slow": '
        "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
    )


def test_connection_refused_uses_go_wording(executor: HTTPExecutor) -> None:
    port = _closed_port()
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, FakeRuntime(LOCAL), f"http://127.0.0.1:{port}/x")
    assert str(info.value) == (
        f'HTTP request failed: Get "http://127.0.0.1:{port}/x": '
        f"dial tcp 127.0.0.1:{port}: connect: connection refused"
    )


def test_password_in_url_is_masked_in_errors(executor: HTTPExecutor) -> None:
    port = _closed_port()
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, FakeRuntime(LOCAL), f"http://bob:hunter2@127.0.0.1:{port}/")
    assert f'Get "http://bob:***@127.0.0.1:{port}/"' in str(info.value)
    assert "hunter2" not in str(info.value)


# --- redirects ------------------------------------------------------------------------------------


def _redirect(httpserver: HTTPServer, path: str, location: str, status: int = 302) -> None:
    httpserver.expect_request(path).respond_with_data(
        "", status=status, headers={"Location": location}
    )


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_followed(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str, status: int
) -> None:
    _redirect(httpserver, "/a", "/b", status)
    _redirect(httpserver, "/b", base + "/c", status)
    httpserver.expect_request("/c").respond_with_data("arrived")
    assert run_http(executor, FakeRuntime(LOCAL), base + "/a") == "arrived"


def test_too_many_redirects_names_the_location(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    for i in range(4):
        _redirect(httpserver, f"/r{i}", f"/r{i + 1}")
    httpserver.expect_request("/r4").respond_with_data("never")
    rt = FakeRuntime(LOCAL.replace(max_http_redirects=2))
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, base + "/r0")
    # Go's CheckRedirect sees len(via) >= max at the second redirect.
    assert str(info.value) == 'HTTP request failed: Get "/r2": too many redirects (max 2)'


def test_zero_redirects_refuses_the_first_one(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    _redirect(httpserver, "/a", "/b")
    rt = FakeRuntime(LOCAL.replace(max_http_redirects=0))
    with pytest.raises(HTTPNodeError, match=r'Get "/b": too many redirects \(max 0\)$'):
        run_http(executor, rt, base + "/a")


def test_redirect_without_location_is_an_error_status(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302)
    with pytest.raises(HTTPNodeError, match=r"^HTTP request returned error status: 302$"):
        run_http(executor, FakeRuntime(LOCAL), base + "/a")


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        (
            "http://169.254.169.254/latest/meta-data/",
            "IP validation failed for 169.254.169.254: link-local addresses are blocked "
            "(set allow_link_local=true to permit)",
        ),
        (
            "http://10.0.0.1/admin",
            "IP validation failed for 10.0.0.1: private IP addresses are blocked "
            "(set allow_private_ips=true to permit)",
        ),
        (
            "http://metadata.google.internal/computeMetadata/v1/",
            "cloud metadata endpoints are blocked (set allow_cloud_metadata=true to permit)",
        ),
        ("file:///etc/passwd", "URL scheme not allowed: file (allowed: [http https])"),
    ],
)
def test_redirect_to_a_blocked_address_is_refused(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str, location: str, reason: str
) -> None:
    _redirect(httpserver, "/go", location)
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, FakeRuntime(LOCAL), base + "/go")
    assert str(info.value) == (
        f'HTTP request failed: Get "{location}": redirect URL validation failed: {reason}'
    )


def test_redirect_target_hostname_is_resolved_and_checked(httpserver: HTTPServer) -> None:
    resolver = static_resolver({"internal.test": ["10.0.0.5"]})
    _redirect(httpserver, "/go", "http://internal.test/admin")
    ex = HTTPExecutor(resolver=resolver)
    try:
        with pytest.raises(HTTPNodeError) as info:
            run_http(ex, FakeRuntime(LOCAL), f"http://127.0.0.1:{httpserver.port}/go")
    finally:
        ex.close()
    assert str(info.value) == (
        'HTTP request failed: Get "http://internal.test/admin": redirect URL validation failed: '
        "IP validation failed for internal.test (10.0.0.5): private IP addresses are blocked "
        "(set allow_private_ips=true to permit)"
    )


# --- allow_http, the call limit, SSRF refusals ----------------------------------------------------


def test_http_not_allowed_does_not_count(executor: HTTPExecutor, httpserver: HTTPServer) -> None:
    rt = FakeRuntime(Config())
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, httpserver.url_for("/x"))
    assert str(info.value) == MSG_HTTP_NOT_ALLOWED
    assert MSG_HTTP_NOT_ALLOWED == (
        "HTTP requests are not allowed (AllowHTTP=false). "
        "Enable AllowHTTP in config to make HTTP requests"
    )
    assert rt.http_call_count == 0
    assert len(httpserver.log) == 0


def test_http_call_limit(executor: HTTPExecutor, httpserver: HTTPServer, base: str) -> None:
    httpserver.expect_request("/n").respond_with_data("ok")
    rt = FakeRuntime(LOCAL.replace(max_http_calls_per_exec=2))
    assert run_http(executor, rt, base + "/n") == "ok"
    assert run_http(executor, rt, base + "/n") == "ok"
    with pytest.raises(LimitError) as info:
        run_http(executor, rt, base + "/n")
    assert str(info.value) == "maximum HTTP calls per execution exceeded: 3 (limit: 2)"
    assert len(httpserver.log) == 2


def test_blocked_url_still_counts(executor: HTTPExecutor) -> None:
    rt = FakeRuntime(Config(allow_http=True))
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, "http://10.0.0.1/")
    assert str(info.value) == (
        "URL validation failed: IP validation failed for 10.0.0.1: private IP addresses are "
        "blocked (set allow_private_ips=true to permit)"
    )
    assert rt.http_call_count == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "IP validation failed for 127.0.0.1: localhost addresses"),
        ("http://localhost:8080/", "localhost addresses are blocked"),
        ("http://[::1]/", "IP validation failed for ::1: localhost addresses"),
        ("http://0.0.0.0/", "IP validation failed for 0.0.0.0: localhost addresses"),
        ("http://10.1.2.3/", "IP validation failed for 10.1.2.3: private IP"),
        ("http://172.16.0.1/", "IP validation failed for 172.16.0.1: private IP"),
        ("http://192.168.0.10/", "IP validation failed for 192.168.0.10: private IP"),
        ("http://[fc00::1]/", "IP validation failed for fc00::1: private IP"),
        ("http://169.254.10.1/", "IP validation failed for 169.254.10.1: link-local"),
        ("http://[fe80::1]/", "IP validation failed for fe80::1: link-local"),
        ("http://169.254.169.254/", "IP validation failed for 169.254.169.254: link-local"),
        ("http://[fd00:ec2::254]/", "IP validation failed for fd00:ec2::254: private IP"),
        ("http://metadata.google.internal/", "cloud metadata endpoints are blocked"),
        ("http://[::ffff:127.0.0.1]/", "IP validation failed for ::ffff:127.0.0.1: localhost"),
        ("http://intranet.test/", "IP validation failed for intranet.test (10.9.8.7): private"),
    ],
)
def test_every_ssrf_class_is_refused_by_default(url: str, reason: str) -> None:
    ex = HTTPExecutor(resolver=static_resolver({"intranet.test": ["10.9.8.7"]}))
    try:
        with pytest.raises(HTTPNodeError) as info:
            run_http(ex, FakeRuntime(Config(allow_http=True)), url)
    finally:
        ex.close()
    assert str(info.value).startswith(f"URL validation failed: {reason}")


def test_allowlist_is_exact(executor: HTTPExecutor) -> None:
    rt = FakeRuntime(Config(allow_http=True, allowed_domains=["example.com"]))
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, "https://api.example.com/")
    assert str(info.value) == "URL validation failed: domain not in allowlist: api.example.com"


def test_injected_resolver_is_used_to_connect(httpserver: HTTPServer) -> None:
    seen: dict[str, Any] = {}

    def record(request: Request) -> Response:
        seen["host"] = request.headers.get("Host")
        return Response("via resolver")

    httpserver.expect_request("/r").respond_with_handler(record)
    ex = HTTPExecutor(resolver=static_resolver({"api.test": ["127.0.0.1"]}))
    try:
        result = run_http(ex, FakeRuntime(LOCAL), f"http://api.test:{httpserver.port}/r")
    finally:
        ex.close()
    assert result == "via resolver"
    assert seen["host"] == f"api.test:{httpserver.port}"


def test_dns_failure_passes_validation_then_fails_the_request() -> None:
    ex = HTTPExecutor(resolver=static_resolver({}))
    try:
        with pytest.raises(HTTPNodeError) as info:
            run_http(ex, FakeRuntime(Config(allow_http=True)), "http://nowhere.test/x")
    finally:
        ex.close()
    assert str(info.value) == (
        'HTTP request failed: Get "http://nowhere.test/x": '
        "dial tcp: lookup nowhere.test: no such host"
    )


def test_dns_rebinding_cannot_reach_a_blocked_address(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/secret").respond_with_data("internal data")
    resolver, lookups = sequence_resolver([["93.184.216.34"], ["127.0.0.1"]])
    ex = HTTPExecutor(resolver=resolver)
    url = f"http://rebind.test:{httpserver.port}/secret"
    try:
        with pytest.raises(HTTPNodeError) as info:
            run_http(ex, FakeRuntime(Config(allow_http=True)), url)
    finally:
        ex.close()
    assert lookups == ["rebind.test", "rebind.test"]
    assert str(info.value) == (
        f'HTTP request failed: Get "{url}": IP validation failed for rebind.test (127.0.0.1): '
        "localhost addresses are blocked (set allow_localhost=true to permit)"
    )
    assert len(httpserver.log) == 0


# --- named clients --------------------------------------------------------------------------------


def _client(**fields: Any) -> HTTPClientConfig:
    data: dict[str, Any] = {"uid": "api", "security": {"allow_localhost": True}}
    data.update(fields)
    return HTTPClientConfig.model_validate(data)


def _capture(httpserver: HTTPServer, path: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def record(request: Request) -> Response:
        seen["headers"] = list(request.headers.items())
        seen["query"] = request.query_string.decode()
        return Response("captured")

    httpserver.expect_request(path).respond_with_handler(record)
    return seen


def _header(seen: dict[str, Any], name: str) -> list[str]:
    return [v for k, v in seen["headers"] if k.lower() == name.lower()]


@pytest.mark.parametrize(
    ("auth", "header", "value"),
    [
        ({"type": "bearer", "token": {"token": "t0k"}}, "Authorization", "Bearer t0k"),
        (
            {"type": "basic", "basic_auth": {"username": "bob", "password": "pw"}},
            "Authorization",
            "Basic " + base64.b64encode(b"bob:pw").decode(),
        ),
        (
            {"type": "apikey", "api_key": {"key": "X-API-Key", "value": "k1"}},
            "X-API-Key",
            "k1",
        ),
    ],
)
def test_named_client_sends_auth_headers(
    executor: HTTPExecutor,
    httpserver: HTTPServer,
    base: str,
    auth: dict[str, Any],
    header: str,
    value: str,
) -> None:
    seen = _capture(httpserver, "/auth")
    rt = FakeRuntime(LOCAL, {"api": _client(auth=auth)})
    assert run_http(executor, rt, base + "/auth", uid="api") == "captured"
    assert _header(seen, header) == [value]


def test_named_client_adds_headers_and_sorted_query_params(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    seen = _capture(httpserver, "/q")
    client = _client(
        headers=[{"key": "X-Env", "value": "test"}, {"key": "X-Env", "value": "again"}],
        query_params=[{"key": "b", "value": "2"}, {"key": "a", "value": "x y"}],
        auth={"type": "apikey", "api_key": {"key": "key", "value": "k1", "location": "query"}},
    )
    rt = FakeRuntime(LOCAL, HTTPClientRegistry({"api": client}))
    run_http(executor, rt, base + "/q?z=9", uid="api")
    # Both values were sent; the WSGI server joins repeated headers with a comma.
    assert _header(seen, "X-Env") == ["test,again"]
    assert seen["query"] == "a=x+y&b=2&key=k1&z=9"


def test_named_client_given_as_a_mapping(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    seen = _capture(httpserver, "/m")
    raw = {
        "uid": "api",
        "security": {"allow_localhost": True},
        "headers": [{"key": "A", "value": "1"}],
    }
    run_http(executor, FakeRuntime(LOCAL, {"api": raw}), base + "/m", uid="api")
    assert _header(seen, "A") == ["1"]


def test_named_client_applies_its_own_rules(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    # The engine config allows localhost; the named client (default security) does not.
    rt = FakeRuntime(LOCAL, {"strict": HTTPClientConfig(uid="strict")})
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, base + "/x", uid="strict")
    assert str(info.value) == (
        f'HTTP request failed: Get "{base}/x": IP validation failed for '
        f"{base.split('//')[1].rsplit(':', 1)[0].strip('[]')}: "
        "localhost/loopback addresses are blocked"
    )
    assert len(httpserver.log) == 0


def test_unknown_uid_never_skips_validation(executor: HTTPExecutor) -> None:
    rt = FakeRuntime(Config(allow_http=True), {"api": _client()})
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, "http://127.0.0.1:9/", uid="missing")
    assert str(info.value) == (
        "URL validation failed: IP validation failed for 127.0.0.1: localhost addresses are "
        "blocked (set allow_localhost=true to permit)"
    )


def test_named_client_allowlist_admits_subdomains(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/sub").respond_with_data("sub ok")
    resolver = static_resolver({"api.example.test": ["127.0.0.1"], "evil.test": ["127.0.0.1"]})
    client = _client(security={"allow_localhost": True, "allowed_domains": ["example.test"]})
    ex = HTTPExecutor(resolver=resolver)
    rt = FakeRuntime(LOCAL, {"api": client})
    port = httpserver.port
    try:
        assert run_http(ex, rt, f"http://api.example.test:{port}/sub", uid="api") == "sub ok"
        with pytest.raises(HTTPNodeError) as info:
            run_http(ex, rt, f"http://evil.test:{port}/sub", uid="api")
    finally:
        ex.close()
    assert str(info.value) == (
        f'HTTP request failed: Get "http://evil.test:{port}/sub": '
        "domain evil.test is not in allowed domains list"
    )


def test_named_client_does_not_follow_redirects_by_default(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    _redirect(httpserver, "/a", "/b")
    rt = FakeRuntime(LOCAL, {"api": _client()})
    with pytest.raises(HTTPNodeError, match=r"^HTTP request returned error status: 302$"):
        run_http(executor, rt, base + "/a", uid="api")


def test_named_client_redirect_limit_and_target_rules(
    executor: HTTPExecutor, httpserver: HTTPServer, base: str
) -> None:
    _redirect(httpserver, "/a", "/b")
    _redirect(httpserver, "/b", "http://10.0.0.1/")
    security = {"allow_localhost": True, "follow_redirects": True}
    rt = FakeRuntime(LOCAL, {"api": _client(security=security)})
    with pytest.raises(HTTPNodeError) as info:
        run_http(executor, rt, base + "/a", uid="api")
    assert str(info.value) == (
        'HTTP request failed: Get "http://10.0.0.1/": redirect URL validation failed: '
        "IP validation failed for 10.0.0.1: private IP addresses are blocked"
    )
    limited = {**security, "max_redirects": 1}
    rt = FakeRuntime(LOCAL, {"api": _client(security=limited)})
    with pytest.raises(HTTPNodeError, match=r'Get "/b": too many redirects \(max 1\)$'):
        run_http(executor, rt, base + "/a", uid="api")


def test_named_client_credentials_stay_on_the_original_origin(httpserver: HTTPServer) -> None:
    port = httpserver.port
    resolver = static_resolver({"a.test": ["127.0.0.1"], "b.test": ["127.0.0.1"]})
    httpserver.expect_request("/start").respond_with_data(
        "", status=302, headers={"Location": f"http://b.test:{port}/end"}
    )
    second = _capture(httpserver, "/end")
    client = _client(
        security={"allow_localhost": True, "follow_redirects": True},
        auth={"type": "bearer", "token": {"token": "t0k"}},
        headers=[{"key": "X-Trace", "value": "1"}],
    )
    ex = HTTPExecutor(resolver=resolver)
    try:
        result = run_http(
            ex, FakeRuntime(LOCAL, {"api": client}), f"http://a.test:{port}/start", "api"
        )
    finally:
        ex.close()
    assert result == "captured"
    assert _header(second, "Authorization") == []
    assert _header(second, "X-Trace") == ["1"]


def test_named_client_timeout(executor: HTTPExecutor, httpserver: HTTPServer, base: str) -> None:
    def stall(_req: Request) -> Response:
        time.sleep(0.3)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(stall)
    client = _client(network={"timeout": 50_000_000})
    with pytest.raises(HTTPNodeError, match=r"Client\.Timeout exceeded while awaiting headers"):
        run_http(executor, FakeRuntime(LOCAL, {"api": client}), base + "/slow", uid="api")


def test_close_is_idempotent_and_clients_are_recreated(httpserver: HTTPServer, base: str) -> None:
    httpserver.expect_request("/c").respond_with_data("again")
    ex = HTTPExecutor()
    assert run_http(ex, FakeRuntime(LOCAL), base + "/c") == "again"
    ex.close()
    ex.close()
    assert run_http(ex, FakeRuntime(LOCAL), base + "/c") == "again"
    ex.close()
