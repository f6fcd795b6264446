"""Password hashing: Argon2id with OWASP's recommended cost instead of Django's heavier default.

Django's default asks 100 MiB and 8 lanes per check, which under 50 simultaneous logins on two
cores made logins time out (make load). OWASP's Password Storage Cheat Sheet recommends Argon2id
with m=19 MiB, t=2, p=1 as a minimum; hashes made with other parameters are upgraded at the
next login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
