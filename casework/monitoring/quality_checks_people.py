"""Data-quality rules 1–11 (reference/domain.md §5.11): the people, their households and
their work. Each rule yields ``Found`` rows; ``quality_rules`` lists them with their titles."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from casework.placement.models import LOCAL_CHANNELS, Channel, Placement
from casework.policy.codes import LocationClass
from casework.policy.params import param
from casework.posts.models import PostAssignment
from casework.registry.models import Household, Member
from casework.registry.validators import resident_id_fault

from .models import MonthlyWorkRecord
from .risk_models import MonitoredHousehold

Status = MonitoredHousehold.Status
Relationship = Member.Relationship
NO_LABOUR = (Member.LabourCapacity.LOST, Member.LabourCapacity.NONE)
OWN_BUSINESS = (Channel.SELF_EMPLOYED, Channel.INDUSTRY)
MOBILE = r"^1[3-9][0-9]{9}$"
# Work records looked at: the months of the last year.
WORK_MONTHS_BACK = 12


@dataclass(frozen=True)
class Found:
    household_id: int
    member_id: int | None
    detail: str


def current_members() -> "QuerySet[Member]":
    return Member.objects.filter(left_on__isnull=True)


# 1. The ID number's check digit and birth date (no digit of the number in the finding).
def check_id_numbers(today: datetime.date) -> Iterator[Found]:
    faults = {
        "length": _("The ID number does not have 18 characters."),
        "format": _("The ID number holds characters other than digits (and a final X)."),
        "province": _("The ID number does not begin with a province code."),
        "birth_date": _("The ID number's birth date is impossible or out of range."),
        "checksum": _("The ID number fails its check digit."),
    }
    rows = current_members().filter(document_type=Member.DocumentType.RESIDENT_ID)
    numbers = rows.values_list("pk", "household_id", "document_number")
    for pk, household_id, number in numbers.iterator(chunk_size=5000):
        fault = resident_id_fault(number, today)
        if fault is not None:
            yield Found(household_id, pk, faults[fault])


# 2. One head, at most one spouse (ID numbers, and a second head, the database refuses).
def check_heads_and_spouses(today: datetime.date) -> Iterator[Found]:
    counts = (
        Household.objects.annotate(
            heads=Count(
                "members",
                filter=Q(members__relationship=Relationship.HEAD, members__left_on__isnull=True),
            ),
            spouses=Count(
                "members",
                filter=Q(members__relationship=Relationship.SPOUSE, members__left_on__isnull=True),
            ),
        )
        .filter(~Q(heads=1) | Q(spouses__gt=1))
        .values_list("pk", "heads", "spouses")
    )
    for pk, heads, spouses in counts:
        if heads != 1:
            yield Found(pk, None, _("The household has %(n)s heads.") % {"n": heads})
        if spouses > 1:
            yield Found(pk, None, _("The household has %(n)s spouses.") % {"n": spouses})


def _sex_of(sex: str, document_type: str, number: str) -> str:
    """The sex the ID number says (its 17th digit: odd for men), else the one recorded."""
    if (
        document_type == Member.DocumentType.RESIDENT_ID
        and len(number) == 18
        and number[16].isdigit()
    ):
        return "M" if int(number[16]) % 2 else "F"
    return sex


# 3. A spouse of the head's own sex.
def check_spouse_sex(today: datetime.date) -> Iterator[Found]:
    wanted = (Relationship.HEAD, Relationship.SPOUSE)
    rows = current_members().filter(relationship__in=wanted)
    by_household: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for pk, household_id, relationship, sex, kind, number in rows.values_list(
        "pk", "household_id", "relationship", "sex", "document_type", "document_number"
    ):
        by_household[household_id][relationship].append((pk, _sex_of(sex, kind, number)))
    for household_id, people in by_household.items():
        heads = people.get(Relationship.HEAD, [])
        for spouse_pk, spouse_sex in people.get(Relationship.SPOUSE, []):
            if heads and heads[0][1] == spouse_sex:
                yield Found(household_id, spouse_pk, _("The spouse has the head's sex."))


# 4. A student has no 文化程度 yet; everyone else of school age has one.
def check_education(today: datetime.date) -> Iterator[Found]:
    school_born = _years_before(today, param("quality.school_age", on=today))
    both = current_members().filter(in_school=True).exclude(education="")
    neither = current_members().filter(in_school=False, education="", birth_date__lte=school_born)
    for pk, household_id in both.values_list("pk", "household_id"):
        yield Found(household_id, pk, _("A student with an education level filled in."))
    for pk, household_id in neither.values_list("pk", "household_id"):
        yield Found(household_id, pk, _("Neither a student nor an education level recorded."))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _recent_work(today: datetime.date) -> "QuerySet[MonthlyWorkRecord]":
    first = (today.replace(day=1) - datetime.timedelta(days=31 * WORK_MONTHS_BACK)).replace(day=1)
    return MonthlyWorkRecord.objects.filter(month__gte=first, member__left_on__isnull=True)


# 5. A place of work without time worked, or time worked without a place.
def check_place_and_time(today: datetime.date) -> Iterator[Found]:
    rows = _recent_work(today).filter(
        (~Q(location_class="") & (Q(days_worked__isnull=True) | Q(days_worked=0)))
        | (Q(location_class="") & Q(days_worked__gt=0))
    )
    for pk, household_id, month in rows.values_list("member_id", "member__household_id", "month"):
        yield Found(
            household_id, pk, _("%(month)s: a place of work and days worked do not agree.")
            % {"month": f"{month:%Y-%m}"},
        )  # fmt: skip


def _open_jobs() -> "QuerySet[Placement]":
    return Placement.objects.filter(end_date__isnull=True, member__left_on__isnull=True)


# 6. The household's contact number has 11 digits; a working member has a mobile number.
def check_phones(today: datetime.date) -> Iterator[Found]:
    heads = dict(
        current_members()
        .filter(relationship=Relationship.HEAD)
        .values_list("household_id", "phone")
        .iterator(chunk_size=5000)
    )
    for pk, phone in Household.objects.values_list("pk", "phone").iterator(chunk_size=5000):
        contact = (phone or heads.get(pk, "")).replace("-", "").replace(" ", "")
        if not (len(contact) == 11 and contact.isdigit()):
            yield Found(pk, None, _("The household's contact number does not have 11 digits."))
    working = current_members().filter(Exists(_open_jobs().filter(member=OuterRef("pk"))))
    for pk, household_id in working.exclude(phone__regex=MOBILE).values_list("pk", "household_id"):
        yield Found(household_id, pk, _("A working member without a valid mobile number."))


# 7. Members working in different places who share one phone number.
def check_shared_phones(today: datetime.date) -> Iterator[Found]:
    jobs = _open_jobs().exclude(member__phone="")
    places: dict[tuple[int, str], set[tuple[str, str]]] = defaultdict(set)
    for household_id, phone, location, place in jobs.values_list(
        "member__household_id", "member__phone", "location_class", "place"
    ):
        places[(household_id, phone)].add((location, place))
    for (household_id, _phone), where in places.items():
        if len(where) > 1:
            yield Found(
                household_id, None,
                _("Members working in different places share one phone number."),
            )  # fmt: skip


# 8. Nobody of the age limit or older holds a public-welfare post.
def check_post_age(today: datetime.date) -> Iterator[Found]:
    limit = param("posts.age_never", on=today)
    born = _years_before(today, limit)
    holders = PostAssignment.objects.filter(
        status="on_post", member__birth_date__lte=born, member__left_on__isnull=True
    )
    for pk, household_id in holders.values_list("member_id", "member__household_id"):
        yield Found(
            household_id, pk, _("Holds a public-welfare post at %(age)s or older.") % {"age": limit}
        )


# 9. Work outside the county through a channel that is near home by nature.
def check_local_channels(today: datetime.date) -> Iterator[Found]:
    outside = ~Q(location_class=LocationClass.COUNTY) & ~Q(location_class="")
    for model_rows in (
        _open_jobs().filter(outside, channel__in=LOCAL_CHANNELS),
        _recent_work(today).filter(outside, channel__in=LOCAL_CHANNELS, working=True),
    ):
        for pk, household_id in model_rows.values_list("member_id", "member__household_id"):
            yield Found(
                household_id, pk, _("Works outside the county through a workshop or a post.")
            )


# 10. A monthly income out of the plausible range, or very low for wage work.
def check_incomes(today: datetime.date) -> Iterator[Found]:
    low = Decimal(str(param("placement.income_min", on=today)))
    high = Decimal(str(param("placement.income_max", on=today)))
    unusual = Decimal(str(param("placement.income_unusual_below", on=today)))
    odd = Q(monthly_income__lt=unusual) | Q(monthly_income__gt=high)
    for rows in (_open_jobs().filter(odd), _recent_work(today).filter(odd, working=True)):
        for pk, household_id, income in rows.values_list(
            "member_id", "member__household_id", "monthly_income"
        ):
            if income is None:  # the filter excludes it; said for the type checker
                continue
            values = {"income": f"{income:.0f}", "low": f"{low:.0f}", "high": f"{high:.0f}"}
            if income < low or income > high:
                text = _("A monthly income of %(income)s yuan is outside %(low)s–%(high)s.")
            else:
                values["low"] = f"{unusual:.0f}"
                text = _("A monthly income of %(income)s yuan is below %(low)s for wage work.")
            yield Found(household_id, pk, text % values)


# 11. A current job lacks income, employer, industry, channel or transport.
def check_job_fields(today: datetime.date) -> Iterator[Found]:
    missing = (
        Q(monthly_income__isnull=True)
        | Q(industry="")
        | Q(channel="")
        | Q(organised_transport__isnull=True)
        | (Q(employer_name="") & Q(employer__isnull=True) & ~Q(channel__in=OWN_BUSINESS))
    )
    for rows in (
        _open_jobs().filter(missing),
        _recent_work(today).filter(working=True).filter(
            Q(monthly_income__isnull=True) | Q(industry="") | Q(channel="")
            | Q(organised_transport__isnull=True)
            | (Q(employer_name="") & ~Q(channel__in=OWN_BUSINESS))
        ),
    ):  # fmt: skip
        for pk, household_id in rows.values_list("member_id", "member__household_id"):
            yield Found(household_id, pk, _("A current job lacks a required field."))
