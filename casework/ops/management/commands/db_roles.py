"""``manage.py db_roles [--database owner]``: set up the application's PostgreSQL role.

Connects as the owner (the ``owner`` alias, from MIGRATE_DATABASE_URL) and creates or updates
the role DATABASE_URL names, with its password: DML on the product's tables, SELECT and INSERT
only on the audit tables (``casework.ops.db_roles``). Run it after every ``migrate``.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.ops.db_roles import RoleSetupError, db_roles_apply


class Command(BaseCommand):
    help = "Create or update the application's PostgreSQL role (run as the owner)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--database",
            default="owner",
            help="the owner's connection alias (default: owner, from MIGRATE_DATABASE_URL)",
        )

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        if database not in settings.DATABASES:
            raise CommandError(
                "Set MIGRATE_DATABASE_URL to the owner's URL (DATABASE_URL names the "
                "application's role)."
            )
        app = settings.DATABASES["default"]
        role, password = app.get("USER"), app.get("PASSWORD")
        if not role:
            raise CommandError("DATABASE_URL must name the application's role (user).")
        try:
            statements = db_roles_apply(using=database, role=role, password=password)
        except RoleSetupError as exc:
            raise CommandError(str(exc)) from exc
        for statement in statements:
            self.stdout.write(statement)
        self.stdout.write(f"Role {role}: SELECT and INSERT only on the audit tables.")
