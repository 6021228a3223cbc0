"""Writes of staff changes: a departing user's work handed on (``handover``) and substitutes
(``substitutions``)."""

from .handover import (
    Handover,
    TaskTarget,
    staff_courses_reassign,
    staff_deactivate,
    staff_tasks_reassign,
)
from .substitutions import substitution_create, substitution_end

__all__ = [
    "Handover",
    "TaskTarget",
    "staff_courses_reassign",
    "staff_deactivate",
    "staff_tasks_reassign",
    "substitution_create",
    "substitution_end",
]
