"""The application's PostgreSQL role: full DML on the product's tables, only SELECT and INSERT
on the audit tables, owning nothing, no TRUNCATE, no superuser.

Run as the tables' owner (the role migrations run as, ``MIGRATE_DATABASE_URL``) after every
``migrate``: ``manage.py db_roles`` (or ``manage.py db_migrate``, which does both). The
application then connects with ``DATABASE_URL`` as this role and cannot change or remove an
audit event, switch the audit triggers off, or alter the audit tables.
"""

from django.apps import apps
from django.db import connections

# Privileges on every table but the audit tables; the audit tables get SELECT and INSERT only.
DML = "SELECT, INSERT, UPDATE, DELETE"


class RoleSetupError(RuntimeError):
    """The application role cannot be made safe as asked (it owns tables, it is the owner…)."""


def audit_tables() -> list[str]:
    return sorted(model._meta.db_table for model in apps.get_app_config("audit").get_models())


def db_roles_apply(*, using: str, role: str, password: str | None) -> list[str]:
    """Create or update ``role`` on the database of connection ``using`` (run as the owner).

    Returns the statements run (passwords left out). Idempotent: every run first revokes what
    the role held on the schema's tables, then grants exactly the rights above.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleSetupError("database roles exist on PostgreSQL only")
    quote = connection.ops.quote_name
    name = quote(role)
    audit = ", ".join(quote(table) for table in audit_tables())
    run: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        if owner == role:
            raise RoleSetupError(f"the application role {role!r} must not be the owner {owner!r}")
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        exists = cursor.fetchone() is not None
        attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        verb = "ALTER" if exists else "CREATE"
        if password:
            cursor.execute(f"{verb} ROLE {name} {attributes} PASSWORD %s", [password])
        else:
            cursor.execute(f"{verb} ROLE {name} {attributes}")
        run.append(f"{verb} ROLE {name} {attributes}")
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = %s AND c.relnamespace = current_schema()::regnamespace",
            [role],
        )
        if cursor.fetchone()[0]:
            raise RoleSetupError(f"the application role {role!r} owns tables in {schema!r}")
        cursor.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = %s"
            " AND tablename = ANY(%s) AND pg_has_role(%s, tableowner, 'USAGE')",
            [schema, audit_tables(), role],
        )
        if cursor.fetchone() is not None:
            raise RoleSetupError(f"the application role {role!r} is a member of the tables' owner")
        statements = [
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {name}",
            f"GRANT USAGE ON SCHEMA {quote(schema)} TO {name}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {quote(schema)} FROM {name}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quote(schema)} FROM {name}",
            f"GRANT {DML} ON ALL TABLES IN SCHEMA {quote(schema)} TO {name}",
            f"REVOKE UPDATE, DELETE ON {audit} FROM {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {name}",
        ]
        for statement in statements:
            cursor.execute(statement)
            run.append(statement)
    return run
