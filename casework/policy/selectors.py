"""Reads of the code lists: the codes valid on a day (for forms) and the label of any code
ever used (for display)."""

import datetime

from django.db.models import Q
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
