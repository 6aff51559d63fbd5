"""WARC files (ISO 28500): write.py writes the archive's captures out, read.py imports them."""
