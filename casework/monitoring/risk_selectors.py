"""Reads of the monitored households (防返贫监测), scoped by ``casework.permissions``."""

from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet

from casework import permissions
from casework.registry.models import Household

from .risk_models import MonitoredHousehold, MonitoringIncome
from .thresholds import threshold_for_year

Status = MonitoredHousehold.Status


class IncomeRow:
    """A year's income with that year's threshold (read once)."""

    def __init__(self, income: MonitoringIncome) -> None:
        self.income = income

    @cached_property
    def threshold(self) -> Decimal:
        return threshold_for_year(self.income.year)

    @property
    def below(self) -> bool:
        return self.income.per_capita_net_income < self.threshold


def monitored_visible_to(
    user: User | AnonymousUser, *, status: str = ""
) -> QuerySet[MonitoredHousehold]:
    """The monitored households ``user`` may see (open ones by default; ``status`` picks one
    status, "all" every record), with their measures counted."""
    records = MonitoredHousehold.objects.filter(
        household__in=permissions.households_visible_to(user)
    )
    if status == "all":
        pass
    elif status:
        records = records.filter(status=status)
    else:
        records = records.exclude(status=Status.ELIMINATED)
    return (
        records.select_related("household__grid__site")
        .annotate(measure_count=Count("measures"))
        .order_by("-identified_on", "-id")
    )


def monitoring_open(household: Household) -> MonitoredHousehold | None:
    """The household's open monitoring, if any."""
    return household.monitorings.exclude(status=Status.ELIMINATED).first()


def monitoring_facts(monitored: MonitoredHousehold) -> dict[str, Any]:
    """What a monitored household's pages show: the record, its incomes (each with its year's
    threshold), measures and elimination proposals."""
    incomes = [IncomeRow(income) for income in monitored.incomes.order_by("-year")]
    return {
        "monitored": monitored,
        "incomes": incomes,
        "measures": list(monitored.measures.select_related("recorded_by")),
        "proposals": list(
            monitored.proposals.select_related("proposed_by", "decided_by").order_by("proposed_at")
        ),
    }
