"""Migration operations for the schema's indexes (``tests/test_indexes.py`` states the rules)."""

from django.db import migrations


def plain_indexes_dropped(indexes: list[tuple[str, str, str]]) -> list[migrations.RunSQL]:
    """Drop, by name, the plain index Django made for each ``(table, column, index)``: a
    foreign key whose column leads another index of its table (a unique constraint's or a
    composite one), which serves its lookups and its checks. Unapplied, each is made again.

    For the database only, inside ``SeparateDatabaseAndState`` beside the fields' AlterField
    (``db_index=False``): said as an AlterField alone, Django would also drop and re-add the
    foreign key on PostgreSQL (checking every row again under a lock) and rebuild the table on
    SQLite, for an index."""
    return [
        migrations.RunSQL(
            f'DROP INDEX IF EXISTS "{index}"',
            reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
        )
        for table, column, index in indexes
    ]
