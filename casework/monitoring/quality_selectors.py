"""Reads of the data-quality report, by the grids the user works (``casework.permissions``)."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet

from casework import permissions
from casework.registry.models import Site

from .quality_models import QualityFinding, QualityRun
from .quality_rules import RULES
from .risk_models import MonitoredHousehold

VIEW_QUALITY = "monitoring.view_qualityfinding"


def quality_findings_visible_to(
    user: User | AnonymousUser, *, rule: int | None = None
) -> QuerySet[QualityFinding]:
    """The last run's findings about the households of the grids ``user`` works."""
    if not user.is_authenticated or not user.has_perm(VIEW_QUALITY):
        return QualityFinding.objects.none()
    run = quality_last_run()
    if run is None:
        return QualityFinding.objects.none()
    # By the household's grid now (a household moved since the run goes with its findings).
    findings = QualityFinding.objects.filter(
        run=run, household__grid__in=permissions.grids_worked_by(user).values("pk")
    )
    if rule is not None:
        findings = findings.filter(rule=rule)
    return findings.select_related("household__grid__site", "member").order_by(
        "rule", "household__number", "pk"
    )


def quality_counts(user: User | AnonymousUser) -> list[tuple[int, str, bool, int]]:
    """Each rule (number, title, applied at entry, findings in the user's grids)."""
    counts = dict(
        quality_findings_visible_to(user)
        .order_by()
        .values_list("rule")
        .annotate(n=Count("pk"))
        .values_list("rule", "n")
    )
    return [
        (r.number, str(r.title), r.at_entry is not None, counts.get(r.number, 0)) for r in RULES
    ]


def quality_last_run() -> QualityRun | None:
    return QualityRun.objects.order_by("-ran_at", "-pk").first()


def quality_counts_for_sites(sites: QuerySet[Site]) -> list[tuple[int, str, int]]:
    """The last run's findings in ``sites``, by rule (rules with findings only), for the
    dashboard; the sites are the ones the dashboard's user manages."""
    run = quality_last_run()
    counts = (
        QualityFinding.objects.filter(run=run, household__grid__site__in=sites.values("pk"))
        .order_by()
        .values_list("rule")
        .annotate(n=Count("pk"))
        .values_list("rule", "n")
    )
    titles = {rule.number: str(rule.title) for rule in RULES}
    return sorted((rule, titles[rule], n) for rule, n in counts)


def monitored_counts_for_sites(sites: QuerySet[Site]) -> dict[str, int]:
    """Monitored households in ``sites`` by status."""
    rows = (
        MonitoredHousehold.objects.filter(household__grid__site__in=sites.values("pk"))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)
