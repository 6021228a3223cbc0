"""The household list's search as people search: a member's name, its full pinyin or pinyin
initials, the last four characters of the ID number, the building and room; always within the
user's households; an empty result says what to try, in Chinese."""

import datetime
import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm
from pypinyin import Style, pinyin

from casework.permissions import households_visible_to, jurisdiction_of
from casework.permissions.grants import VISIT_HOUSEHOLD, objects_granted
from casework.registry import selectors, services
from casework.registry.models import Household, Member
from casework.registry.registration import HouseholdRegistration, households_register_bulk
from casework.registry.search import (
    SEARCH_KEY_FIELDS,
    SURNAME_READINGS,
    Room,
    member_search_keys_set,
    search_term_read,
)
from tests import factories
from tests.conftest import login

LIST = "/registry/household/"
# GB 11643's own example: a valid resident ID ending in X.
ID_ENDING_IN_X = "11010519491231002X"


@pytest.fixture
def zeng(world):
    """Household A1-0100 of grid A1, building 3 room 1502, head 曾国藩 (ID ending in X)."""
    return factories.household(
        world.admin,
        world.grid_a1,
        number="A1-0100",
        building="3",
        unit="2",
        room="1502",
        head=factories.member_data(name="曾国藩", document_number=ID_ENDING_IN_X.lower()),
    )


def _found(client, term: str) -> str:
    response = client.get(LIST, {"_search": term})
    assert response.status_code == 200, term
    return response.content.decode()


FINDING_TERMS = [
    "zengguofan",  # full pinyin, the surname read as a surname
    "ZengGuoFan",
    "cengguofan",  # pypinyin's reading of 曾 on its own
    "zengguo",  # the start of the pinyin
    "zgf",  # initials
    "ZG",
    "cgf",
    "曾国",  # the start of the name
    "002x",  # the ID's last four, X in either case
    "002X",
    "3-1502",  # building and room
    "3-2-1502",
    "3栋2单元1502室",
    "1502",  # the room alone
    "Ａ１－０１００",  # the household number, typed full-width
]


def test_a_caseworker_finds_the_household_by_how_people_search(client, world, zeng):
    login(client, world.caseworker1)
    for term in FINDING_TERMS:
        page = _found(client, term)
        assert "A1-0100" in page, term
        assert "A1-0001" not in page, term  # the grid's other household does not match


def test_near_misses_do_not_match(client, world, zeng):
    login(client, world.caseworker1)
    for term in ("zgg", "zhangsan", "002Y", "4-1502", "3-1503", "国藩"):
        assert "A1-0100" not in _found(client, term), term


def test_a_member_who_is_not_the_head_finds_the_household(client, world, zeng):
    services.member_add(actor=world.admin, household=zeng, **factories.member_data(name="单田芳"))
    login(client, world.caseworker1)
    for term in ("shantianfang", "dantianfang", "stf", "单田"):
        assert "A1-0100" in _found(client, term), term


def test_a_helper_finds_only_the_paired_household(client, world, zeng):
    login(client, world.helper)  # paired with A1-0001 (head 甲户主), not with A1-0100
    assert "A1-0001" in _found(client, "jiahuzhu")
    assert "A1-0001" in _found(client, "jhz")
    for term in ("zengguofan", "zgf", "002X", "3-1502"):
        page = _found(client, term)
        assert "A1-0100" not in page, term
        assert "没有找到" in page, term


def test_a_caseworker_of_another_grid_does_not_find_the_household(client, world, zeng):
    login(client, world.caseworker2)
    assert "A1-0100" not in _found(client, "zgf")
    assert "A2-0001" in _found(client, "yhz")  # 乙户主, in their own grid


def test_an_empty_result_says_so_in_chinese_and_suggests_what_to_try(client, world):
    login(client, world.caseworker1)
    page = _found(client, "qqqx")
    assert "没有找到「qqqx」。" in page
    assert "可以试试：姓名拼音首字母（如 zs）、身份证号后四位、楼栋房号（如 3-1502）" in page
    assert 'href="/registry/household/lookup/"' in page


def test_the_hint_is_not_shown_without_a_search_or_when_something_matches(client, world, zeng):
    login(client, world.caseworker1)
    assert 'data-test="search-empty"' not in _found(client, "zgf")
    response = client.get(LIST)
    assert 'data-test="search-empty"' not in response.content.decode()


def test_the_searched_term_is_escaped_in_the_hint(client, world):
    login(client, world.caseworker1)
    page = _found(client, "<b>x</b>")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_four_digits_pass_the_identifier_guard(client, world, zeng):
    login(client, world.caseworker1)
    response = client.get(LIST, {"_search": "002X"})
    assert response.status_code == 200  # not the 303 to the lookup a whole ID number gets


def _search_queries(client, term: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"_search": term})
    assert response.status_code == 200
    return len(queries)


def test_the_search_page_runs_the_same_queries_for_10_and_for_60_matches(client, world):
    login(client, world.caseworker1)
    for _ in range(10):
        factories.household(world.admin, world.grid_a1, members=1)  # members named 王成员0
    _search_queries(client, "wcy")  # warm process-wide caches
    at_10 = _search_queries(client, "wcy")
    for _ in range(50):
        factories.household(world.admin, world.grid_a1, members=1)
    at_60 = _search_queries(client, "wcy")
    assert at_10 == at_60, (at_10, at_60)
    assert "没有找到" not in _found(client, "wcy")


def test_keys_follow_a_change_of_name_or_document_number(world, zeng):
    head = zeng.members.get()
    services.member_update(
        actor=world.admin, member=head, name="吕布", document_number=factories.resident_id()
    )
    head.refresh_from_db()
    assert (head.name_pinyin, head.name_initials, head.name_pinyin_alt) == ("lvbu", "lb", "")
    assert head.document_tail == head.document_number[-4:]


def test_the_bulk_registration_of_a_ledger_import_writes_the_keys(world):
    number = factories.resident_id()
    (household,) = households_register_bulk(
        actor=None,
        households=[
            HouseholdRegistration(
                number="A1-0200",
                fields={"grid": world.grid_a1, "building": "5", "room": "301"},
                members=[
                    {
                        "name": "覃小红",
                        "document_number": number,
                        "relationship": Member.Relationship.HEAD,
                        "sex": "M",
                        "birth_date": datetime.date(1985, 6, 15),
                    }
                ],
            )
        ],
    )
    member = household.members.get()
    assert (member.name_pinyin, member.name_pinyin_alt) == ("qinxiaohong", "tanxiaohong")
    assert (member.name_initials, member.name_initials_alt) == ("qxh", "txh")
    assert member.document_tail == number[-4:]


FILL = "casework.registry.migrations.0005_member_search_keys_fill"


def test_the_data_migration_fills_the_keys_of_existing_members(world, zeng):
    Member.objects.update(
        name_pinyin="", name_pinyin_alt="", name_initials="", name_initials_alt="", document_tail=""
    )
    migration = importlib.import_module(FILL)
    migration.fill(apps, SimpleNamespace(connection=connection))
    head = zeng.members.get()
    assert (head.name_pinyin, head.name_initials, head.document_tail) == (
        "zengguofan",
        "zgf",
        "002X",
    )
    assert not Member.objects.filter(name_pinyin="").exists()
    # Batches are committed one by one: the migration runs outside one big transaction.
    assert migration.Migration.atomic is False


NAMES = ["曾国藩", "单田芳", "覃小红", "吕布", "王成员2", "Ａ李 四", "欧阳娜娜", "", "X"]
NUMBERS = [ID_ENDING_IN_X.lower(), "A123456789", "620102199001011234", ""]


def test_the_migrations_frozen_keys_are_the_services_keys():
    """The migration keeps its own copy of the key function; while the keys are these, both
    give the same values (a change of the keys needs a migration that fills them again)."""
    migration = importlib.import_module(FILL)
    assert migration.SURNAME_READINGS == SURNAME_READINGS
    for name in [*NAMES, *SURNAME_READINGS]:
        for number in NUMBERS:
            row = _Row(name, number)
            member_search_keys_set(row)
            live = tuple(getattr(row, field) for field in SEARCH_KEY_FIELDS)
            assert migration.search_keys(name, number) == live, (name, number)


class _Row:
    def __init__(self, name: str, document_number: str) -> None:
        self.name, self.document_number = name, document_number


def test_a_short_document_number_keeps_no_tail():
    """A number of ten characters or fewer is masked whole, so no part of it is kept apart."""
    row = _Row("张三", "A123456789")
    member_search_keys_set(row)
    assert row.document_tail == ""
    row = _Row("张三", "62010219900101123x")
    member_search_keys_set(row)
    assert row.document_tail == "123X"


def test_every_surname_reading_is_one_pypinyin_knows():
    for character, reading in SURNAME_READINGS.items():
        assert reading in pinyin(character, style=Style.NORMAL, heteronym=True)[0], character


@pytest.mark.parametrize(
    ("raw", "pinyin", "tail", "room"),
    [
        ("zs", "zs", None, None),
        ("Zhang San", "zhangsan", None, None),
        ("lü", "lv", None, None),
        ("123x", None, "123X", None),
        ("1502", None, "1502", Room(None, None, "1502")),
        ("3-1502", None, None, Room("3", None, "1502")),
        ("3栋1502", None, None, Room("3", None, "1502")),
        ("3号楼2单元1502室", None, None, Room("3", "2", "1502")),
        ("张三", None, None, None),
    ],
)
def test_a_term_is_read_every_way_it_may_be_meant(raw, pinyin, tail, room):
    term = search_term_read(raw)
    assert term is not None
    assert (term.pinyin, term.document_tail, term.room) == (pinyin, tail, room)


def test_an_empty_term_is_no_search():
    assert search_term_read("  ") is None
    assert search_term_read(None) is None


def test_visited_households_are_those_guardian_grants_directly_or_through_a_group(world):
    """``households_visible_to`` reads the visit grants by integer key (no scan of every
    household) and finds what guardian's own queryset finds, a group's grant included."""
    group = Group.objects.create(name="paired through a group")
    world.unpaired_helper.groups.add(group)
    assign_perm(VISIT_HOUSEHOLD, group, world.h_a2)
    for user in (world.helper, world.unpaired_helper):
        user = get_user_model().objects.get(pk=user.pk)
        expected = set(objects_granted(user, VISIT_HOUSEHOLD, Household))
        assert set(households_visible_to(user)) == expected
    assert set(households_visible_to(world.helper)) == {world.h_a1}
    assert 'CAST("registry_household"' not in str(households_visible_to(world.helper).query)


@pytest.mark.parametrize(("vendor", "ranged"), [("sqlite", True), ("postgresql", False)])
def test_a_prefix_is_compared_by_codepoint_range_only_on_sqlite(world, monkeypatch, vendor, ranged):
    """SQLite's text order is the codepoints', and the range lets it use the index; in
    PostgreSQL's collation a range may leave out a match ("A1-0001" after "A1."), and its
    ``_like`` index serves ``startswith`` alone."""
    # The manager's jurisdiction is read (cached per request) from the real database first:
    # only the search's SQL is compiled under the pretended vendor.
    jurisdiction_of(world.manager)
    monkeypatch.setattr(connection, "vendor", vendor)
    sql = str(selectors.household_list(user=world.manager, search="A1-").query)
    # PostgreSQL compiles ``startswith`` on a text column as ``"number"::text LIKE``.
    assert re.search(r'"registry_household"\."number"(::text)? LIKE', sql), sql
    assert ('"registry_household"."number" >= A1-' in sql) is ranged
    assert ('"registry_household"."number" < A1.' in sql) is ranged
