"""The sections' and courses' version tokens of one machine, in a file every server process maps.

With the file cache (one machine, SQLite), replacing a token in the cache wrote a new file and renamed it
over the old: a quarter of a millisecond for every start and submit, a tenth of their work. Here a token
is eight bytes in a slot of a 512 KiB file in the cache's folder, mapped into every process's memory:
replacing one is a write to memory that the others see at once, and reading one a read.

Keys share slots by their hash: a change to one section then also changes another's token, which only
makes that grid rebuild once. A slot still zero has no token yet; the first reader writes one. Two
processes writing a slot at once leave one of the two words, so at worst one reader keeps what it built
under a word that is gone and builds it again: a token is never trusted for more than "unchanged".
"""

from __future__ import annotations

import mmap
import os
import secrets
import threading
import zlib
from collections.abc import Iterable, Sequence

SLOTS = 1 << 16
WIDTH = 8  # bytes of a token
EMPTY = bytes(WIDTH)


class TokenMap:
    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, "tokens.map")
        self._pid, self._inode = 0, -1
        self._map: mmap.mmap | None = None
        self._opening = threading.Lock()

    def _current(self) -> bool:
        """Mapped by this process (a map inherited across fork is not ours), and still the file that is
        there (the folder removed while serving comes back as a new file, which every process maps anew)."""
        if self._map is None or self._pid != os.getpid():
            return False
        try:
            return os.stat(self.path).st_ino == self._inode
        except OSError:
            return False

    def _memory(self) -> mmap.mmap:
        if not self._current():
            with self._opening:
                if not self._current():
                    os.makedirs(os.path.dirname(self.path), 0o700, exist_ok=True)
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                    try:
                        if os.fstat(fd).st_size < SLOTS * WIDTH:
                            os.ftruncate(fd, SLOTS * WIDTH)  # zeros: no token yet
                        self._map = mmap.mmap(fd, SLOTS * WIDTH)
                        self._inode = os.fstat(fd).st_ino
                    finally:
                        os.close(fd)  # the map keeps the file
                    self._pid = os.getpid()
        assert self._map is not None
        return self._map

    @staticmethod
    def _at(key: str) -> int:
        return (zlib.crc32(key.encode()) % SLOTS) * WIDTH

    def replace(self, keys: Sequence[str]) -> None:
        memory = self._memory()
        for key in keys:
            at = self._at(key)
            memory[at : at + WIDTH] = _word()

    def get(self, key: str) -> str | None:
        at = self._at(key)
        found = self._memory()[at : at + WIDTH]
        return None if found == EMPTY else found.hex()

    def tokens(self, keys: Iterable[str]) -> dict[str, str]:
        memory, found = self._memory(), {}
        for key in keys:
            at = self._at(key)
            word = memory[at : at + WIDTH]
            if word == EMPTY:
                word = _word()
                memory[at : at + WIDTH] = word
            found[key] = word.hex()
        return found


def _word() -> bytes:
    while True:
        word = secrets.token_bytes(WIDTH)
        if word != EMPTY:
            return word
