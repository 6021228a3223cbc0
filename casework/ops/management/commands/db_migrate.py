"""``manage.py db_migrate``: ``migrate`` as the owner, then the application role's rights.

With MIGRATE_DATABASE_URL set (PostgreSQL with two roles): migrate on the ``owner`` alias, then
``db_roles``. Without it (SQLite, or one role): a plain ``migrate``.
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply migrations as the owner, then set the application role's rights."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args: Any, interactive: bool, **options: Any) -> None:
        if "owner" in settings.DATABASES:
            call_command("migrate", database="owner", interactive=interactive, stdout=self.stdout)
            call_command("db_roles", database="owner", stdout=self.stdout)
        else:
            call_command("migrate", interactive=interactive, stdout=self.stdout)
