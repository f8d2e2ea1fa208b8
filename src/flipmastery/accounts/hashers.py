"""How passwords are hashed: Argon2id with OWASP's minimum parameters (see README "Passwords and sign-in")."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


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
