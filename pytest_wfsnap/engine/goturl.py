"""Go ``net/url.Parse``, as far as URL validation needs it.

The SSRF rules quote Go's parse errors (``invalid URL: parse "http://[::1": missing ']' in
host``) and take the hostname the way Go's ``URL.Hostname()`` does, so this module follows
Go's parser: control characters, scheme syntax, opaque URLs, authority/userinfo splitting,
host character rules, ports, and percent-escapes. Query strings are not validated (Go does not
validate them either).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pytest_wfsnap.engine.gofmt import go_quote
from pytest_wfsnap.errors import HTTPNodeError

_HEX = frozenset("0123456789abcdefABCDEF")
_HOST_PUNCT = frozenset("!$&'()*+,;=:[]<>\"")
_UNRESERVED_MARKS = frozenset("-_.~")
_USERINFO_PUNCT = frozenset("-._:~!$&'()*+,;=%@")


@dataclass(frozen=True, slots=True)
class GoURL:
    """The parts of a parsed URL (Go ``url.URL``); ``host`` keeps the port, as Go's does."""

    scheme: str
    opaque: str
    username: str | None
    password: str | None
    host: str
    path: str
    raw_query: str
    fragment: str

    @property
    def hostname(self) -> str:
        """Go ``URL.Hostname()``: the host without port and without IPv6 brackets."""
        return split_host_port(self.host)[0]

    @property
    def port(self) -> str:
        """Go ``URL.Port()``: the port text, or ""."""
        return split_host_port(self.host)[1]


def split_host_port(host_port: str) -> tuple[str, str]:
    """Go ``splitHostPort`` (lenient: an invalid ``:port`` stays part of the host)."""
    host, port = host_port, ""
    colon = host.rfind(":")
    if colon != -1 and _valid_optional_port(host[colon:]):
        host, port = host[:colon], host[colon + 1 :]
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, port


def parse_go_url(raw: str) -> GoURL:
    """Parse like Go ``url.Parse``.

    Raises :class:`~pytest_wfsnap.errors.HTTPNodeError` with Go's message,
    ``parse "<url>": <reason>``.
    """
    without_fragment, _, fragment = raw.partition("#")
    try:
        parsed = _parse(without_fragment)
    except _Reason as exc:
        raise HTTPNodeError(f"parse {go_quote(without_fragment)}: {exc.text}") from None
    if fragment:
        try:
            fragment = _unescape(fragment, "fragment")
        except _Reason as exc:
            raise HTTPNodeError(f"parse {go_quote(raw)}: {exc.text}") from None
    return replace(parsed, fragment=fragment) if fragment else parsed


class _Reason(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _parse(raw: str) -> GoURL:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise _Reason("net/url: invalid control character in URL")
    if raw == "*":
        return GoURL("", "", None, None, "", "*", "", "")
    scheme, rest = _get_scheme(raw)
    scheme = scheme.lower()
    query = ""
    if rest.endswith("?") and rest.count("?") == 1:
        rest = rest[:-1]
    else:
        rest, _, query = rest.partition("?")
    if not rest.startswith("/"):
        if scheme:
            return GoURL(scheme, rest, None, None, "", "", query, "")
        if ":" in rest.partition("/")[0]:
            raise _Reason("first path segment in URL cannot contain colon")
    username: str | None = None
    password: str | None = None
    host = ""
    if (scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        rest = slash + path
        username, password, host = _parse_authority(authority)
    return GoURL(scheme, "", username, password, host, _unescape(rest, "path"), query, "")


def _get_scheme(raw: str) -> tuple[str, str]:
    for i, c in enumerate(raw):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                return "", raw
            continue
        if c == ":":
            if i == 0:
                raise _Reason("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return "", raw
    return "", raw


def _parse_authority(authority: str) -> tuple[str | None, str | None, str]:
    at = authority.rfind("@")
    host = _parse_host(authority[at + 1 :] if at >= 0 else authority)
    if at < 0:
        return None, None, host
    userinfo = authority[:at]
    if not all((c.isascii() and c.isalnum()) or c in _USERINFO_PUNCT for c in userinfo):
        raise _Reason("net/url: invalid userinfo")
    if ":" not in userinfo:
        return _unescape(userinfo, "userinfo"), None, host
    user, _, password = userinfo.partition(":")
    return _unescape(user, "userinfo"), _unescape(password, "userinfo"), host


def _parse_host(host: str) -> str:
    if host.startswith("["):
        close = host.rfind("]")
        if close < 0:
            raise _Reason("missing ']' in host")
        colon_port = host[close + 1 :]
        if not _valid_optional_port(colon_port):
            raise _Reason(f"invalid port {go_quote(colon_port)} after host")
        zone = host[:close].find("%25")
        if zone >= 0:
            return (
                _unescape(host[:zone], "host")
                + _unescape(host[zone:close], "zone")
                + _unescape(host[close:], "host")
            )
    else:
        colon = host.rfind(":")
        if colon != -1:
            colon_port = host[colon:]
            if not _valid_optional_port(colon_port):
                raise _Reason(f"invalid port {go_quote(colon_port)} after host")
    return _unescape(host, "host")


def _valid_optional_port(port: str) -> bool:
    if port == "":
        return True
    if port[0] != ":":
        return False
    return all("0" <= c <= "9" for c in port[1:])


def _should_escape_host_byte(c: str) -> bool:
    """Go ``shouldEscape(c, encodeHost)`` for an ASCII character."""
    return not (c.isalnum() or c in _UNRESERVED_MARKS or c in _HOST_PUNCT)


def _unescape(text: str, mode: str) -> str:
    """Go ``unescape``: validate %-escapes (and host characters), then decode them."""
    host_like = mode in ("host", "zone")
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "%":
            if i + 2 >= n or text[i + 1] not in _HEX or text[i + 2] not in _HEX:
                raise _Reason(f"invalid URL escape {go_quote(text[i : i + 3])}")
            value = int(text[i + 1 : i + 3], 16)
            escape = text[i : i + 3]
            if mode == "host" and value < 0x80 and escape != "%25":
                raise _Reason(f"invalid URL escape {go_quote(escape)}")
            if (
                mode == "zone"
                and escape != "%25"
                and value != 0x20
                and (value >= 0x80 or _should_escape_host_byte(chr(value)))
            ):
                raise _Reason(f"invalid URL escape {go_quote(escape)}")
            i += 3
            continue
        if host_like and c.isascii() and _should_escape_host_byte(c):
            raise _Reason(f"invalid character {go_quote(c)} in host name")
        i += 1
    if "%" not in text:
        return text
    raw = text.encode("utf-8")
    out = bytearray()
    j = 0
    while j < len(raw):
        if raw[j] == 0x25:  # '%'
            out.append(int(raw[j + 1 : j + 3], 16))
            j += 3
        else:
            out.append(raw[j])
            j += 1
    return out.decode("utf-8", errors="replace")


__all__ = ["GoURL", "parse_go_url", "split_host_port"]
