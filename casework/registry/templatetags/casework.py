from typing import Any

from django import template

from casework.permissions.roles import ROLE_LABELS, user_roles

register = template.Library()


@register.filter
def role_labels(user: Any) -> str:
    """The user's roles in the interface language, joined with 、."""
    return "、".join(str(ROLE_LABELS[role]) for role in user_roles(user)) or "—"
