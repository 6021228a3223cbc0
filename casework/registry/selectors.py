"""Reads of the registry, always scoped through ``casework.permissions``."""

import datetime
import operator
from functools import reduce
from typing import TYPE_CHECKING, TypedDict

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework import permissions
from casework.audit.models import AuditEvent
from casework.permissions import User

from .models import Household, Member
from .search import SearchTerm, search_term_read
from .validators import clean_text


class HouseholdListRow(TypedDict):
    """What ``household_list`` annotates on each household."""

    head_name: str | None
    head_document_number: str | None
    member_count: int
    labour_count: int


if TYPE_CHECKING:
    # django-stubs' helper (a development dependency) for a model with extra attributes.
    from django_stubs_ext import WithAnnotations

    ListedHousehold = WithAnnotations[Household, HouseholdListRow]


def _head(field: str) -> Subquery:
    return Subquery(
        Member.objects.filter(
            household=OuterRef("pk"), relationship=Member.Relationship.HEAD
        ).values(field)[:1]
    )


def _starts_with(field: str, prefix: str) -> Q:
    """``field`` begins with ``prefix``. On SQLite a codepoint range says it again so that the
    column's index is used (its LIKE is case-insensitive and skips a plain index; its text
    order is the codepoints'). Not on PostgreSQL: there the ``_like`` index Django makes for an
    indexed text column serves ``startswith``, and a range would compare in the database's
    collation, where "A1-0001" may sort after "A1." and a match be lost."""
    starts = Q(**{f"{field}__startswith": prefix})
    if connection.vendor != "sqlite":
        return starts
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return starts & Q(**{f"{field}__gte": prefix, f"{field}__lt": following})


def _search_matches(term: SearchTerm, scope: QuerySet[Household]) -> Q:
    """Households that match ``term`` one way or another, each way an indexed lookup: the
    household number's start, a room, or a member's name, pinyin, initials or document tail.
    Members are looked for among ``scope``'s households only (when it narrows at all), so a
    short term ("z") reads a caseworker's own members, not every member of the city."""
    members: list[Q] = []
    if term.name:
        members.append(_starts_with("name", term.name))
    if term.pinyin:
        members += [
            _starts_with(field, term.pinyin)
            for field in ("name_pinyin", "name_pinyin_alt", "name_initials", "name_initials_alt")
        ]
    if term.document_tail:
        members.append(Q(document_tail=term.document_tail))
    households = _starts_with("number", term.text)
    if term.room:
        where = {"room": term.room.room, "building": term.room.building, "unit": term.room.unit}
        households |= Q(**{key: value for key, value in where.items() if value is not None})
    if term.place:
        households |= Q(origin_address__contains=term.place)
    if members:
        found = Member.objects.filter(reduce(operator.or_, members))
        if scope.query.has_filters():
            found = found.filter(household__in=scope.values("pk"))
        households |= Q(pk__in=found.values("household_id"))
    return households


def _members_counted(condition: Q | None = None) -> Coalesce:
    """How many members (meeting ``condition``) each household has, one indexed subquery per
    listed row: a join and GROUP BY would count every household's members before the page's 25
    rows are picked."""
    members = Member.objects.filter(household=OuterRef("pk"))
    if condition is not None:
        members = members.filter(condition)
    counted = members.order_by().values("household").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def household_list(*, user: User, search: str | None = None) -> "QuerySet[ListedHousehold]":
    """Households visible to ``user``, with head and member counts annotated.

    ``search`` (``search.search_term_read``) matches the start of the household number or of
    any member's name, the name's pinyin or pinyin initials, the last four characters of a
    member's document number, a room, and a place within the origin address. Whole document
    and phone numbers are looked up by POST (``member_find_by_document``,
    ``households_find_by_phone``): a query string holding one never reaches the list
    (``casework.middleware``). The list page counts it with ``casework.common.paging``'s
    paginators.
    """
    households = permissions.households_visible_to(user)
    term = search_term_read(search)
    if term is not None:
        households = households.filter(_search_matches(term, households))
    return (
        households.select_related("grid__site")
        .annotate(
            head_name=_head("name"),
            head_document_number=_head("document_number"),
            member_count=_members_counted(),
            labour_count=_members_counted(Q(labour_capacity__in=Member.LABOUR_CAPACITIES)),
        )
        .order_by("grid__site__code", "grid__code", "number")
    )


def members_head_first() -> QuerySet[Member]:
    """Members ordered head first, then in the order they were registered."""
    is_head = Case(When(relationship=Member.Relationship.HEAD, then=0), default=1)
    return Member.objects.annotate(head_order=is_head).order_by("head_order", "id")


def member_find_by_document(*, user: User, document_number: str) -> Member | None:
    """The member with this document number, if their household is visible to ``user``."""
    number = clean_text(document_number).upper()
    if not number:
        return None
    return (
        Member.objects.filter(
            document_number=number,
            household__in=permissions.households_visible_to(user).values("pk"),
        )
        .select_related("household")
        .first()
    )


def households_find_by_phone(*, user: User, phone: str) -> QuerySet[Household]:
    """The households visible to ``user`` whose phone, or a current member's, is ``phone``
    (already normalised), with their grid and site."""
    members = Member.objects.filter(phone=phone).values("household_id")
    return (
        permissions.households_visible_to(user)
        .filter(Q(phone=phone) | Q(pk__in=members))
        .select_related("grid__site")
        .order_by("grid__site__code", "grid__code", "number")
    )


def household_detail(*, user: User, pk: object) -> Household:
    """A household with its grid, site and members (head first); 404 outside the jurisdiction."""
    household = permissions.get_household_for_user(user, pk)
    prefetch_related_objects(
        [household], "origin_region", Prefetch("members", queryset=members_head_first())
    )
    return household


def household_call_number(household: Household) -> str:
    """The number tap-to-call dials: the head's phone, else the household's ("" when none)."""
    head_phone = (
        Member.objects.filter(household=household, relationship=Member.Relationship.HEAD)
        .values_list("phone", flat=True)
        .first()
    )
    return head_phone or household.phone


def calls_today(user: User) -> set[int]:
    """The households ``user`` has called (tap-to-call) since local midnight."""
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    called = AuditEvent.objects.filter(
        actor_id=user.pk, action="personal_data.call", occurred_at__gte=midnight
    ).values_list("household_id", flat=True)
    return {pk for pk in called if pk is not None}
