"""Reads of the policy: each parameter's value in words and its history (for the policy pages),
and the code lists (the codes valid on a day, for forms; the label of any code ever used, for
display)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .defaults import DEFAULTS, Default, Kind
from .models import Code, Parameter


def value_words(spec: Default, value: Any) -> str:
    """A value as a reader says it, with its unit: 80%, 1、3、6个月, 男 60岁；女 55岁."""
    unit = str(spec.unit)
    labels = {code: str(label) for code, label in spec.keys}
    if spec.kind == Kind.BOOLEAN:
        return _("Yes") if value else _("No")
    if spec.kind == Kind.INTEGERS and isinstance(value, list):
        return "、".join(str(v) for v in value) + unit
    if spec.kind == Kind.CHOICES and isinstance(value, list):
        return "、".join(labels.get(str(code), str(code)) for code in value)
    if spec.kind == Kind.TEXTS and isinstance(value, dict):
        return "；".join(f"{labels.get(code, code)}：{text}" for code, text in value.items())
    if spec.kind == Kind.MAPPING and isinstance(value, dict):
        return "；".join(f"{labels.get(code, code)} {v}{unit}" for code, v in value.items())
    return f"{value}{unit}"


@dataclass(frozen=True)
class ParameterRow:
    """One line of the parameter list: the value in force on the day beside the default."""

    key: str
    spec: Default
    value: Any
    row: Parameter | None  # the period in force, None when the default applies

    @property
    def label(self) -> str:
        return str(self.spec.label)

    @property
    def words(self) -> str:
        return value_words(self.spec, self.value)

    @property
    def default_words(self) -> str:
        return value_words(self.spec, self.spec.value)

    @property
    def changed(self) -> bool:
        return bool(self.value != self.spec.value)


def _in_force(day: datetime.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def parameter_rows(day: datetime.date | None = None) -> list[ParameterRow]:
    """Every parameter of the registry with its value in force on ``day`` (today), one query."""
    day = day or timezone.localdate()
    rows: dict[str, Parameter] = {}
    for row in Parameter.objects.filter(_in_force(day)).order_by("key", "-valid_from"):
        rows.setdefault(row.key, row)
    return [
        ParameterRow(key, spec, rows[key].value if key in rows else spec.value, rows.get(key))
        for key, spec in DEFAULTS.items()
    ]


def parameter_row(key: str, day: datetime.date | None = None) -> ParameterRow:
    """One parameter with its value in force on ``day``; ``KeyError`` for an unknown key."""
    spec = DEFAULTS[key]
    day = day or timezone.localdate()
    row = Parameter.objects.filter(_in_force(day), key=key).order_by("-valid_from").first()
    return ParameterRow(key, spec, row.value if row else spec.value, row)


@dataclass(frozen=True)
class Period:
    """One period of a parameter's history."""

    row: Parameter
    words: str
    current: bool


def parameter_history(key: str, day: datetime.date | None = None) -> list[Period]:
    """Every period set for ``key``, the latest start first, with who set it and when."""
    spec = DEFAULTS[key]
    day = day or timezone.localdate()
    rows = Parameter.objects.filter(key=key).select_related("created_by").order_by("-valid_from")
    return [
        Period(
            row,
            value_words(spec, row.value),
            row.valid_from <= day and (row.valid_to is None or row.valid_to >= day),
        )
        for row in rows
    ]


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
