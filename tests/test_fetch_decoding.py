"""Decoding and content types through the Fetcher: charsets, bad bytes, non-HTML, 304."""

from __future__ import annotations

import codecs
import socket

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request as WerkzeugRequest
from werkzeug import Response

from tests.servers import Request, fetch_one, raw_server, response, run

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def serve_bytes(body: bytes, content_type: str | None) -> object:
    headers = {"Content-Type": content_type} if content_type else {}

    def serve(request: Request, conn: socket.socket) -> None:
        conn.sendall(response(200, body, headers))
    return serve


def fetch_bytes(body: bytes, content_type: str | None):  # type: ignore[no-untyped-def]
    with raw_server(serve_bytes(body, content_type)) as server:
        return run(fetch_one(server.url("/page")))


def test_charset_from_http_header() -> None:
    html = "<html><body><p>Привет, мир</p></body></html>"
    page = fetch_bytes(html.encode("koi8-r"), "text/html; charset=KOI8-R")
    assert page.charset == "koi8-r"
    assert page.text == html


def test_charset_from_meta_only() -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>' \
           "<body><p>Привет, мир</p></body></html>"
    page = fetch_bytes(html.encode("cp1251"), "text/html")
    assert page.charset == "cp1251"
    assert "Привет, мир" in page.text


def test_charset_from_meta_charset_attribute() -> None:
    html = '<!doctype html><meta charset="shift_jis"><title>日本語</title><p>こんにちは</p>'
    page = fetch_bytes(html.encode("shift_jis"), "text/html")
    assert page.text == html


def test_no_charset_anywhere_latin1_bytes() -> None:
    html = "<html><body><p>Café crème à la française, garçon, naïve résumé.</p></body></html>"
    page = fetch_bytes(html.encode("latin-1"), "text/html")
    assert page.charset == "cp1252"
    assert page.text == html


def test_no_charset_anywhere_utf8_bytes() -> None:
    html = "<html><body><p>Grüße aus Köln — “quoted”</p></body></html>"
    page = fetch_bytes(html.encode("utf-8"), "text/html")
    assert page.charset == "utf-8"
    assert page.text == html


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                                (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_charset_from_bom_wins_over_a_wrong_header(bom: bytes, encoding: str) -> None:
    html = "<html><body><p>Żółć — ünïcödé</p></body></html>"
    page = fetch_bytes(bom + html.encode(encoding), "text/html; charset=iso-8859-1")
    assert page.is_html
    assert page.charset == encoding
    assert page.text == html  # the BOM itself is not part of the text


def test_invalid_utf8_and_nul_bytes_are_cleaned() -> None:
    body = b"<html><body><p>ok \xff\xfe broken \xc3( and\x00 nul\x00</p></body></html>"
    page = fetch_bytes(body, "text/html; charset=utf-8")
    assert page.is_html
    assert "\x00" not in page.text
    assert "\ufffd" in page.text
    assert page.text.startswith("<html><body><p>ok ")
    assert "and nul" in page.text
    assert page.content == body  # the capture keeps the bytes exactly as received


def test_unknown_charset_label_falls_back_to_detection() -> None:
    html = "<p>plain words</p>"
    page = fetch_bytes(html.encode(), "text/html; charset=no-such-charset")
    assert page.text == html
    assert page.charset == "utf-8"


def test_pdf_is_kept_but_not_html() -> None:
    page = fetch_bytes(PDF, "application/pdf")
    assert page.status == 200
    assert page.content_type == "application/pdf"
    assert not page.is_html
    assert page.text == ""
    assert page.content == PDF


def test_pdf_sent_as_text_html_is_not_html() -> None:
    page = fetch_bytes(PDF, "text/html")
    assert page.content_type == "application/pdf"
    assert not page.is_html and page.text == ""


def test_binary_sent_as_text_html_is_not_html() -> None:
    noise = bytes((i * 7919 + 13) % 256 for i in range(4096))
    page = fetch_bytes(noise, "text/html; charset=utf-8")
    assert page.content_type == "application/octet-stream"
    assert not page.is_html and page.text == ""
    assert page.content == noise


def test_json_is_not_html() -> None:
    page = fetch_bytes(b'{"a": 1}', "application/json")
    assert page.content_type == "application/json" and not page.is_html


def test_xhtml_is_html() -> None:
    xhtml = '<?xml version="1.0" encoding="iso-8859-1"?><html xmlns="http://www.w3.org/1999/xhtml"><p>Café</p></html>'
    page = fetch_bytes(xhtml.encode("latin-1"), "application/xhtml+xml")
    assert page.is_html
    assert page.text == xhtml


def test_missing_content_type_is_sniffed() -> None:
    page = fetch_bytes(b"<!DOCTYPE html><html><body><p>hi</p></body></html>", None)
    assert page.content_type == "text/html"
    assert page.is_html


def test_conditional_request_gives_304_unchanged(httpserver: HTTPServer) -> None:
    etag = '"v1"'
    modified = "Wed, 21 Oct 2015 07:28:00 GMT"

    def conditional(request: WerkzeugRequest) -> Response:
        if request.headers.get("If-None-Match") == etag and request.headers.get("If-Modified-Since") == modified:
            return Response(status=304, headers={"ETag": etag})
        return Response("<p>v1</p>", content_type="text/html", headers={"ETag": etag, "Last-Modified": modified})

    httpserver.expect_request("/doc").respond_with_handler(conditional)
    first = run(fetch_one(httpserver.url_for("/doc")))
    assert first.status == 200
    assert first.header("etag") == etag and first.header("last-modified") == modified
    second = run(fetch_one(httpserver.url_for("/doc"), etag=first.header("etag"),
                           last_modified=first.header("last-modified")))
    assert second.status == 304
    assert second.content == b"" and second.text == ""


@pytest.mark.parametrize("text", ["Irán", "Irán declares victory over ISIS in Syria and Iraq", "São Paulo, Göteborg, Kraków"])
def test_undeclared_latin1_prefers_windows_1252_over_other_8bit_pages(text: str) -> None:
    # charset_normalizer ranks cp1250, cp1257 or even big5 first on a few high bytes.
    html = f"<html><body><p>{text}</p></body></html>"
    page = fetch_bytes(html.encode("latin-1", errors="replace"), "text/html")
    assert (page.charset, page.text) == ("cp1252", html.encode("latin-1", errors="replace").decode("cp1252"))


def test_undeclared_cyrillic_still_detected() -> None:
    html = "<html><body><p>Русский текст о погоде и новостях дня, и ещё немного слов.</p></body></html>"
    page = fetch_bytes(html.encode("cp1251"), "text/html")
    assert page.text == html
