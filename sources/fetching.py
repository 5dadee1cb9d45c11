"""The one way Veraz fetches a page from the web (captures and link checks).

Its rules are SECURITY.md's "Fetching cited pages": http(s) only; every
address a host name resolves to must be public (no private, loopback,
link-local, multicast, reserved or unspecified address), checked again after
every redirect, and the connection goes to the address that was checked, so a
second DNS answer cannot swap in an internal one; a timeout for the whole
fetch, a size cap on the decoded body, a short list of content types, and a
User-Agent that says who is asking.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import certifi
import urllib3
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = (*HTML_TYPES, "text/plain")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """The page could not be fetched. `transient` errors are worth retrying."""

    transient = False


class FetchRefused(FetchError):
    """The fetcher's rules forbid this URL (scheme or address)."""


class FetchTooLarge(FetchError):
    pass


class FetchUnsupportedType(FetchError):
    pass


class FetchUnreachable(FetchError):
    """DNS failure or connection refused: the page is not there."""


class FetchTransient(FetchError):
    """Timeouts, dropped connections, 5xx and 429: try again later."""

    transient = True


@dataclass
class FetchResult:
    requested_url: str
    final_url: str
    method: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    ip: str
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.header("content-type").split(";")[1:]:
            key, _sep, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"')
        return None

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return not settings.SOURCE_FETCH_ALLOW_LOOPBACK
    return (
        ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def resolve_public_address(host: str, port: int) -> str:
    """The address to connect to, after checking every address `host` has.

    One private answer among public ones refuses the host: a resolver that
    rotates answers could otherwise hand the connection an internal address.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchUnreachable(
            _("The host name %(host)s does not resolve.") % {"host": host}
        ) from exc
    addresses = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if _forbidden(ip):
            raise FetchRefused(
                _("%(host)s resolves to %(ip)s, a private or reserved address: not fetched.")
                % {"host": host, "ip": ip}
            )
        addresses.append(str(ip))
    if not addresses:
        raise FetchUnreachable(_("The host name %(host)s does not resolve.") % {"host": host})
    return addresses[0]


def check_url(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(
            _("Only http and https addresses are fetched, not %(url)s.") % {"url": url}
        )
    if not parts.hostname:
        raise FetchRefused(_("%(url)s has no host name.") % {"url": url})
    if parts.username or parts.password:
        raise FetchRefused(_("Addresses with a user name or password are not fetched."))
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused(_("%(url)s has an invalid port.") % {"url": url}) from exc
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, parts.hostname, port, path


def _pool(scheme: str, host: str, ip: str, port: int, timeout: float):
    kwargs = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False}
    if scheme == "https":
        context = ssl.create_default_context(cafile=certifi.where())
        return urllib3.HTTPSConnectionPool(
            ip, port, server_hostname=host, assert_hostname=host, ssl_context=context, **kwargs
        )
    return urllib3.HTTPConnectionPool(ip, port, **kwargs)


def fetch(url: str, *, method: str = "GET") -> FetchResult:
    """Fetch `url` under the rules above; any HTTP status is returned, not raised."""
    timeout = settings.SOURCE_FETCH_TIMEOUT
    deadline = time.monotonic() + timeout
    max_bytes = settings.SOURCE_FETCH_MAX_BYTES
    redirects: list[str] = []
    current = url
    while True:
        scheme, host, port, path = check_url(current)
        ip = resolve_public_address(host, port)
        default_port = 443 if scheme == "https" else 80
        host_header = host if port == default_port else f"{host}:{port}"
        if ":" in host and not host.startswith("["):
            host_header = f"[{host}]" if port == default_port else f"[{host}]:{port}"
        headers = {
            "Host": host_header,
            "User-Agent": settings.SOURCE_FETCH_USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
        }
        pool = _pool(scheme, host, ip, port, timeout)
        try:
            response = pool.urlopen(
                method, path, headers=headers, redirect=False, preload_content=False
            )
        except urllib3.exceptions.NewConnectionError as exc:
            raise FetchUnreachable(_("Could not connect to %(host)s.") % {"host": host}) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise FetchTransient(
                _("Fetching %(url)s failed: %(error)s") % {"url": current, "error": exc}
            ) from exc
        try:
            if response.status in REDIRECT_STATUSES and response.headers.get("Location"):
                if len(redirects) >= settings.SOURCE_FETCH_MAX_REDIRECTS:
                    raise FetchRefused(_("Too many redirects from %(url)s.") % {"url": url})
                redirects.append(current)
                current = urljoin(current, response.headers["Location"])
                if response.status == 303:
                    method = "GET"
                continue
            result = FetchResult(
                requested_url=url,
                final_url=current,
                method=method,
                status=response.status,
                reason=response.reason or "",
                headers=list(response.headers.items()),
                body=b"",
                ip=ip,
                fetched_at=timezone.now(),
                redirects=redirects,
            )
            if method != "HEAD" and response.status < 400:
                if result.content_type not in TEXT_TYPES:
                    raise FetchUnsupportedType(
                        _("%(type)s is not a page Veraz captures (HTML or plain text).")
                        % {"type": result.content_type or _("no content type")}
                    )
                result.body = _read_capped(response, max_bytes, deadline)
            return result
        finally:
            response.release_conn()
            pool.close()


def _read_capped(response, max_bytes: int, deadline: float) -> bytes:
    too_large = FetchTooLarge(
        _("The page is larger than %(n)s bytes: not captured.") % {"n": max_bytes}
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, total = [], 0
    try:
        for chunk in response.stream(64 * 1024, decode_content=True):
            total += len(chunk)
            if total > max_bytes:
                raise too_large
            if time.monotonic() > deadline:
                raise FetchTransient(_("The page took too long to arrive."))
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise FetchTransient(_("The page could not be read: %(error)s") % {"error": exc}) from exc
    return b"".join(chunks)
