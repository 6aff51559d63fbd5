"""Fetcher basics against real local servers: pages, errors, decoding, redirects."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scraper.errors import ConnectError, HTTPStatusError, InvalidURL
from tests.servers import fetch_error, fetch_one, run, settings


def test_html_page_is_fetched_and_decoded(httpserver: HTTPServer) -> None:
    html = "<html><head><title>Grüße</title></head><body><p>Straße</p></body></html>"
    httpserver.expect_request("/article").respond_with_data(html.encode("utf-8"),
                                                           content_type="text/html; charset=utf-8")
    page = run(fetch_one(httpserver.url_for("/article")))
    assert page.status == 200
    assert page.is_html
    assert page.charset == "utf-8"
    assert page.text == html
    assert page.content == html.encode("utf-8")
    assert page.final_url == page.url == httpserver.url_for("/article")
    assert page.header("content-type") == "text/html; charset=utf-8"
    assert page.fetched_at.endswith("+00:00")
    assert page.redirects == ()


def test_user_agent_from_settings_is_sent(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ua", headers={"User-Agent": "testbot/9"}).respond_with_data("<p>ok</p>",
                                                                                          content_type="text/html")
    page = run(fetch_one(httpserver.url_for("/ua"), settings(user_agent="testbot/9")))
    assert page.status == 200


def test_default_user_agent_names_the_project(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data("<p>ok</p>", content_type="text/html")
    run(fetch_one(httpserver.url_for("/")))
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"].startswith("scraper/")


def test_404_is_an_http_status_error_without_retry(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/missing").respond_with_data("nope", status=404)
    error = fetch_error(httpserver.url_for("/missing"))
    assert isinstance(error, HTTPStatusError)
    assert error.status == 404
    assert str(error) == f"{httpserver.url_for('/missing')}: HTTP 404"
    assert len(httpserver.log) == 1


def test_connection_refused_is_reported() -> None:
    error = fetch_error("http://127.0.0.1:9/", settings(attempts=2))
    assert isinstance(error, ConnectError)
    assert error.reason == "connection refused"


@pytest.mark.parametrize("url", ["ftp://example.org/file", "not a url", "http:///nohost", "mailto:a@b.c"])
def test_invalid_urls_are_refused(url: str) -> None:
    assert isinstance(fetch_error(url), InvalidURL)


def test_redirect_chain_is_recorded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_response(Response(status=301, headers={"Location": "/b"}))
    httpserver.expect_request("/b").respond_with_response(Response(status=302, headers={"Location": "/c"}))
    httpserver.expect_request("/c").respond_with_data("<p>here</p>", content_type="text/html")
    page = run(fetch_one(httpserver.url_for("/a")))
    assert page.final_url == httpserver.url_for("/c")
    assert page.redirects == (httpserver.url_for("/a"), httpserver.url_for("/b"))
    assert page.text == "<p>here</p>"
