"""How passwords are hashed: Argon2id with OWASP's minimum parameters (see README "Passwords and sign-in")."""

from __future__ import annotations

import os
import threading

from django.contrib.auth.hashers import Argon2PasswordHasher

# At most one hash per core at a time in a process: each holds 19 MiB while it runs, and a class signing in
# at once on 16 threads asked for 300 MiB that bought no speed (a hash is all CPU; the others wait their
# turn in the same time they would have shared the cores).
_AT_ONCE = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with 19 MiB of memory, 2 passes and 1 lane: OWASP's first recommended setting.

    Django's own Argon2 settings (100 MiB, 8 lanes) would ask a 2-core laptop for gigabytes when a class of
    60 signs in at once, and its default PBKDF2 (a million SHA-256 rounds) for half a second of CPU per
    student. This costs ~30 ms of CPU and 19 MiB per sign-in, and still makes every guess of an offline
    attacker use 19 MiB of memory, which is what keeps GPUs and ASICs from guessing cheaply.

    The algorithm name stays "argon2", so hashes made with other Argon2 parameters still verify; Django
    rehashes them with these at the person's next sign-in (`must_update` compares the parameters).
    """

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        with _AT_ONCE:
            return str(super().encode(password, salt))

    def verify(self, password: str, encoded: str) -> bool:
        with _AT_ONCE:
            return bool(super().verify(password, encoded))
