"""The audit chain's secret key, held outside the database.

``AUDIT_HMAC_KEY`` (the environment) or the file ``AUDIT_HMAC_KEY_FILE`` (default
``var/audit_hmac_key``, made once by ``manage.py audit_key``). Whoever can write the database but
not read this key cannot compute a hash that verifies. With DEBUG on, a missing key file is
created on first use; in production a missing key is a configuration error, because two machines
that each made their own key would write two chains that cannot both verify.
"""

import functools
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)
MIN_KEY_LENGTH = 32


def key_file_create(path: Path) -> bool:
    """Write a new random key to ``path`` (mode 0600) unless it exists. True if it was made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return True


@functools.lru_cache(maxsize=4)
def _load(configured: str, path: str, debug: bool) -> bytes:
    text = configured
    if not text:
        key_path = Path(path)
        if not key_path.exists():
            if not debug:
                raise ImproperlyConfigured(
                    f"No audit key: set AUDIT_HMAC_KEY or create {key_path} with "
                    "`manage.py audit_key` (once, on one machine; copy it to the others)."
                )
            if key_file_create(key_path):
                logger.warning("Created the audit key %s (DEBUG on); back it up.", key_path)
        text = key_path.read_text(encoding="utf-8")
    text = text.strip()
    if len(text) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"The audit key must be at least {MIN_KEY_LENGTH} characters long."
        )
    return text.encode()


def audit_key() -> bytes:
    """The key of the audit chain's HMACs."""
    return _load(
        str(getattr(settings, "AUDIT_HMAC_KEY", "") or ""),
        str(settings.AUDIT_HMAC_KEY_FILE),
        bool(settings.DEBUG),
    )


def anchor_key() -> bytes:
    """A key of its own for the anchor file's lines, derived from the audit key."""
    return hmac.new(audit_key(), b"casework audit anchor file", hashlib.sha256).digest()
