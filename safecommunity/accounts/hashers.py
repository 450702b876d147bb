"""The password hasher: Argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).

Django's default PBKDF2-SHA256 at 1,000,000 iterations costs ≈ 0.45 s of CPU a sign-in on one of
our cores; at the start of a working day or at month's end hundreds of staff sign in within
minutes and each sign-in holds a web worker that long. Argon2id is memory-hard (a GPU or ASIC
gains far less against it than against PBKDF2) and at these parameters costs about a quarter of
the CPU. Passwords stored with PBKDF2 keep verifying and are re-hashed with Argon2id at the next
sign-in (Django upgrades a hash whose algorithm or parameters differ from the first hasher's).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
