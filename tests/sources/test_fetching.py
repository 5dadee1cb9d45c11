"""sources/fetching.py: the fetcher's rules (SECURITY.md, "Fetching cited pages")."""

import socket

import pytest

from sources.fetching import (
    FetchRefused,
    FetchTooLarge,
    FetchTransient,
    FetchUnreachable,
    FetchUnsupportedType,
    fetch,
)
from tests.sources.web import article


@pytest.fixture
def no_loopback(settings):
    settings.SOURCE_FETCH_ALLOW_LOOPBACK = False


def fake_dns(monkeypatch, answers: dict[str, list[str]]):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (
                    socket.AF_INET6 if ":" in ip else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (ip, port),
                )
                for ip in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_fetches_a_page_with_a_clear_user_agent(web, settings):
    url = web.serve("/a", body=article("A", "Hello."))
    result = fetch(url)
    assert result.status == 200
    assert result.final_url == url
    assert b"Hello." in result.body
    assert web.requests[-1][2] == settings.SOURCE_FETCH_USER_AGENT
    assert "Veraz" in settings.SOURCE_FETCH_USER_AGENT


def test_follows_redirects_and_reports_the_final_url(web):
    target = web.serve("/final", body=article("F", "Moved here."))
    start = web.serve("/old", status=301, location="/final")
    result = fetch(start)
    assert result.final_url == target
    assert result.requested_url == start
    assert result.redirects == [start]


def test_redirect_loop_is_refused(web):
    web.serve("/loop", status=302, location="/loop")
    with pytest.raises(FetchRefused, match="Too many redirects"):
        fetch(web.url("/loop"))


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://127.0.0.1:70/", "javascript:alert(1)"],
)
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchRefused):
        fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://localhost:9/",
        "http://[::1]:9/",
        "http://0.0.0.0:9/",
        "http://2130706433:9/",  # 127.0.0.1 spelled as a number
    ],
)
def test_loopback_is_refused_unless_allowed(no_loopback, url):
    with pytest.raises(FetchRefused):
        fetch(url)


@pytest.mark.parametrize(
    "ip",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata, link-local
        "100.64.0.1",  # carrier-grade NAT
        "fe80::1",
        "fc00::1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_private_and_link_local_addresses_are_refused(ip):
    # Loopback is allowed in these tests; everything else internal never is.
    host = f"[{ip}]" if ":" in ip else ip
    with pytest.raises(FetchRefused):
        fetch(f"http://{host}/")


def test_a_name_resolving_to_a_private_address_is_refused_after_dns(monkeypatch):
    fake_dns(monkeypatch, {"intranet.example.com": ["10.1.2.3"]})
    with pytest.raises(FetchRefused, match="10.1.2.3"):
        fetch("http://intranet.example.com/")


def test_one_private_answer_among_public_ones_refuses_the_host(monkeypatch):
    fake_dns(monkeypatch, {"mixed.example.com": ["93.184.216.34", "192.168.0.10"]})
    with pytest.raises(FetchRefused):
        fetch("http://mixed.example.com/")


def test_a_redirect_to_a_private_address_is_refused(web):
    web.serve("/to-metadata", status=302, location="http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchRefused, match="169.254.169.254"):
        fetch(web.url("/to-metadata"))


def test_a_redirect_to_loopback_is_refused_when_loopback_is_not_allowed(web, monkeypatch, settings):
    # The first hop is a public name (pinned by fake DNS to the test server's
    # address only while loopback is allowed); the redirect goes to loopback.
    web.serve("/hop", status=302, location="http://127.0.0.1:9/admin/")
    settings.SOURCE_FETCH_ALLOW_LOOPBACK = False
    fake_dns(monkeypatch, {"public.example.com": ["93.184.216.34"]})
    from sources import fetching

    checked = []
    real = fetching.resolve_public_address

    def resolve(host, port):
        checked.append(host)
        if host == "public.example.com":
            real(host, port)  # passes: a public address
            settings.SOURCE_FETCH_ALLOW_LOOPBACK = True
            try:
                return real("127.0.0.1", web.server.server_address[1])
            finally:
                settings.SOURCE_FETCH_ALLOW_LOOPBACK = False
        return real(host, port)

    monkeypatch.setattr(fetching, "resolve_public_address", resolve)
    with pytest.raises(FetchRefused):
        fetch(f"http://public.example.com:{web.server.server_address[1]}/hop")
    assert checked == ["public.example.com", "127.0.0.1"]


def test_unknown_host_is_unreachable(monkeypatch):
    def no_dns(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchUnreachable):
        fetch("http://does-not-exist.invalid/")


def test_huge_pages_are_refused_by_declared_length(web, settings):
    settings.SOURCE_FETCH_MAX_BYTES = 1000
    url = web.serve("/big", body=b"x" * 5000)
    with pytest.raises(FetchTooLarge):
        fetch(url)


def test_huge_pages_are_cut_off_while_streaming(web, settings):
    settings.SOURCE_FETCH_MAX_BYTES = 100_000
    url = web.serve("/stream", length=10_000_000)
    with pytest.raises(FetchTooLarge):
        fetch(url)


def test_slow_pages_time_out(web, settings):
    settings.SOURCE_FETCH_TIMEOUT = 0.5
    url = web.serve("/slow", body=article("S", "Slow."), delay=2)
    with pytest.raises(FetchTransient):
        fetch(url)


@pytest.mark.parametrize(
    "content_type", ["application/json", "image/png", "application/octet-stream", ""]
)
def test_non_html_is_refused(web, content_type):
    url = web.serve("/thing", body=b"{}", content_type=content_type)
    with pytest.raises(FetchUnsupportedType):
        fetch(url)


def test_plain_text_is_accepted(web):
    url = web.serve("/t.txt", body=b"Plain words.", content_type="text/plain; charset=utf-8")
    assert fetch(url).body == b"Plain words."


def test_error_statuses_are_returned_not_raised(web):
    assert fetch(web.url("/missing")).status == 404
    assert fetch(web.url("/missing"), method="HEAD").status == 404
