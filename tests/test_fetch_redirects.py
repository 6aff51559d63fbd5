"""Redirects and address safety: loops, long chains, other schemes, forbidden and private targets."""

from __future__ import annotations

import ipaddress
import socket
import time

from pytest_httpserver import HTTPServer
from werkzeug import Response

from scraper.errors import ConnectError, TooManyRedirects, UnsafeRedirect
from scraper.fetch.netguard import AddressClass, IPAddress, classify, resolve
from tests.servers import Request, fetch_error, fetch_one, raw_server, response, run, settings

LOCALHOST = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}


def public_localhost(ip: IPAddress) -> AddressClass:
    """localhost plays a public web server; every other address gets the real verdict."""
    return "public" if ip in LOCALHOST else classify(ip)


PUBLIC = {"address_policy": public_localhost}


def redirect(location: str, status: int = 302) -> Response:
    return Response(status=status, headers={"Location": location})


def test_redirect_loop_is_detected(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_response(redirect("/b"))
    httpserver.expect_request("/b").respond_with_response(redirect("/a"))
    error = fetch_error(httpserver.url_for("/a"))
    assert isinstance(error, TooManyRedirects)
    assert error.reason == "redirect loop"
    assert len(httpserver.log) == 2


def test_self_redirect_is_a_loop(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/self").respond_with_response(redirect("/self#again", 301))
    error = fetch_error(httpserver.url_for("/self"))
    assert isinstance(error, TooManyRedirects) and error.reason == "redirect loop"


def test_chain_of_30_stops_after_the_limit(httpserver: HTTPServer) -> None:
    for i in range(30):
        httpserver.expect_request(f"/hop{i}").respond_with_response(redirect(f"/hop{i + 1}", 307))
    httpserver.expect_request("/hop30").respond_with_data("<p>end</p>", content_type="text/html")
    error = fetch_error(httpserver.url_for("/hop0"))
    assert isinstance(error, TooManyRedirects)
    assert error.reason == "too many redirects (11)"
    assert len(httpserver.log) == 11  # the 10 followed redirects and the one that broke the limit


def test_chain_within_the_limit_is_followed(httpserver: HTTPServer) -> None:
    for i in range(3):
        httpserver.expect_request(f"/hop{i}").respond_with_response(redirect(f"/hop{i + 1}", 308))
    httpserver.expect_request("/hop3").respond_with_data("<p>end</p>", content_type="text/html")
    page = run(fetch_one(httpserver.url_for("/hop0"), settings(max_redirects=3)))
    assert page.final_url == httpserver.url_for("/hop3")
    assert len(page.redirects) == 3


def test_redirect_to_non_http_scheme_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ftp").respond_with_response(redirect("ftp://127.0.0.1/file"))
    error = fetch_error(httpserver.url_for("/ftp"))
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == "redirect to non-http scheme: ftp"


def test_redirect_to_file_scheme_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/file").respond_with_response(redirect("file:///etc/passwd"))
    error = fetch_error(httpserver.url_for("/file"))
    assert isinstance(error, UnsafeRedirect) and error.reason == "redirect to non-http scheme: file"


def test_redirect_from_public_page_to_metadata_address_is_refused_without_connecting(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/steer").respond_with_response(redirect("http://169.254.169.254/latest/meta-data/"))
    started = time.monotonic()
    error = fetch_error(httpserver.url_for("/steer"), settings(connect_timeout_s=3.0), PUBLIC)
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == "redirect to forbidden address 169.254.169.254"
    assert time.monotonic() - started < 1  # a connection attempt there would hang until the timeout


def test_forbidden_redirect_target_is_never_connected_to(httpserver: HTTPServer) -> None:
    """127.0.0.2 stands in for the metadata service, so a connection to it could be seen."""
    def policy(ip: IPAddress) -> AddressClass:
        return "forbidden" if str(ip) == "127.0.0.2" else public_localhost(ip)

    def serve(request: Request, conn: socket.socket) -> None:
        conn.sendall(response(200, b'{"secret": 1}', {"Content-Type": "application/json"}))

    with raw_server(serve, "127.0.0.2") as metadata:
        httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
        httpserver.expect_request("/steer").respond_with_response(redirect(metadata.url("/latest/meta-data/")))
        error = fetch_error(httpserver.url_for("/steer"), settings(respect_robots=True),
                            {"address_policy": policy})
        assert metadata.connections == 0
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == "redirect to forbidden address 127.0.0.2"


def test_redirect_to_link_local_is_refused_even_from_a_private_page(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/steer").respond_with_response(redirect("http://[fe80::1]/"))
    error = fetch_error(httpserver.url_for("/steer"))  # real policy: 127.0.0.1 is private
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == "redirect to forbidden address fe80::1"


def test_redirect_via_mapped_ipv6_metadata_address_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/steer").respond_with_response(redirect("http://[::ffff:169.254.169.254]/"))
    error = fetch_error(httpserver.url_for("/steer"))
    assert isinstance(error, UnsafeRedirect) and "forbidden address" in error.reason


def test_redirect_from_public_page_to_private_network_is_refused(httpserver: HTTPServer) -> None:
    def serve(request: Request, conn: socket.socket) -> None:
        conn.sendall(response(200, b"<p>internal</p>", {"Content-Type": "text/html"}))

    with raw_server(serve, "127.0.0.2") as internal:
        httpserver.expect_request("/steer").respond_with_response(redirect(internal.url("/admin")))
        error = fetch_error(httpserver.url_for("/steer"), fetcher_options=PUBLIC)
        assert internal.requests == []
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == "redirect to private address 127.0.0.2 from a public page"


def test_redirect_between_private_hosts_is_followed(httpserver: HTTPServer) -> None:
    def serve(request: Request, conn: socket.socket) -> None:
        conn.sendall(response(200, b"<p>intranet</p>", {"Content-Type": "text/html"}))

    with raw_server(serve, "127.0.0.2") as internal:
        httpserver.expect_request("/go").respond_with_response(redirect(internal.url("/wiki")))
        page = run(fetch_one(httpserver.url_for("/go")))
    assert page.text == "<p>intranet</p>"


def test_user_typed_private_url_is_allowed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data("<p>mine</p>", content_type="text/html")
    assert run(fetch_one(httpserver.url_for("/"), trusted=True)).text == "<p>mine</p>"


def test_discovered_link_to_private_address_is_refused_without_a_private_referrer(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data("<p>x</p>", content_type="text/html")
    error = fetch_error(httpserver.url_for("/"), trusted=False)
    assert isinstance(error, UnsafeRedirect)
    assert error.reason in ("link to private address 127.0.0.1 from a public page",
                            "link to private address ::1 from a public page")
    assert len(httpserver.log) == 0


def test_discovered_link_from_a_private_page_may_stay_private(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/next").respond_with_data("<p>x</p>", content_type="text/html")
    page = run(fetch_one(httpserver.url_for("/next"), trusted=False, referrer=httpserver.url_for("/")))
    assert page.status == 200


def test_discovered_link_to_metadata_address_is_refused() -> None:
    error = fetch_error("http://169.254.169.254/latest/", trusted=False, referrer="http://127.0.0.1/")
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == "link to forbidden address 169.254.169.254"


def test_host_resolving_to_a_forbidden_address_is_refused(httpserver: HTTPServer) -> None:
    async def rebinding_resolver(host: str, port: int) -> list[IPAddress]:
        # A name with one public and one metadata answer: the worst one decides.
        if host == "evil.test":
            return [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("169.254.169.254")]
        return await resolve(host, port)

    httpserver.expect_request("/steer").respond_with_response(redirect("http://evil.test/"))
    error = fetch_error(httpserver.url_for("/steer"), fetcher_options={"resolver": rebinding_resolver, **PUBLIC})
    assert isinstance(error, UnsafeRedirect)
    assert error.reason == "redirect to forbidden address 169.254.169.254"


def test_redirect_to_unresolvable_host_is_a_connect_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_response(redirect("http://no-such-host.invalid/"))
    error = fetch_error(httpserver.url_for("/gone"))
    assert isinstance(error, ConnectError)
    assert error.reason == "name not resolved: no-such-host.invalid"


def test_connection_goes_to_the_checked_address_not_a_second_lookup(httpserver: HTTPServer) -> None:
    """DNS rebinding: the name is checked once and the connection uses that answer."""
    async def resolver(host: str, port: int) -> list[IPAddress]:
        if host == "rebind.test":  # no real DNS knows this name; only the checked answer can reach it
            return [ipaddress.ip_address("127.0.0.2")]
        return await resolve(host, port)

    def serve(request: Request, conn: socket.socket) -> None:
        conn.sendall(response(200, b"<p>pinned</p>", {"Content-Type": "text/html"}))

    with raw_server(serve, "127.0.0.2") as internal:
        httpserver.expect_request("/go").respond_with_response(redirect(f"http://rebind.test:{internal.port}/x"))
        page = run(fetch_one(httpserver.url_for("/go"), fetcher_options={"resolver": resolver}))
        assert internal.requests[0].headers["host"] == f"rebind.test:{internal.port}"
    assert page.text == "<p>pinned</p>"
