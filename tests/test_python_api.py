"""The Python API: the README's "From Python" example runs as a doctest; Archive raises the documented errors."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from scraper import Archive, config
from scraper.errors import StoreError
from scraper.history import NoSuchArticle

from .conftest import ROOT, SEED_FIXTURE


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the From Python section has one example"
    return blocks[0]


def test_readme_example_runs(site, tmp_path: Path, config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site.expect_request("/2017/11/iran-victory").respond_with_data(SEED_FIXTURE.read_bytes(),
                                                                  content_type="text/html; charset=utf-8")
    url = site.url_for("/2017/11/iran-victory")
    monkeypatch.chdir(config_file.parent)  # the example's config.toml: fast fetch settings for a loopback server
    globs = {"db": str(tmp_path / "archive.db"), "url": url, "html": SEED_FIXTURE.read_text(encoding="utf-8")}
    test = doctest.DocTestParser().get_doctest(readme_example(), globs, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0 and runner.tries > 5


def test_archive_raises_the_documented_errors(tmp_path: Path, config_file: Path) -> None:
    missing = Archive(tmp_path / "none.db")
    for call in (lambda: missing.search("x"), lambda: missing.history("https://news.example/a"),
                 lambda: list(missing.articles()), lambda: missing.export_warc(tmp_path / "out.warc")):
        with pytest.raises(StoreError, match="no archive here yet"):
            call()
    archive = Archive(tmp_path / "a.db", config.load(config_file, required=True))
    result = archive.fetch(["not a url"])
    assert not result.ok and result.tally.failed == 1  # a URL's failure is an Outcome, not an exception
    with pytest.raises(NoSuchArticle):
        archive.history("https://news.example/never")


def test_archive_crawls_exports_imports_and_reextracts(site, tmp_path: Path) -> None:
    site.expect_request("/").respond_with_data(
        b"<html><body><p>Front page</p><a href='/2017/11/iran-victory'>Iran</a></body></html>", content_type="text/html")
    site.expect_request("/2017/11/iran-victory").respond_with_data(SEED_FIXTURE.read_bytes(),
                                                                  content_type="text/html; charset=utf-8")
    cfg = tmp_path / "crawl.toml"
    cfg.write_text("[fetch]\nper_host_delay_s = 0.0\nattempts = 1\nhttp2 = false\n"
                   f'[[sources]]\nname = "local"\nstart_urls = ["{site.url_for("/")}"]\nmax_depth = 1\n'
                   'article_urls = ["/2017/"]\n', encoding="utf-8")
    archive = Archive(tmp_path / "a.db")
    summary = archive.crawl(cfg)
    assert (summary.exit_code, summary.total.stored, summary.total.fetched) == (0, 1, 2)  # the two pages, not robots.txt
    assert archive.export_warc(tmp_path / "out.warc.gz") == 2  # the start page and the article
    copy = Archive(tmp_path / "b.db")
    assert copy.import_warc([tmp_path / "out.warc.gz"]).line("imported") == \
        "imported: 1 stored, 0 updated, 0 unchanged, 0 duplicate, 1 skipped, 0 failed"  # the front page has no text
    assert [a.title for a in copy.articles()] == [a.title for a in archive.articles()]
    again = archive.reextract()
    assert (again.unchanged, again.failed) == (1, 0)


def test_extract_is_the_function_and_loads_on_first_use() -> None:
    import subprocess
    import sys

    script = ("import sys, scraper.cli; assert 'scraper.extract' not in sys.modules; "
              "import scraper.extract.body; from scraper import extract; assert callable(extract); "
              "print(extract('<html><title>T</title><body><article><p>One two three.</p></article></body></html>', "
              "'https://news.example/a').title)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "T"
