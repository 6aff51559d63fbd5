"""scraper: fetch, extract and archive news and blog articles."""

__version__ = "0.1.0"
