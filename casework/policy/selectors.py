"""Reads of the code lists: the codes valid on a day (for forms) and the label of any code
ever used (for display)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import Code


def codes_active(list_name: str, on: datetime.date | None = None) -> list[Code]:
    """The codes of ``list_name`` valid on ``on`` (today by default), in display order."""
    day = on or timezone.localdate()
    return list(
        Code.objects.filter(list_name=list_name, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )
    )


def code_choices(
    list_name: str, on: datetime.date | None = None, *, keep: str = ""
) -> list[tuple[str, str]]:
    """``(code, label)`` pairs of the codes valid on ``on``, for a form's choices; ``keep`` (a
    record's own code, ended since) stays offered so that editing the record keeps it."""
    choices = [(code.code, code.label) for code in codes_active(list_name, on)]
    if keep and keep not in dict(choices):
        choices.append((keep, code_label(list_name, keep)))
    return choices


def code_labels(list_name: str) -> dict[str, str]:
    """The label of every code the list ever had (ended ones too): records keep theirs."""
    return dict(Code.objects.filter(list_name=list_name).values_list("code", "label"))


def code_label(list_name: str, code: str) -> str:
    """The label of ``code`` in ``list_name``; the code itself if the list never had it."""
    if not code:
        return ""
    return code_labels(list_name).get(code, code)


def code_list(list_name: str) -> list[Code]:
    """Every code of the list, ended ones included, in display order."""
    return list(Code.objects.filter(list_name=list_name))


def code_is_active(list_name: str, code: str, on: datetime.date | None = None) -> bool:
    """Whether ``code`` is a code of ``list_name`` valid on ``on`` (today by default)."""
    day = on or timezone.localdate()
    return (
        Code.objects.filter(list_name=list_name, code=code, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .exists()
    )


def code_is_known(list_name: str, code: str) -> bool:
    """Whether the list ever had ``code`` (ended codes too)."""
    return Code.objects.filter(list_name=list_name, code=code).exists()


def with_code_label(queryset: QuerySet[Any], field: str, list_name: str) -> QuerySet[Any]:
    """``queryset`` with ``<field>_label``: the label of the code in ``field`` (from the list
    ``list_name``), read in the same query; ``code_display`` uses it."""
    label = Code.objects.filter(list_name=list_name, code=OuterRef(field)).values("label")[:1]
    annotated: QuerySet[Any] = queryset.annotate(**{f"{field}_label": Subquery(label)})
    return annotated


def code_display(obj: Any, field: str, list_name: str) -> str:
    """The label of ``obj``'s code in ``field``: the annotation of ``with_code_label`` when the
    row was read with it, else one query; the raw code if the list never had it."""
    code = getattr(obj, field)
    annotated = obj.__dict__.get(f"{field}_label")
    if annotated:
        return str(annotated)
    return code_label(list_name, code)


class CodeBook:
    """Every code of every list, read in one query: for exports and pages that show many
    records (labels and groupings of codes ever used, ended ones too)."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str], Code] = {
            (row.list_name, row.code): row for row in Code.objects.all()
        }

    def get(self, list_name: str, code: str) -> Code | None:
        return self.codes.get((list_name, code))

    def label(self, list_name: str, code: str) -> str:
        row = self.get(list_name, code)
        return row.label if row else code

    def group(self, list_name: str, code: str) -> str:
        """The 七个一批 group of the code ("" when none)."""
        row = self.get(list_name, code)
        return row.group if row else ""

    def group_five(self, list_name: str, code: str) -> str:
        """The 五个一批 group of the code ("" when none)."""
        row = self.get(list_name, code)
        return row.group_five if row else ""


@dataclass(frozen=True)
class CodeRow:
    """A code as its list's page shows it: in force on ``day``, ended, or starting later."""

    code: Code
    state: str  # "in_force", "ended" or "later"

    @property
    def in_force(self) -> bool:
        return self.state == "in_force"


@dataclass(frozen=True)
class CodeListSummary:
    list_name: str
    label: str
    in_force: int
    ended: int
    examples: list[str]


def _state(code: Code, day: datetime.date) -> str:
    if code.valid_from > day:
        return "later"
    if code.valid_to is not None and code.valid_to < day:
        return "ended"
    return "in_force"


def code_rows(list_name: str, on: datetime.date | None = None) -> list[CodeRow]:
    """Every code of the list with its state on ``on`` (today by default), in display order."""
    day = on or timezone.localdate()
    return [CodeRow(code, _state(code, day)) for code in code_list(list_name)]


def code_list_summaries(on: datetime.date | None = None) -> list[CodeListSummary]:
    """One summary per code list (in the order of ``Code.List``): how many codes are in force
    on ``on`` and how many have ended, with the first few labels in force; one query."""
    day = on or timezone.localdate()
    by_list: dict[str, list[Code]] = {}
    for code in Code.objects.all():
        by_list.setdefault(code.list_name, []).append(code)
    summaries = []
    for list_name, label in Code.List.choices:
        states = [(code, _state(code, day)) for code in by_list.get(list_name, [])]
        current = [code.label for code, state in states if state == "in_force"]
        summaries.append(
            CodeListSummary(
                list_name=list_name,
                label=str(label),
                in_force=len(current),
                ended=sum(1 for _code, state in states if state == "ended"),
                examples=current[:4],
            )
        )
    return summaries


def code_labels_of(list_names: set[str]) -> dict[tuple[str, str], str]:
    """The label of every code (ended ones too) of the lists named, by (list, code); one
    query."""
    rows = Code.objects.filter(list_name__in=list_names).values_list("list_name", "code", "label")
    return {(list_name, code): label for list_name, code, label in rows}
