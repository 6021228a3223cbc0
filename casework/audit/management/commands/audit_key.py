"""``manage.py audit_key``: create the audit chain's key file once (``AUDIT_HMAC_KEY_FILE``).

Idempotent: an existing file is never replaced (a new key would not verify the events already
written). Back the file up apart from the database backups.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from casework.audit.keys import key_file_create


class Command(BaseCommand):
    help = "Create the audit chain's HMAC key file if it does not exist yet."

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "AUDIT_HMAC_KEY", ""):
            self.stdout.write("AUDIT_HMAC_KEY is set in the environment; no key file needed.")
            return
        path = Path(settings.AUDIT_HMAC_KEY_FILE)
        if key_file_create(path):
            self.stdout.write(f"Created the audit key {path}: back it up apart from the database.")
        else:
            self.stdout.write(f"The audit key {path} exists; left unchanged.")
