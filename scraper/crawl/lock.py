"""An exclusive lock next to the archive, so overlapping cron runs never crawl at once.

``flock`` on ``<db>.lock``: the kernel drops it when the holder exits, however it exits
(SIGKILL included), so a stale file never blocks the next run. The holder writes its pid
and what it is doing into the file for the message the loser prints.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self

from scraper.errors import ScraperError


class Locked(ScraperError):
    """Another `scrape crawl` (or reextract) holds the archive's lock."""

    def __init__(self, what: str, pid: int | None) -> None:
        super().__init__(f"another {what} is running (pid {pid if pid is not None else 'unknown'})")
        self.what = what
        self.pid = pid


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock")


class ArchiveLock:
    """``with ArchiveLock(db, "crawl"):`` raises Locked at once if another run holds it."""

    def __init__(self, db_path: str | Path, what: str = "crawl") -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self.what = what
        self.fd: int | None = None

    def acquire(self) -> None:
        if not self.path.parent.is_dir():
            raise ScraperError(f"{self.db_path}: cannot create database: directory {str(self.path.parent)!r} does not exist")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ScraperError(f"{self.path}: cannot create lock file ({exc.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            what, pid = read_holder(fd)
            os.close(fd)
            raise Locked(what or self.what, pid) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {self.what}\n".encode(), 0)
        except OSError as exc:  # a full disk (ENOSPC) or a failing one: nothing can be stored either
            os.close(fd)
            raise ScraperError(f"{self.path}: cannot write lock file ({exc.strerror})") from None
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            # Leave the file: unlinking it would let a third run lock a new inode while a second
            # still holds the old one. A truncate that fails (a failing disk) must not keep the lock.
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def read_holder(fd: int) -> tuple[str | None, int | None]:
    """(what, pid) the holder wrote; (None, None) if it has not written yet."""
    try:
        text = os.pread(fd, 200, 0).decode("ascii", "replace").split()
    except OSError:
        return None, None
    if not text or not text[0].isdigit():
        return None, None
    return (text[1] if len(text) > 1 else None), int(text[0])
