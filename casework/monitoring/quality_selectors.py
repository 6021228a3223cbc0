"""Reads of the data-quality report, by the grids the user works (``casework.permissions``)."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet

from casework import permissions

from .quality_models import QualityFinding, QualityRun
from .quality_rules import RULES

VIEW_QUALITY = "monitoring.view_qualityfinding"


def quality_findings_visible_to(
    user: User | AnonymousUser, *, rule: int | None = None
) -> QuerySet[QualityFinding]:
    """The last run's findings about the households of the grids ``user`` works."""
    if not user.is_authenticated or not user.has_perm(VIEW_QUALITY):
        return QualityFinding.objects.none()
    findings = QualityFinding.objects.filter(
        grid__in=permissions.grids_worked_by(user).values("pk")
    )
    if rule is not None:
        findings = findings.filter(rule=rule)
    return findings.select_related("household", "member", "grid__site").order_by(
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
