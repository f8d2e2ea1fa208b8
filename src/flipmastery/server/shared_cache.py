"""Django's file-based cache with `add` and `incr` made atomic across the server processes of a machine.

The throttles count wrong codes with add + incr (accounts/address_limits.py, accounts/cards.py). Django's
file cache does each as a read and then a write, so several processes (or threads) counting at once lose
counts: 40 wrong join codes sent at once over two processes all passed a limit of 30. Here both run
under a lock: a process-local one for this process's threads, then an flock on a file in the cache
folder for the other processes (Windows has no flock; `serve` runs one process there). Redis
(FLIPMASTERY_REDIS_URL) counts atomically by itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


_THREADS = threading.Lock()  # Django makes a cache object per thread: the lock is the process's
_LOCK_FILES: dict[str, tuple[int, int]] = {}  # cache folder → (pid that opened it, descriptor)


def _lock_file(folder: str) -> int:
    pid, fd = _LOCK_FILES.get(folder, (0, -1))
    if pid != os.getpid():  # a descriptor inherited across fork would share the parent's lock
        os.makedirs(folder, 0o700, exist_ok=True)
        fd = os.open(os.path.join(folder, "counting.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        _LOCK_FILES[folder] = (os.getpid(), fd)
    return fd


class SharedFileCache(FileBasedCache):
    @contextmanager
    def _counting(self) -> Iterator[None]:
        with _THREADS:
            if fcntl is None:
                yield
                return
            fd = _lock_file(self._dir)  # type: ignore[attr-defined]
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        with self._counting():
            return bool(super().add(key, value, timeout, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        with self._counting():
            return super().incr(key, delta, version)
