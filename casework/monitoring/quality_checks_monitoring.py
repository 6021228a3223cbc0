"""Data-quality rules 12–17 (reference/domain.md §5.11): monitored households, their
measures, incomes and eliminations."""

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from casework.placement.models import Placement
from casework.policy.params import param

from .models import MonthlyWorkRecord
from .quality_checks_people import NO_LABOUR, Found, current_members
from .risk_models import WAGE_MEASURES, MeasureKind, MonitoredHousehold, Risk
from .thresholds import months_after, threshold_for_year

Status = MonitoredHousehold.Status


def _monitored() -> "QuerySet[MonitoredHousehold]":
    return MonitoredHousehold.objects.all()


# 12. A monitored household with no measure some time after identification.
def check_no_measure(today: datetime.date) -> Iterator[Found]:
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
def check_eliminated_soon(today: datetime.date) -> Iterator[Found]:
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
def check_eliminated_below(today: datetime.date) -> Iterator[Found]:
    for record in _eliminated_assisted().prefetch_related("incomes"):
        assert record.eliminated_on is not None  # noqa: S101 - the constraint says so
        first, last = record.identified_on.year, record.eliminated_on.year
        incomes = [i for i in record.incomes.all() if first <= i.year <= last]
        latest = max(incomes, key=lambda i: i.year, default=None)
        if latest is None or latest.per_capita_net_income < threshold_for_year(latest.year):
            yield Found(
                record.household_id, None,
                _("Eliminated through assistance with income below the monitoring threshold."),
            )  # fmt: skip


# 15. Employment or a post as the measure, yet no wage income after elimination.
def check_no_wages(today: datetime.date) -> Iterator[Found]:
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


def labour_by_household(household_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = current_members().filter(household_id__in=household_ids)
    for household_id, capacity in rows.values_list("household_id", "labour_capacity"):
        found[household_id].append(capacity)
    return found


# 16. "Unstable work" as a risk where nobody can work or nobody has any work record.
def check_unstable_work(today: datetime.date) -> Iterator[Found]:
    open_records = [
        r for r in _monitored().exclude(status=Status.ELIMINATED) if Risk.UNSTABLE_WORK in r.risks
    ]
    ids = {r.household_id for r in open_records}
    labour = labour_by_household(ids)
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
def check_safeguard(today: datetime.date) -> Iterator[Found]:
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
    labour = labour_by_household({r.household_id for r in records})
    for record in records:
        capacities = labour.get(record.household_id, [])
        if capacities and all(c in NO_LABOUR for c in capacities):
            yield Found(
                record.household_id, None,
                _("Nobody can work and social assistance is in place, but the household is "
                  "not marked as safeguarded (整户无劳动能力兜底保障户)."),
            )  # fmt: skip
