"""Reads of the policy: each parameter's value in words and its history (for the policy pages),
and the code lists (the codes valid on a day, for forms; the label of any code ever used, for
display)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
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


def code_choices(list_name: str, on: datetime.date | None = None) -> list[tuple[str, str]]:
    """``(code, label)`` pairs of the codes valid on ``on``, for a form's choices."""
    return [(code.code, code.label) for code in codes_active(list_name, on)]


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
