"""String ``format`` checks as the Go library (gojsonschema) performs them.

``jsonschema`` only checks the formats whose optional dependencies are installed; gojsonschema
checks date, time, date-time, hostname, email, ipv4, ipv6, uri, uri-reference, iri,
iri-reference, uri-template, uuid, regex, json-pointer and relative-json-pointer. This module
gives a :class:`FormatChecker` with all of them, each following the Go check (``time.Parse``
layouts, ``url.Parse`` rules in the parts that reject input, the library's regular
expressions). Unknown format names pass, as they do in Go. Non-strings pass (only strings have
a format).
"""

from __future__ import annotations

import calendar
import ipaddress
import re
from collections.abc import Callable
from email.utils import parseaddr

from jsonschema import FormatChecker

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?", re.ASCII)
_ZONE = re.compile(r"Z|[+-](\d{2}):(\d{2})", re.ASCII)
_HOSTNAME = re.compile(
    r"([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])"
    r"(\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9]))*"
)
_URI_TEMPLATE = re.compile(r"([^{]*(\{[^}]*\})?)*")
_UUID = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}")
_JSON_POINTER = re.compile(r"(?:/(?:[^~/]|~0|~1)*)*")
_REL_JSON_POINTER = re.compile(r"(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _date_ok(text: str) -> bool:
    match = _DATE.fullmatch(text)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _time_ok(text: str) -> bool:
    """Go layout ``15:04:05`` (a fractional second is accepted after the seconds)."""
    match = _TIME.fullmatch(text)
    if match is None:
        return False
    hour, minute, second = (int(part) for part in match.groups()[:3])
    return hour < 24 and minute < 60 and second < 60


def _zone_ok(text: str) -> bool:
    match = _ZONE.fullmatch(text)
    if match is None:
        return False
    if text == "Z":
        return True
    return int(match.group(1)) < 24 and int(match.group(2)) < 60


def _split_zone(text: str) -> tuple[str, str] | None:
    for index in range(len(text) - 1, -1, -1):
        if text[index] in "Z+-":
            return text[:index], text[index:]
    return None


def _time_with_zone_ok(text: str) -> bool:
    parts = _split_zone(text)
    return parts is not None and _time_ok(parts[0]) and _zone_ok(parts[1])


def is_date(text: str) -> bool:
    return _date_ok(text)


def is_time(text: str) -> bool:
    return _time_with_zone_ok(text) or _time_ok(text)


def is_date_time(text: str) -> bool:
    """Any of Go's layouts ``15:04:05``, ``15:04:05Z07:00``, ``2006-01-02``, RFC 3339."""
    if is_time(text) or _date_ok(text):
        return True
    date, sep, rest = text.partition("T")
    return sep == "T" and _date_ok(date) and _time_with_zone_ok(rest)


def is_hostname(text: str) -> bool:
    return len(text) < 256 and _HOSTNAME.fullmatch(text) is not None


def is_email(text: str) -> bool:
    """An address ``net/mail.ParseAddress`` accepts (approximated: ``local@domain``)."""
    _, address = parseaddr(text)
    if not address or "@" not in address:
        return False
    local, _, domain = address.rpartition("@")
    return bool(local) and bool(domain) and not any(ch.isspace() for ch in address)


def is_ipv4(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return "." in text


def is_ipv6(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return ":" in text


def _url_parses(text: str) -> bool:
    """The inputs Go's ``url.Parse`` rejects: control characters, bad ``%`` escapes, a leading
    ``:`` (missing scheme), an unclosed IPv6 host."""
    if _CONTROL.search(text) or _BAD_ESCAPE.search(text) or text.startswith(":"):
        return False
    if text.startswith("//") or "://" in text:
        authority = text.split("//", 1)[1].split("/", 1)[0]
        if "[" in authority and "]" not in authority:
            return False
    return True


def is_uri(text: str) -> bool:
    return _url_parses(text) and _SCHEME.match(text) is not None and "\\" not in text


def is_uri_reference(text: str) -> bool:
    return _url_parses(text) and "\\" not in text


def is_uri_template(text: str) -> bool:
    return is_uri_reference(text) and _URI_TEMPLATE.fullmatch(text) is not None


def is_regex(text: str) -> bool:
    if text == "":
        return True
    try:
        re.compile(text)
    except re.error:
        return False
    return True


def go_format_checker() -> FormatChecker:
    """A checker with gojsonschema's formats (unknown formats pass)."""
    checker = FormatChecker(formats=())
    checks: dict[str, Callable[[str], bool]] = {
        "date": is_date,
        "time": is_time,
        "date-time": is_date_time,
        "hostname": is_hostname,
        "email": is_email,
        "idn-email": is_email,
        "ipv4": is_ipv4,
        "ipv6": is_ipv6,
        "uri": is_uri,
        "uri-reference": is_uri_reference,
        "iri": is_uri,
        "iri-reference": is_uri_reference,
        "uri-template": is_uri_template,
        "uuid": lambda text: _UUID.fullmatch(text) is not None,
        "regex": is_regex,
        "json-pointer": lambda text: _JSON_POINTER.fullmatch(text) is not None,
        "relative-json-pointer": lambda text: _REL_JSON_POINTER.fullmatch(text) is not None,
    }
    for name, check in checks.items():
        checker.checks(name)(_strings_only(check))
    return checker


def _strings_only(check: Callable[[str], bool]) -> Callable[[object], bool]:
    def run(instance: object) -> bool:
        return not isinstance(instance, str) or check(instance)

    return run


__all__ = [
    "go_format_checker",
    "is_date",
    "is_date_time",
    "is_email",
    "is_hostname",
    "is_ipv4",
    "is_ipv6",
    "is_regex",
    "is_time",
    "is_uri",
    "is_uri_reference",
    "is_uri_template",
]
