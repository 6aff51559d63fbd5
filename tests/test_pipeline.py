"""The run as a process: extraction workers live and die with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .conftest import ROOT


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(x) for x in text)
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_sigkilled_run_leaves_no_worker_behind(httpserver, tmp_path) -> None:
    # A page that never finishes keeps the run busy while we kill it. The server is shared by
    # the session's tests and answers one request at a time: it is let go at the end, not 30 s later.
    release = threading.Event()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/slow").respond_with_handler(lambda request: release.wait(30))
    config = tmp_path / "config.toml"
    config.write_text("[fetch]\nper_host_delay_s = 0.0\ndeadline_s = 60.0\nread_timeout_s = 60.0\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper", "fetch", httpserver.url_for("/slow"), "--db", str(tmp_path / "a.db"), "--config", str(config)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while time.monotonic() < deadline and not workers:
            time.sleep(0.1)
            workers = children(proc.pid)
        assert workers, "the run started no extraction workers"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(alive(w) for w in workers), "workers outlived the killed run"
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
