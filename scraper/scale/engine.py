"""The Dask side: a client for a scheduler's address, or a LocalCluster on this machine.

Only this module imports Dask, and only when a run asks for ``--engine dask``. Each worker is a
process with one thread, so a task (one WARC, one range of captures) has a core to itself, and
extraction runs inline in it. A worker that dies mid-task is replaced by Dask's nanny and the
task is run again elsewhere; the task itself makes that safe (shards.py).

Many machines: start ``dask scheduler`` on one and ``dask worker tcp://HEAD:8786 --nthreads 1``
on each (all seeing the shards folder at the same path, e.g. over NFS), then pass
``--scheduler tcp://HEAD:8786``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from scraper.errors import ScraperError

T = TypeVar("T")
Item = TypeVar("Item")
CONNECT_TIMEOUT_S = 20
POLL_S = 0.1  # how soon a stop request is seen while every task is still running


class Engine(StrEnum):
    """The engines a bulk command can run on (``--engine``); without one it runs on this machine's cores."""

    dask = "dask"


class EngineError(ScraperError):
    """Dask is not installed, or the scheduler cannot be reached."""


@contextlib.contextmanager
def client(scheduler: str | None = None, workers: int | None = None, *, dashboard: bool = True) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler`` if given, else to a LocalCluster of ``workers`` processes.

    The LocalCluster listens on 127.0.0.1 only; its dashboard too, on a free port (shown when bokeh
    is installed and ``dashboard`` is true).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError("--engine dask needs Dask: pip install -e '.[dask]'") from None
    if scheduler:
        try:
            remote = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, ValueError) as exc:  # ValueError: not an address at all
            raise EngineError(f"{scheduler}: cannot reach the Dask scheduler ({exc})") from None
        with remote:
            yield remote
        return
    # Even without a dashboard the scheduler serves HTTP (health, metrics): a free port, never 8787
    # taken by another cluster, and on 127.0.0.1 like everything else.
    with LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as local:
        local.show_dashboard = dashboard and _has_bokeh()  # its pages need bokeh
        yield local


def _has_bokeh() -> bool:
    try:
        import bokeh  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


def dashboard(dask_client: Any) -> str | None:
    """The dashboard's address, when the cluster has one to show."""
    if not getattr(dask_client, "show_dashboard", True):
        return None
    services = dask_client.scheduler_info().get("services", {})
    return str(dask_client.dashboard_link) if "dashboard" in services else None


def run_all(dask_client: Any, task: Callable[..., T], items: Sequence[Item], keys: Sequence[str],
            on_done: Callable[[Item, T | None, BaseException | None], None], *,
            stop: Callable[[], bool] = lambda: False, **kwargs: Any) -> None:
    """Submit ``task(item, **kwargs)`` for every item and call ``on_done`` as each ends, in any order.

    The keys name the tasks, so the dashboard shows which file is where, and two submissions of
    one file are one task. A task that raised (a bug, or a worker killed too often) is handed to
    ``on_done`` with its error, and the others go on. Once ``stop()`` is true the tasks no worker
    has started are cancelled and the running ones are waited for, so each ends reported.
    """
    from distributed import as_completed

    futures = {dask_client.submit(task, item, key=key, pure=False, **kwargs): item for item, key in zip(items, keys, strict=True)}
    finished = as_completed(futures)
    stopping = False
    while not finished.is_empty():
        if not stopping and stop():
            stopping = True
            running = {key for keys in dask_client.processing().values() for key in keys}
            dask_client.cancel([future for future in futures if future.key not in running and not future.done()])
        batch = finished.next_batch(block=False)
        if not batch:
            time.sleep(POLL_S)  # polled, not blocked on, so a signal's stop request is seen between tasks
            continue
        for future in batch:
            if not future.cancelled():
                _settle(future, futures[future], on_done)
            future.release()


def _settle(future: Any, item: Item, on_done: Callable[[Item, T | None, BaseException | None], None]) -> None:
    try:
        result = future.result()
    except Exception as exc:  # noqa: BLE001 - one task's fault is reported, the run goes on
        on_done(item, None, exc)
    else:
        on_done(item, result, None)
