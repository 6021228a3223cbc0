"""Writes to training: courses and their trainers, enrolments, attendance, results. One module
per use case; every name is importable from here."""

from .attendance import attendance_record, session_roll
from .courses import (
    COURSE_FIELDS,
    course_create,
    course_roster_export,
    course_trainer_grant,
    course_trainer_revoke,
    require_course,
)
from .enrolments import enrolment_create
from .results import (
    RESULTS,
    ResultEntry,
    attendance_threshold,
    course_results_check,
    result_problems,
    result_recorded_by_trainer,
    training_result_apply,
    training_result_record,
)

__all__ = [
    "COURSE_FIELDS",
    "RESULTS",
    "ResultEntry",
    "attendance_record",
    "attendance_threshold",
    "course_create",
    "course_results_check",
    "course_roster_export",
    "course_trainer_grant",
    "course_trainer_revoke",
    "enrolment_create",
    "require_course",
    "result_problems",
    "result_recorded_by_trainer",
    "session_roll",
    "training_result_apply",
    "training_result_record",
]
