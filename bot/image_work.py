"""Image work off the event loop: decoding, hashing, EXIF, the reuse check's fine comparison (and
OCR) run in a small pool of worker processes, so that acknowledgements and replies to other users
never wait for a big photo.

One pool per server process, shared by everything in it (`workers()`), created on first use and
sized by the `IMAGE_WORKERS` setting (`configure`). Jobs beyond the pool's size wait in the event
loop, not in the pool: a waiting job can still be cancelled and holds no worker. Workers are started
by a fork server (never forked from the threaded server process) and replaced after
`TASKS_PER_WORKER` jobs, so memory a decoder or OCR model kept is given back."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
TASKS_PER_WORKER = 200
# Imported once by the fork server, so each new worker starts with them loaded.
PRELOAD = ["bot.integrity_image", "bot.integrity_match"]


def default_size() -> int:
    """One core is left to the event loop (and the database): at least 1, at most 4 workers."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class ImageWorkers:
    def __init__(self, size: int | None = None) -> None:
        self.size = size or default_size()
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._gates: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = \
            weakref.WeakKeyDictionary()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(PRELOAD)
                self._pool = ProcessPoolExecutor(self.size, mp_context=context,
                                                 max_tasks_per_child=TASKS_PER_WORKER)
            return self._pool

    def _gate(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(self.size)
        return gate

    def _replace_broken(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker process; at most `size` at once from this event loop. A worker
        that died (killed for memory, a crashing decoder) breaks the pool: it is replaced and the
        job tried once more, since the job that killed it may have been another one."""
        async with self._gate():
            loop = asyncio.get_running_loop()
            for attempt in (1, 2):
                pool = self._executor()
                try:
                    return await loop.run_in_executor(pool, fn, *args)
                except BrokenProcessPool:
                    log.warning("image worker died (attempt %d); the pool is replaced", attempt)
                    self._replace_broken(pool)
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


_workers = ImageWorkers()


def configure(size: int | None) -> ImageWorkers:
    """Size the process's pool (0 or None: `default_size()`); a running pool of another size is
    shut down first."""
    global _workers
    size = size or default_size()
    if size != _workers.size:
        _workers.shutdown()
        _workers = ImageWorkers(size)
    return _workers


def workers() -> ImageWorkers:
    return _workers
