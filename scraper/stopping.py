"""Ctrl-C and SIGTERM during `scrape fetch`, `scrape import-warc` and the `--engine dask` runs: a request to stop at a safe point.

A KeyboardInterrupt raised wherever the signal lands can fall between a page's capture and its
article, and an import would then call the record a duplicate forever. So while these commands
run, the first SIGINT or SIGTERM only asks them to stop: no new URL or record is started, the
ones in hand finish and are committed, and the command raises ``Interrupted`` with its totals.
A second signal gets the previous handler (KeyboardInterrupt at once) for a user in a hurry.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequest:
    """Set by the first signal; the work loop asks it between items (it is the ``stop``
    callable the loops take, and true once a signal came)."""

    def __init__(self) -> None:
        self.requested = False

    def __bool__(self) -> bool:
        return self.requested

    def __call__(self) -> bool:
        return self.requested


@contextlib.contextmanager
def stop_on_signals(on_stop: Callable[[], object] | None = None) -> Iterator[StopRequest]:
    """Install the handlers for the block; ``on_stop`` runs in the handler (e.g. to wake an event loop)."""
    request = StopRequest()
    if threading.current_thread() is not threading.main_thread():
        yield request  # only the main thread may set handlers: a script's worker thread keeps its Ctrl-C
        return
    previous: dict[int, Any] = {sig: signal.getsignal(sig) for sig in SIGNALS}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)

    def handler(signum: int, frame: FrameType | None) -> None:
        request.requested = True
        restore()
        if on_stop is not None:
            on_stop()

    for sig in SIGNALS:
        signal.signal(sig, handler)
    try:
        yield request
    finally:
        restore()
