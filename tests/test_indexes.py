"""Every index on the project's own tables earns its keep (PostgreSQL's catalogue).

An index whose columns begin another index's, in the same order and operator classes, answers
nothing the longer one cannot, yet every insert writes it and the planner weighs it in every
plan that reads its table. Every foreign key still leads an index (its own or another's), so
that deleting or protecting the row it points at never reads the whole table. A member column
the search matches by prefix has one index, which serves the prefix and equality alike.
"""

import pytest
from django.apps import apps
from django.db import connection, transaction

from casework.registry.search_keys import MEMBER_PREFIX_INDEXES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalogue"),
]

PACKAGES = ("casework.", "workflows.")


def _our_tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model.__module__.startswith(PACKAGES)
            or model._meta.app_config.name.startswith(PACKAGES)
        }
    )


def _indexes(tables: list[str]) -> list[tuple]:
    """(table, index, key columns' numbers, operator classes, unique, plain, first key column's
    name, condition): "plain" is a b-tree index on columns, not partial and not on expressions;
    the condition is None when the index is not partial."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname, x.indkey::text, x.indclass::text, x.indisunique,
                   am.amname = 'btree' AND x.indpred IS NULL AND x.indexprs IS NULL,
                   a.attname, pg_get_expr(x.indpred, x.indrelid)
            FROM pg_index x
            LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_am am ON am.oid = i.relam
            WHERE t.relname = ANY(%s)
            """,
            [tables],
        )
        return [
            (table, name, keys.split(), classes.split(), unique, plain, first, condition)
            for table, name, keys, classes, unique, plain, first, condition in cursor.fetchall()
        ]


def test_no_index_of_ours_is_the_start_of_another():
    tables = _our_tables()
    assert "workflows_processscope" in tables and "registry_member" in tables
    indexes = _indexes(tables)
    redundant = [
        (table, name, longer)
        for table, name, keys, classes, unique, plain, *_ in indexes
        if plain and not unique
        for other_table, longer, other_keys, other_classes, _unique, other_plain, *_ in indexes
        if other_table == table and longer != name and other_plain
        and len(keys) <= len(other_keys)
        and other_keys[: len(keys)] == keys and other_classes[: len(classes)] == classes
    ]  # fmt: skip
    assert redundant == [], "\n".join(map(str, redundant))


def test_every_foreign_key_of_ours_leads_an_index():
    """Its own, or one that begins with it; a partial index counts only when its condition is
    the key's being set, which every lookup of a row's referrers implies."""
    tables = _our_tables()
    keys = {
        (model._meta.db_table, field.column)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
        for field in model._meta.local_concrete_fields
        if field.is_relation and field.db_constraint
    }
    assert ("workflows_processscope", "grid_id") in keys
    led = {
        (table, first)
        for table, _name, _keys, _classes, _unique, _plain, first, condition in _indexes(tables)
        if condition is None or condition == f"({first} IS NOT NULL)"
    }
    assert sorted(keys - led) == []


def _plan(sql: str, params: list[str]) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the index, if it can serve at all
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_each_searched_member_column_has_one_index_serving_prefix_and_equality():
    indexes = _indexes(["registry_member"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attnum::text FROM pg_attribute "
            "WHERE attrelid = 'registry_member'::regclass AND attnum > 0"
        )
        numbers = dict(cursor.fetchall())
    for column, expected in MEMBER_PREFIX_INDEXES.items():
        on_column = [name for _table, name, keys, *_rest in indexes if keys == [numbers[column]]]
        assert on_column == [expected], column
        where = f'SELECT id FROM registry_member WHERE "{column}"'  # noqa: S608 - our own column names
        for condition, value in ((" LIKE %s", "wang%"), (" = %s", "wang")):
            plan = _plan(where + condition, [value])
            assert expected in plan and "Seq Scan" not in plan, (column, plan)
