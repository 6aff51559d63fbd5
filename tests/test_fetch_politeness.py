"""Politeness and retries: robots.txt, Crawl-delay, host and global limits, backoff, Retry-After."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from itertools import pairwise

from pytest_httpserver import HTTPServer
from werkzeug import Request as WerkzeugRequest
from werkzeug import Response

from scraper.errors import ConnectError, HTTPStatusError, RobotsDisallowed
from scraper.models import Page
from tests.servers import Request, fetch_error, fetch_many, fetch_one, raw_server, response, run, settings

HTML = {"Content-Type": "text/html"}


def page_handler(times: list[float]) -> object:
    def handle(request: WerkzeugRequest) -> Response:
        times.append(time.monotonic())
        return Response("<p>ok</p>", content_type="text/html")
    return handle


def gaps(times: list[float]) -> list[float]:
    ordered = sorted(times)
    return [b - a for a, b in pairwise(ordered)]


def test_robots_disallow_is_honoured(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    httpserver.expect_request("/public").respond_with_data("<p>yes</p>", content_type="text/html")
    results = run(fetch_many([httpserver.url_for("/private/secret"), httpserver.url_for("/public"),
                              httpserver.url_for("/private/other")], settings(respect_robots=True)))
    assert isinstance(results[0], RobotsDisallowed)
    assert results[0].reason == "disallowed by robots.txt"
    assert isinstance(results[1], Page) and results[1].text == "<p>yes</p>"
    assert isinstance(results[2], RobotsDisallowed)
    paths = [request.path for request, _ in httpserver.log]
    assert paths.count("/robots.txt") == 1  # cached for the run, even with concurrent callers
    assert not any(path.startswith("/private") for path in paths)


def test_robots_rules_for_our_agent_win_over_the_wildcard(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: testbot\nDisallow: /\n\nUser-agent: *\nAllow: /\n", content_type="text/plain")
    error = fetch_error(httpserver.url_for("/any"), settings(respect_robots=True, user_agent="testbot/1.0 (+x)"))
    assert isinstance(error, RobotsDisallowed)


def test_missing_robots_allows_everything(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    httpserver.expect_request("/a").respond_with_data("<p>a</p>", content_type="text/html")
    assert run(fetch_one(httpserver.url_for("/a"), settings(respect_robots=True))).status == 200


def test_robots_server_error_disallows_everything(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    error = fetch_error(httpserver.url_for("/a"), settings(respect_robots=True, attempts=1))
    assert isinstance(error, RobotsDisallowed)
    assert error.reason == "robots.txt unreachable (HTTP 503)"


def test_robots_can_be_ignored_by_setting(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("<p>a</p>", content_type="text/html")
    run(fetch_one(httpserver.url_for("/a"), settings(respect_robots=False)))
    assert [request.path for request, _ in httpserver.log] == ["/a"]


def test_crawl_delay_spaces_requests_to_the_host(httpserver: HTTPServer) -> None:
    times: list[float] = []
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 0.3\n",
                                                               content_type="text/plain")
    for name in ("a", "b", "c"):
        httpserver.expect_request(f"/{name}").respond_with_handler(page_handler(times))
    results = run(fetch_many([httpserver.url_for(f"/{n}") for n in "abc"],
                             settings(respect_robots=True, per_host_concurrency=3)))
    assert all(isinstance(r, Page) for r in results)
    # Starts are spaced by the client; arrivals can bunch a little when one connect is slow.
    assert min(gaps(times)) >= 0.15
    assert max(times) - min(times) >= 0.5  # without the delay all three arrive within a few ms


def test_per_host_delay_from_settings(httpserver: HTTPServer) -> None:
    times: list[float] = []
    for name in ("a", "b", "c"):
        httpserver.expect_request(f"/{name}").respond_with_handler(page_handler(times))
    run(fetch_many([httpserver.url_for(f"/{n}") for n in "abc"], settings(per_host_delay_s=0.2, per_host_concurrency=3)))
    assert len(times) == 3
    assert min(gaps(times)) >= 0.1
    assert max(times) - min(times) >= 0.3


def concurrency_server(hold_s: float) -> tuple[object, dict[str, int]]:
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def serve(request: Request, conn: socket.socket) -> None:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(hold_s)
        with lock:
            state["now"] -= 1
        conn.sendall(response(200, b"<p>ok</p>", HTML))

    return serve, state


def test_per_host_concurrency_is_capped() -> None:
    serve, state = concurrency_server(0.1)
    with raw_server(serve) as server:
        results = run(fetch_many([server.url(f"/{i}") for i in range(8)], settings(per_host_concurrency=2)))
    assert all(isinstance(r, Page) for r in results)
    assert state["peak"] == 2


def test_global_concurrency_is_capped_across_hosts() -> None:
    serve, state = concurrency_server(0.1)
    with raw_server(serve, "127.0.0.1") as one, raw_server(serve, "127.0.0.2") as two:
        urls = [s.url(f"/{i}") for i in range(5) for s in (one, two)]
        results = run(fetch_many(urls, settings(per_host_concurrency=3, concurrency=3)))
    assert all(isinstance(r, Page) for r in results)
    assert state["peak"] == 3


def test_503_then_200_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/flaky").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("<p>fine</p>", content_type="text/html")
    page = run(fetch_one(httpserver.url_for("/flaky")))
    assert page.text == "<p>fine</p>"
    assert len(httpserver.log) == 2


def test_500_gives_up_after_the_attempts(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    error = fetch_error(httpserver.url_for("/broken"), settings(attempts=3))
    assert isinstance(error, HTTPStatusError)
    assert error.status == 500
    assert error.reason == "HTTP 500 (3 attempts)"
    assert len(httpserver.log) == 3


def test_other_4xx_are_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/forbidden").respond_with_data("no", status=403)
    error = fetch_error(httpserver.url_for("/forbidden"), settings(attempts=3))
    assert isinstance(error, HTTPStatusError) and error.status == 403
    assert len(httpserver.log) == 1


def test_retry_after_seconds_is_honoured_on_429(httpserver: HTTPServer) -> None:
    times: list[float] = []

    def limited(request: WerkzeugRequest) -> Response:
        times.append(time.monotonic())
        if len(times) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response("<p>ok</p>", content_type="text/html")

    httpserver.expect_request("/limited").respond_with_handler(limited)
    page = run(fetch_one(httpserver.url_for("/limited"), settings(backoff_s=0.01)))
    assert page.status == 200
    assert times[1] - times[0] >= 0.95


def test_retry_after_http_date_is_honoured(httpserver: HTTPServer) -> None:
    times: list[float] = []

    def limited(request: WerkzeugRequest) -> Response:
        times.append(time.monotonic())
        if len(times) == 1:
            when = datetime.now(UTC) + timedelta(seconds=2)
            return Response("later", status=503, headers={"Retry-After": format_datetime(when, usegmt=True)})
        return Response("<p>ok</p>", content_type="text/html")

    httpserver.expect_request("/later").respond_with_handler(limited)
    run(fetch_one(httpserver.url_for("/later"), settings(backoff_s=0.01, max_retry_after_s=5.0)))
    assert times[1] - times[0] >= 0.9  # HTTP dates have whole seconds: at least 1 s of the 2


def test_retry_after_over_the_cap_gives_up_at_once(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/tired").respond_with_data("go away", status=429, headers={"Retry-After": "3600"})
    started = time.monotonic()
    error = fetch_error(httpserver.url_for("/tired"), settings(max_retry_after_s=2.0))
    assert time.monotonic() - started < 1
    assert isinstance(error, HTTPStatusError) and error.status == 429
    assert error.reason == "HTTP 429, Retry-After 3600 s is over the 2 s limit"
    assert len(httpserver.log) == 1


def test_dead_host_fails_fast_for_every_page_when_robots_is_unreachable() -> None:
    urls = ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]
    started = time.monotonic()
    results = run(fetch_many(urls, settings(respect_robots=True, attempts=2)))
    assert all(isinstance(r, ConnectError) and r.reason == "connection refused" for r in results)
    assert [r.url for r in results] == urls  # type: ignore[union-attr]
    assert time.monotonic() - started < 2


def test_oversized_robots_keeps_its_first_rules(httpserver: HTTPServer) -> None:
    robots = "User-agent: *\nDisallow: /private/\n" + "# padding\n" * 100_000  # ~1 MB, over the 500 KiB read
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    error = fetch_error(httpserver.url_for("/private/x"), settings(respect_robots=True))
    assert isinstance(error, RobotsDisallowed)


def test_robots_txt_does_not_start_the_host_delay_before_the_page(httpserver: HTTPServer) -> None:
    """A single fetch reads robots.txt and then the page at once; the delay spaces pages only."""
    times: list[float] = []
    httpserver.expect_request("/robots.txt").respond_with_handler(
        lambda request: (times.append(time.monotonic()), Response("User-agent: *\nAllow: /\n"))[1])
    httpserver.expect_request("/a").respond_with_handler(page_handler(times))
    httpserver.expect_request("/b").respond_with_handler(page_handler(times))
    start = time.monotonic()
    run(fetch_one(httpserver.url_for("/a"), settings(respect_robots=True, per_host_delay_s=3.0)))
    assert time.monotonic() - start < 1.0, "robots.txt and the page took most of a 3 s delay"
    assert len(times) == 2
    # The page still starts the delay for the next page to the host.
    times.clear()
    run(fetch_many([httpserver.url_for("/a"), httpserver.url_for("/b")], settings(respect_robots=True, per_host_delay_s=0.5)))
    assert len(times) == 3 and sorted(times)[2] - sorted(times)[1] >= 0.45
