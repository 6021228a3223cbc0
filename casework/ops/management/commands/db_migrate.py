"""``manage.py db_migrate``: ``migrate`` as the owner, then the application role's rights.

With MIGRATE_DATABASE_URL set (PostgreSQL with two roles), ``migrate`` runs with the default
connection switched to the owner's credentials for its length, so that data migrations and
post-migrate handlers (which use the default alias) run as the owner too, even before the
application's role exists; then ``db_roles``. Without it (SQLite, or one role): a plain
``migrate``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections


@contextmanager
def _default_as_owner() -> Iterator[None]:
    default = connections["default"]
    saved = dict(default.settings_dict)
    owner = settings.DATABASES["owner"]
    default.close()
    current = default.settings_dict
    current["NAME"], current["USER"] = owner["NAME"], owner.get("USER", "")
    current["PASSWORD"], current["HOST"] = owner.get("PASSWORD", ""), owner.get("HOST", "")
    current["PORT"], current["OPTIONS"] = owner.get("PORT", ""), owner.get("OPTIONS", {})
    try:
        yield
    finally:
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)


class Command(BaseCommand):
    help = "Apply migrations as the owner, then set the application role's rights."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args: Any, interactive: bool, **options: Any) -> None:
        if "owner" not in settings.DATABASES:
            call_command("migrate", interactive=interactive, stdout=self.stdout)
            return
        with _default_as_owner():
            call_command("migrate", interactive=interactive, stdout=self.stdout)
        call_command("db_roles", database="owner", stdout=self.stdout)
