"""The fetcher's pure parts: charset choice, sniffing, Retry-After, backoff, address classes, decoders."""

from __future__ import annotations

import gzip
import ipaddress
import random
import zlib
from datetime import UTC, datetime

import pytest

from scraper.charset import codec_name, declared_charset, decode_html, detect_charset
from scraper.fetch.backoff import backoff_delay, parse_retry_after
from scraper.fetch.decompress import BoundedDecoder, DecodeFailed, Overflow
from scraper.fetch.netguard import classify
from scraper.mediatype import media_type, sniff


@pytest.mark.parametrize(("label", "codec"), [("UTF-8", "utf-8"), ("latin1", "cp1252"), ("ISO-8859-1", "cp1252"),
                                              ("us-ascii", "cp1252"), ("Shift_JIS", "shift_jis"), ("bogus", None),
                                              ("", None), ('"utf-8"', "utf-8")])
def test_charset_labels(label: str, codec: str | None) -> None:
    assert codec_name(label) == codec


def test_meta_declaring_utf16_means_utf8() -> None:
    assert declared_charset(b'<meta charset="utf-16"><p>x</p>') == "utf-8"


def test_xml_declaration_is_a_declared_charset() -> None:
    assert declared_charset(b'<?xml version="1.0" encoding="windows-1251"?><html/>') == "cp1251"


def test_detection_keeps_utf8_cut_at_the_sample_end() -> None:
    body = b"a" * 63_999 + "é".encode() + b"tail"
    assert detect_charset(body) == "utf-8"


def test_detection_finds_cyrillic() -> None:
    text = "<p>Москва — столица России, крупнейший по численности населения город страны.</p>" * 3
    assert detect_charset(text.encode("cp1251")) == "cp1251"


def test_decoding_never_raises_on_random_bytes() -> None:
    rng = random.Random(7)
    for _ in range(200):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300)))
        text, charset = decode_html(body, rng.choice([None, "utf-8", "utf-16", "bogus", "cp1252"]))
        assert "\x00" not in text
        assert isinstance(charset, str)


@pytest.mark.parametrize(("header", "expected"), [
    ("text/html; charset=UTF-8", ("text/html", "UTF-8")),
    ('Text/HTML;Charset="iso-8859-1"', ("text/html", "iso-8859-1")),
    ("application/pdf", ("application/pdf", None)),
    (None, ("", None)),
])
def test_media_type_header(header: str | None, expected: tuple[str, str | None]) -> None:
    assert media_type(header) == expected


@pytest.mark.parametrize(("declared", "body", "expected"), [
    ("text/html", b"<html><p>hi\x00</p></html>", "text/html"),
    ("text/html", b"\x89PNG\r\n\x1a\n....", "image/png"),
    ("text/html", bytes(range(256)) * 4, "application/octet-stream"),
    ("text/html", b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "text/html"),
    ("", b"  <!DOCTYPE html><html></html>", "text/html"),
    ("", b"just some words", "text/plain"),
    ("application/json", b"<html></html>", "application/json"),
    ("text/plain", b"%PDF-1.7", "application/pdf"),
])
def test_sniffing(declared: str, body: bytes, expected: str) -> None:
    assert sniff(declared, body) == expected


def test_retry_after_forms() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now) == 30
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0  # in the past: now
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("-5", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_doubles_with_jitter() -> None:
    rng = random.Random(1)
    for attempt, nominal in ((1, 1.0), (2, 2.0), (3, 4.0)):
        delays = [backoff_delay(attempt, 1.0, rng) for _ in range(50)]
        assert all(nominal / 2 <= d <= nominal for d in delays)
        assert len(set(delays)) > 1  # jittered, not fixed


@pytest.mark.parametrize(("address", "kind"), [
    ("169.254.169.254", "forbidden"), ("169.254.1.1", "forbidden"), ("fe80::1", "forbidden"),
    ("fd00:ec2::254", "forbidden"), ("100.100.100.200", "forbidden"), ("::ffff:169.254.169.254", "forbidden"),
    ("127.0.0.1", "private"), ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("::1", "private"), ("fc00::1", "private"), ("100.64.0.1", "private"), ("0.0.0.0", "private"),
    ("::ffff:10.0.0.1", "private"), ("93.184.216.34", "public"), ("2606:4700::1111", "public"),
])
def test_address_classes(address: str, kind: str) -> None:
    assert classify(ipaddress.ip_address(address)) == kind


def feed_all(encoding: str, data: bytes, cap: int, step: int = 1000) -> bytes:
    decoder = BoundedDecoder(encoding, cap)
    for i in range(0, len(data), step):
        decoder.feed(data[i:i + step])
    return decoder.finish()


def test_decoders_round_trip_in_small_pieces() -> None:
    plain = b"some text " * 2000
    assert feed_all("gzip", gzip.compress(plain), 10**6, step=7) == plain
    assert feed_all("deflate", zlib.compress(plain), 10**6, step=7) == plain
    assert feed_all("deflate", zlib.compress(plain)[2:-4], 10**6, step=7) == plain  # raw deflate, as IIS sends
    assert feed_all("gzip", gzip.compress(plain[:5]) + gzip.compress(plain[5:]), 10**6) == plain  # two members
    assert feed_all("identity", plain, 10**6) == plain


def test_decoder_stops_a_bomb_without_inflating_it() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    decoder = BoundedDecoder("gzip", 1000)
    with pytest.raises(Overflow):
        decoder.feed(bomb)
    assert len(decoder.body) <= 1000


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(DecodeFailed):
        BoundedDecoder("compress", 100)
