"""Writes to public-welfare posts: the posts, applications and decisions, monthly attendance,
exits, term expiry and vacated places. One module per use case; every name is importable
from here."""

from ..models import PostType
from .applications import (
    post_apply,
    post_decide,
    post_eligibility,
    post_notice_concluded,
    post_on_notice,
    post_start,
    post_start_due,
)
from .exits import assignment_end, post_application_withdraw, post_terms_expire
from .overlap import term_overlapping
from .rolls import AttendanceEntry, post_month_record, subsidy_roll_approve, subsidy_roll_export
from .terms import post_exit, post_renew, renewal_end
from .welfare_posts import post_create, post_vacancy_report

__all__ = [
    "renewal_end",
    "post_application_withdraw",
    "post_exit",
    "post_renew",
    "term_overlapping",
    "AttendanceEntry",
    "post_month_record",
    "subsidy_roll_approve",
    "subsidy_roll_export",
    "PostType",
    "assignment_end",
    "post_apply",
    "post_create",
    "post_decide",
    "post_eligibility",
    "post_notice_concluded",
    "post_on_notice",
    "post_start",
    "post_start_due",
    "post_terms_expire",
    "post_vacancy_report",
]
