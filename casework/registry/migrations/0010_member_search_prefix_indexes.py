# Each member column the household search matches keeps one index, compared byte by byte
# (``registry.search_keys.prefix_index``). On PostgreSQL Django had made two for each
# (``db_index=True``): the one in the collation's order, which no query reads, is dropped; the
# other (``…_like``, of the same operator class as the new one) is renamed, not built again, so
# the migration builds no index over a city's members while their table is locked. SQLite had
# one plain index per column: it is made again under its new name.

from django.db import migrations, models

# column → (the index Django made for ``db_index=True``, the index that stays)
INDEXES = {
    "name": ("registry_member_name_4d2df171", "member_name_prefix"),
    "name_pinyin": ("registry_member_name_pinyin_38e3b9c7", "member_pinyin_prefix"),
    "name_pinyin_alt": ("registry_member_name_pinyin_alt_acc28d78", "member_pinyin_alt_prefix"),
    "name_initials": ("registry_member_name_initials_80c24fb5", "member_initials_prefix"),
    "name_initials_alt": (
        "registry_member_name_initials_alt_3879abf1",
        "member_initials_alt_prefix",
    ),
    "document_tail": ("registry_member_document_tail_fa0344d2", "member_doc_tail_prefix"),
}


def _index_sql(schema_editor, name: str, column: str, prefix: bool) -> str:
    """Make the index ``name`` on ``column`` if it is not there (a database whose indexes were
    not all Django's own); ``prefix``: of the byte-by-byte operator class (PostgreSQL)."""
    quote = schema_editor.quote_name
    postgres = schema_editor.connection.vendor == "postgresql"
    opclass = " varchar_pattern_ops" if prefix and postgres else ""
    return f"CREATE INDEX IF NOT EXISTS {quote(name)} ON registry_member ({quote(column)}{opclass})"


def forward(apps, schema_editor):
    quote = schema_editor.quote_name
    postgres = schema_editor.connection.vendor == "postgresql"
    for column, (made, kept) in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {quote(made)}")
        if postgres:
            schema_editor.execute(
                f"ALTER INDEX IF EXISTS {quote(made + '_like')} RENAME TO {quote(kept)}"
            )
        schema_editor.execute(_index_sql(schema_editor, kept, column, prefix=True))


def backward(apps, schema_editor):
    quote = schema_editor.quote_name
    postgres = schema_editor.connection.vendor == "postgresql"
    for column, (made, kept) in INDEXES.items():
        if postgres:
            schema_editor.execute(
                f"ALTER INDEX IF EXISTS {quote(kept)} RENAME TO {quote(made + '_like')}"
            )
            schema_editor.execute(_index_sql(schema_editor, made + "_like", column, prefix=True))
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(kept)}")
        schema_editor.execute(_index_sql(schema_editor, made, column, prefix=False))


def _search_key(verbose_name: str, max_length: int) -> models.CharField:
    return models.CharField(
        blank=True, db_default="", default="", editable=False, max_length=max_length,
        verbose_name=verbose_name,
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_county_figures_right"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, backward)],
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="name",
                    field=models.CharField(max_length=50, verbose_name="name"),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="name_pinyin",
                    field=_search_key("name in pinyin", 200),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="name_pinyin_alt",
                    field=_search_key("name in pinyin (other reading)", 200),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="name_initials",
                    field=_search_key("pinyin initials of the name", 50),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="name_initials_alt",
                    field=_search_key("pinyin initials of the name (other reading)", 50),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="document_tail",
                    field=_search_key("last four characters of the document number", 4),
                ),
                *[
                    migrations.AddIndex(
                        model_name="member",
                        index=models.Index(
                            fields=[column], name=kept, opclasses=["varchar_pattern_ops"]
                        ),
                    )
                    for column, (_made, kept) in INDEXES.items()
                ],
            ],
        ),
    ]
