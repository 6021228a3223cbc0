"""Fill the search keys of the members registered before they existed (a city's register holds
about 800,000 members).

Not one transaction: each batch of rows is committed on its own (``atomic = False``), so the
database's write lock is held for a batch at a time and pages that write wait a moment, not
the whole fill; a fill stopped half-way is simply run again (it sets the same values). Each
batch is one prepared UPDATE executed for every row (``executemany``) on the schema editor's
connection. The columns have no index yet (0006 adds them).

The keys are computed by a frozen copy of ``casework.registry.search.member_search_keys_set``
as it was when the columns were added, so that this migration does not change when that
module does (a later change of the keys comes with a migration of its own).
"""

import re
import unicodedata

from django.db import migrations, transaction
from pypinyin import Style, lazy_pinyin

BATCH = 5000
PINYIN_MAX, INITIALS_MAX, TAIL_LENGTH, TAIL_MIN_NUMBER_LENGTH = 200, 50, 4, 11
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "乐": "yue", "尉": "wei", "覃": "qin", "缪": "miao", "盖": "ge", "召": "shao", "种": "chong",
    "秘": "bi", "折": "she", "翟": "zhai", "员": "yun", "繁": "po", "句": "gou", "卜": "bu",
    "隗": "wei", "牟": "mu",
}  # fmt: skip
_NOT_KEY = re.compile(r"[^a-z0-9]")


def _clean(raw):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or ""))


def _key(syllables, limit):
    return _NOT_KEY.sub("", "".join(syllables).lower())[:limit]


def _initials(syllables):
    return [s[0] if s[0].isalpha() else s for s in syllables if s]


def search_keys(name, document_number):
    """(name_pinyin, name_pinyin_alt, name_initials, name_initials_alt, document_tail)."""
    name = _clean(name)
    readings = []
    if name:
        plain = lazy_pinyin(name, style=Style.NORMAL, v_to_u=False)
        readings = [plain]
        surname = SURNAME_READINGS.get(name[0])
        if surname and plain and plain[0] != surname:
            readings.insert(0, [surname, *plain[1:]])
    pinyin = [_key(r, PINYIN_MAX) for r in readings] + ["", ""]
    initials = [_key(_initials(r), INITIALS_MAX) for r in readings] + ["", ""]
    number = _clean(document_number).upper()
    tail = number[-TAIL_LENGTH:] if len(number) >= TAIL_MIN_NUMBER_LENGTH else ""
    other_initials = initials[1] if initials[1] != initials[0] else ""
    return pinyin[0], pinyin[1], initials[0], other_initials, tail


def fill(apps, schema_editor):
    Member = apps.get_model("registry", "Member")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    columns = ("name_pinyin", "name_pinyin_alt", "name_initials", "name_initials_alt")
    assignments = ", ".join(f"{quote(column)} = %s" for column in (*columns, "document_tail"))
    key = quote(Member._meta.pk.column)
    update = f"UPDATE {quote(Member._meta.db_table)} SET {assignments} WHERE {key} = %s"
    rows = Member.objects.using(connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list("pk", "name", "document_number")[:BATCH])
        if not batch:
            return
        values = [(*search_keys(name, number), pk) for pk, name, number in batch]
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.executemany(update, values)
        last = batch[-1][0]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("registry", "0004_member_search_keys"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
