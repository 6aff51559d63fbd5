"""HTTP/2 is used where the server offers it (TLS with ALPN), over the same client."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from scraper.errors import ConnectError
from tests.servers import fetch_error, fetch_one, h2_server, run, self_signed_certificate, settings


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


def trusting(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def test_http2_is_negotiated_with_a_server_that_offers_it(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    html = b"<html><body><p>over h2</p></body></html>"
    with h2_server(cert, key, html) as server:
        url = f"https://127.0.0.1:{server.port}/story"
        page = run(fetch_one(url, settings(http2=True), {"ssl_context": trusting(cert)}))
        assert [r.path for r in server.requests] == ["/story"]  # this server speaks nothing but h2
        assert server.requests[0].headers["user-agent"].startswith("scraper/")
    assert page.status == 200
    assert page.text == "<html><body><p>over h2</p></body></html>"


def test_untrusted_certificate_is_a_tls_error(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    with h2_server(cert, key, b"<p>x</p>") as server:
        error = fetch_error(f"https://127.0.0.1:{server.port}/", settings(attempts=1))
    assert isinstance(error, ConnectError)
    assert error.reason.startswith("TLS error: certificate verify failed")
