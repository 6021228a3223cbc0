"""``{{ labels|person:user_id }}``: a person's label from a dict read beforehand by
``casework.audit.people.people_labels`` (no query in the template)."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(labels: dict[int, str], pk: Any) -> str:
    """The label of the user ``pk`` in ``labels``; "" for no one."""
    return labels.get(pk, "") if pk is not None else ""
