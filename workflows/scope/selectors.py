"""Reading the scope keys of workflow processes against what each process is about: the
consistency check's and the rebuild's questions (``workflows.scope.services`` writes them)."""

from dataclasses import dataclass

from django.db.models import F, IntegerField, Q, QuerySet, Value
from viewflow.workflow.models import Process

from ..subjects import SUBJECTS, subject_for


def keys_of(process_class: type[Process]) -> QuerySet:
    """The processes of one class with their household, grid and site ids."""
    entry = subject_for(process_class)
    member = F(f"{entry.member}__pk") if entry.member else Value(None, IntegerField())
    return process_class.objects.values("pk").annotate(
        wf_household=F(f"{entry.household}__pk"),
        wf_grid=F(f"{entry.household}__grid_id"),
        wf_site=F(f"{entry.household}__grid__site_id"),
        wf_member=member,
    )


def keys_missing(process_class: type[Process]) -> QuerySet:
    """Processes of one class without scope keys."""
    return keys_of(process_class).filter(scope__isnull=True)


def keys_wrong(process_class: type[Process]) -> QuerySet:
    """Processes of one class whose keys disagree with their subject."""
    entry = subject_for(process_class)
    wrong = (
        ~Q(scope__household_id=F(f"{entry.household}__pk"))
        | ~Q(scope__grid_id=F(f"{entry.household}__grid_id"))
        | ~Q(scope__site_id=F(f"{entry.household}__grid__site_id"))
    )
    if entry.member:
        wrong |= Q(scope__member__isnull=True) | ~Q(scope__member_id=F(f"{entry.member}__pk"))
    else:
        wrong |= Q(scope__member__isnull=False)
    return keys_of(process_class).filter(wrong, scope__isnull=False)


@dataclass(frozen=True)
class ScopeReport:
    """What a check or rebuild found: processes without keys, and keys that disagree with
    their subject."""

    missing: int
    wrong: int

    @property
    def clean(self) -> bool:
        return not (self.missing or self.wrong)


def process_scope_disagreements(limit: int) -> list[tuple[str, int, int]]:
    """Up to ``limit`` processes whose keys are missing or disagree with their subject, as
    (``"missing"`` or ``"wrong"``, process id, the subject's household id); reads only."""
    found: list[tuple[str, int, int]] = []
    for entry in SUBJECTS:
        for kind, rows in (("missing", keys_missing), ("wrong", keys_wrong)):
            for row in rows(entry.process_class).order_by("pk")[: limit - len(found)]:
                found.append((kind, row["pk"], row["wf_household"]))
            if len(found) >= limit:
                return found
    return found


def process_scopes_check() -> ScopeReport:
    """Compare every process's keys with its subject (reads only)."""
    return ScopeReport(
        missing=sum(keys_missing(entry.process_class).count() for entry in SUBJECTS),
        wrong=sum(keys_wrong(entry.process_class).count() for entry in SUBJECTS),
    )
