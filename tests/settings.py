"""Test settings: the real settings with a fast password hasher and no SQLite file."""

import os
import tempfile

# The real settings refuse to start without a secret; tests use a throwaway one.
os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 50)

from casework.settings import *  # noqa: E402, F403

# Pages render without a `collectstatic` (tests/ops/test_production.py uses the real storage).
_PLAIN_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STORAGES = {**STORAGES, "staticfiles": _PLAIN_STATIC}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# A file-backed SQLite test database, so that threaded tests see real locking (WAL, IMMEDIATE).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"casework-test-{os.getpid()}.sqlite3")
    }

# A fixed audit key; each test gets its own anchor file (tests/conftest.py).
AUDIT_HMAC_KEY = "test-audit-key-0123456789abcdef0123456789abcdef"

# The suite logs in managers and administrators without codes; tests/accounts turns it on.
TWO_FACTOR_REQUIRED = False

# Private files in memory (the code knows only the storage API); a test that shares files with
# a worker process sets CASEWORK_TEST_FILE_STORAGE (disk under EXPORT_ROOT) for both.
if not os.environ.get("CASEWORK_TEST_FILE_STORAGE"):
    STORAGES = {  # noqa: F405
        **STORAGES,  # noqa: F405
        "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
