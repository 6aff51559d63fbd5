"""Fetching: ``Fetcher`` is the public face; the modules beside it are its private parts.

- fetcher.py    Fetcher: one pooled httpx client per run, returns a Page or raises a FetchError
- response.py   URL checks and the Page an answer becomes
- wire.py       one GET under the size cap and deadline
- hostpool.py   an httpx transport with a connection pool per host, pinned to checked addresses
- netguard.py   which addresses a discovered link may reach
- ratelimit.py  global and per-host slots, per-host delays
- backoff.py    retry delays and Retry-After
- robots.py     robots.txt rules, cached per origin
- decompress.py bounded content decoding (gzip, br, zstd)
"""

from scraper.fetch.fetcher import Fetcher, make_page

__all__ = ["Fetcher", "make_page"]
