"""The 17 data-quality rules county checkers run against the national exports
(reference/domain.md §5.11), as set-based reads over everything stored.

Each rule yields ``Found(household_id, member_id, detail)``; ``quality_findings`` runs them all.
Where a rule can be applied when the data is entered it is (the entry point is named in
``RULES``); the nightly run finds what came in otherwise (imports, older data, later changes).
Every threshold is a policy parameter.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.placement.models import LOCAL_CHANNELS, Channel, Placement
from casework.policy.codes import LocationClass
from casework.policy.params import param
from casework.posts.models import PostAssignment
from casework.registry.models import Household, Member
from casework.registry.validators import resident_id_fault

from .models import MonthlyWorkRecord
from .risk_models import WAGE_MEASURES, MeasureKind, MonitoredHousehold, Risk

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


@dataclass(frozen=True)
class Rule:
    number: int
    title: Promise
    at_entry: Promise | None
    find: Callable[[datetime.date], Iterable[Found]]


def _current() -> "QuerySet[Member]":
    return Member.objects.filter(left_on__isnull=True)


# 1. The ID number's check digit and birth date (no digit of the number in the finding).
def _id_numbers(today: datetime.date) -> Iterator[Found]:
    faults = {
        "length": _("The ID number does not have 18 characters."),
        "format": _("The ID number holds characters other than digits (and a final X)."),
        "province": _("The ID number does not begin with a province code."),
        "birth_date": _("The ID number's birth date is impossible or out of range."),
        "checksum": _("The ID number fails its check digit."),
    }
    rows = _current().filter(document_type=Member.DocumentType.RESIDENT_ID)
    numbers = rows.values_list("pk", "household_id", "document_number")
    for pk, household_id, number in numbers.iterator(chunk_size=5000):
        fault = resident_id_fault(number, today)
        if fault is not None:
            yield Found(household_id, pk, faults[fault])


# 2. One head, at most one spouse (ID numbers, and a second head, the database refuses).
def _heads_and_spouses(today: datetime.date) -> Iterator[Found]:
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
def _spouse_sex(today: datetime.date) -> Iterator[Found]:
    wanted = (Relationship.HEAD, Relationship.SPOUSE)
    rows = _current().filter(relationship__in=wanted)
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


# 4. A student has no 文化程度 yet; everyone else of working age has one.
def _education(today: datetime.date) -> Iterator[Found]:
    adult_born = _years_before(today, param("assessment.working_age_min", on=today))
    both = _current().filter(in_school=True).exclude(education="")
    neither = _current().filter(in_school=False, education="", birth_date__lte=adult_born)
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
def _place_and_time(today: datetime.date) -> Iterator[Found]:
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
def _phones(today: datetime.date) -> Iterator[Found]:
    heads = dict(
        _current()
        .filter(relationship=Relationship.HEAD)
        .values_list("household_id", "phone")
        .iterator(chunk_size=5000)
    )
    for pk, phone in Household.objects.values_list("pk", "phone").iterator(chunk_size=5000):
        contact = (phone or heads.get(pk, "")).replace("-", "").replace(" ", "")
        if not (len(contact) == 11 and contact.isdigit()):
            yield Found(pk, None, _("The household's contact number does not have 11 digits."))
    working = _current().filter(Exists(_open_jobs().filter(member=OuterRef("pk"))))
    for pk, household_id in working.exclude(phone__regex=MOBILE).values_list("pk", "household_id"):
        yield Found(household_id, pk, _("A working member without a valid mobile number."))


# 7. Members working in different places who share one phone number.
def _shared_phones(today: datetime.date) -> Iterator[Found]:
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
def _post_age(today: datetime.date) -> Iterator[Found]:
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
def _local_channels(today: datetime.date) -> Iterator[Found]:
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
def _incomes(today: datetime.date) -> Iterator[Found]:
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
def _job_fields(today: datetime.date) -> Iterator[Found]:
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


def _monitored() -> "QuerySet[MonitoredHousehold]":
    return MonitoredHousehold.objects.all()


# 12. A monitored household with no measure some time after identification.
def _no_measure(today: datetime.date) -> Iterator[Found]:
    days = param("monitoring.measure_within_days", on=today)
    late = (
        _monitored()
        .filter(identified_on__lt=today - datetime.timedelta(days=days), measures__isnull=True)
        .exclude(status=Status.ELIMINATED)
    )
    for household_id, identified in late.values_list("household_id", "identified_on"):
        yield Found(
            household_id, None,
            _("Identified on %(day)s and no assistance measure recorded.")
            % {"day": f"{identified:%Y-%m-%d}"},
        )  # fmt: skip


def _eliminated_assisted() -> "QuerySet[MonitoredHousehold]":
    return _monitored().filter(
        status=Status.ELIMINATED, elimination=MonitoredHousehold.Elimination.ASSISTED
    )


# 13. Eliminated through assistance too soon after identification.
def _eliminated_soon(today: datetime.date) -> Iterator[Found]:
    from .services.risks import months_after

    for record in _eliminated_assisted():
        if record.eliminated_on is None:  # the constraint excludes it
            continue
        months = param("monitoring.elimination_min_months", on=record.eliminated_on)
        if record.eliminated_on < months_after(record.identified_on, months):
            yield Found(
                record.household_id, None,
                _("Eliminated through assistance on %(day)s, within %(months)s months of "
                  "identification.") % {"day": f"{record.eliminated_on:%Y-%m-%d}",
                                        "months": months},
            )  # fmt: skip


# 14. Eliminated through assistance with the year's income below the threshold.
def _eliminated_below(today: datetime.date) -> Iterator[Found]:
    from .services.risks import threshold_for_year

    for record in _eliminated_assisted().prefetch_related("incomes"):
        assert record.eliminated_on is not None  # noqa: S101 - the constraint says so
        incomes = [i for i in record.incomes.all() if i.year <= record.eliminated_on.year]
        latest = max(incomes, key=lambda i: i.year, default=None)
        if latest is None or latest.per_capita_net_income < threshold_for_year(latest.year):
            yield Found(
                record.household_id, None,
                _("Eliminated through assistance with income below the monitoring threshold."),
            )  # fmt: skip


# 15. Employment or a post as the measure, yet no wage income after elimination.
def _no_wages(today: datetime.date) -> Iterator[Found]:
    records = (
        _monitored()
        .filter(status=Status.ELIMINATED, measures__kind__in=WAGE_MEASURES)
        .distinct()
        .prefetch_related("incomes")
    )
    for record in records:
        assert record.eliminated_on is not None  # noqa: S101
        after = [i for i in record.incomes.all() if i.year >= record.eliminated_on.year]
        if any(i.wage_income <= 0 for i in after):
            yield Found(
                record.household_id, None,
                _("Employment assistance recorded, but no wage income after elimination."),
            )  # fmt: skip


def _labour_by_household(household_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = _current().filter(household_id__in=household_ids)
    for household_id, capacity in rows.values_list("household_id", "labour_capacity"):
        found[household_id].append(capacity)
    return found


# 16. "Unstable work" as a risk where nobody can work or nobody has any work record.
def _unstable_work(today: datetime.date) -> Iterator[Found]:
    open_records = [
        r for r in _monitored().exclude(status=Status.ELIMINATED) if Risk.UNSTABLE_WORK in r.risks
    ]
    ids = {r.household_id for r in open_records}
    labour = _labour_by_household(ids)
    with_work = set(
        Placement.objects.filter(member__household_id__in=ids).values_list(
            "member__household_id", flat=True
        )
    ) | set(
        MonthlyWorkRecord.objects.filter(member__household_id__in=ids, working=True).values_list(
            "member__household_id", flat=True
        )
    )
    for record in open_records:
        nobody_works = all(c in NO_LABOUR for c in labour.get(record.household_id, []))
        if nobody_works or record.household_id not in with_work:
            yield Found(
                record.household_id, None,
                _("Risk “unstable work”, but nobody can work or nobody has a work record."),
            )  # fmt: skip


# 17. A household without labour on social assistance, not marked as safeguarded.
def _safeguard(today: datetime.date) -> Iterator[Found]:
    records = list(
        _monitored()
        .exclude(status=Status.ELIMINATED)
        .filter(
            Q(measures__kind=MeasureKind.SOCIAL)
            & (Q(measures__ended_on__isnull=True) | Q(measures__ended_on__gte=today)),
            no_labour_safeguard=False,
        )
        .distinct()
    )
    labour = _labour_by_household({r.household_id for r in records})
    for record in records:
        capacities = labour.get(record.household_id, [])
        if capacities and all(c in NO_LABOUR for c in capacities):
            yield Found(
                record.household_id, None,
                _("Nobody can work and social assistance is in place, but the household is "
                  "not marked as safeguarded (整户无劳动能力兜底保障户)."),
            )  # fmt: skip


RULES: tuple[Rule, ...] = (
    Rule(
        1,
        gettext_lazy("ID number check digit and birth date"),
        gettext_lazy("registering a member"),
        _id_numbers,
    ),
    Rule(
        2,
        gettext_lazy("One head and at most one spouse per household"),
        gettext_lazy("registering a household"),
        _heads_and_spouses,
    ),  # fmt: skip
    Rule(3, gettext_lazy("Spouse of the head's own sex"), None, _spouse_sex),
    Rule(4, gettext_lazy("Student status and education level"), None, _education),
    Rule(
        5,
        gettext_lazy("Place of work and days worked"),
        gettext_lazy("monthly work records"),
        _place_and_time,
    ),
    Rule(
        6,
        gettext_lazy("Mobile phone numbers"),
        gettext_lazy("registering a household or member"),
        _phones,
    ),
    Rule(
        7,
        gettext_lazy("One phone shared by people working in different places"),
        None,
        _shared_phones,
    ),
    Rule(
        8,
        gettext_lazy("Public-welfare post holders past the age limit"),
        gettext_lazy("post eligibility"),
        _post_age,
    ),
    Rule(
        9,
        gettext_lazy("Local channels for work outside the county"),
        gettext_lazy("recording a job"),
        _local_channels,
    ),  # fmt: skip
    Rule(
        10, gettext_lazy("Monthly income out of range"), gettext_lazy("recording a job"), _incomes
    ),
    Rule(
        11,
        gettext_lazy("Current job with a required field missing"),
        gettext_lazy("recording a job"),
        _job_fields,
    ),
    Rule(12, gettext_lazy("Monitored household without assistance measures"), None, _no_measure),
    Rule(
        13,
        gettext_lazy("Risk eliminated too soon after identification"),
        gettext_lazy("proposing an elimination"),
        _eliminated_soon,
    ),  # fmt: skip
    Rule(
        14,
        gettext_lazy("Risk eliminated with income below the threshold"),
        gettext_lazy("proposing an elimination"),
        _eliminated_below,
    ),  # fmt: skip
    Rule(
        15,
        gettext_lazy("No wage income after elimination with employment assistance"),
        gettext_lazy("proposing an elimination"),
        _no_wages,
    ),  # fmt: skip
    Rule(
        16,
        gettext_lazy("Risk “unstable work” without work or labour"),
        gettext_lazy("identifying a household"),
        _unstable_work,
    ),  # fmt: skip
    Rule(17, gettext_lazy("Household without labour not marked as safeguarded"), None, _safeguard),
)
RULE_TITLES = {rule.number: rule.title for rule in RULES}


def quality_findings(today: datetime.date) -> dict[int, list[Found]]:
    """Every rule's findings over everything stored, by rule number."""
    return {rule.number: list(dict.fromkeys(rule.find(today))) for rule in RULES}


__all__ = ["RULES", "RULE_TITLES", "Found", "Rule", "quality_findings"]
