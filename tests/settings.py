"""Settings for the test suite: the real settings, with a test-only key and fast password hashing.

The database is switched to a throwaway PostgreSQL server by `tests/conftest.py` when one can start.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("STATIC_MANIFEST", "False")
os.environ.setdefault("TESTING", "True")

from lkt_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests speak plain HTTP to the test client; the security settings are tested on their own.
SECURE_SSL_REDIRECT = False
LKT_ENFORCE_2FA = False

# The suite requests PDFs, exports and mails freely; tests/test_rate_limits.py lowers one at a time.
LKT_RATE_LIMITS = {scope: (10_000, seconds) for scope, (_count, seconds) in LKT_RATE_LIMITS.items()}  # noqa: F405

# Uploaded files go to a throwaway folder per test session, never into var/media.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="lkt-test-media-")

# Tasks the tests dispatch without a worker (seminar notices after a change) go to a throwaway
# filesystem queue, never to var/broker, where `make run`'s worker would pick them up.
if CELERY_BROKER_URL.startswith("filesystem"):  # noqa: F405
    _queue = tempfile.mkdtemp(prefix="lkt-test-broker-")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": _queue,
        "data_folder_out": _queue,
        "processed_folder": _queue,
        "control_folder": _queue,
    }
