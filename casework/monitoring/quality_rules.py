"""The 17 data-quality rules county checkers run against the national exports
(reference/domain.md §5.11), as set-based reads over everything stored.

Each rule yields ``Found(household_id, member_id, detail)``; ``quality_findings`` runs them all.
Where a rule can be applied when the data is entered it is (the entry point is named in
``RULES``); the nightly run finds what came in otherwise (imports, older data, later changes).
Every threshold is a policy parameter. The rules themselves are in ``quality_checks_people``
(1–11) and ``quality_checks_monitoring`` (12–17).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from .quality_checks_monitoring import (
    check_eliminated_below,
    check_eliminated_soon,
    check_no_measure,
    check_no_wages,
    check_safeguard,
    check_unstable_work,
)
from .quality_checks_people import (
    Found,
    check_education,
    check_heads_and_spouses,
    check_id_numbers,
    check_incomes,
    check_job_fields,
    check_local_channels,
    check_phones,
    check_place_and_time,
    check_post_age,
    check_shared_phones,
    check_spouse_sex,
)


@dataclass(frozen=True)
class Rule:
    number: int
    title: Promise
    at_entry: Promise | None
    find: Callable[[datetime.date], Iterable[Found]]


RULES: tuple[Rule, ...] = (
    Rule(
        1,
        gettext_lazy("ID number check digit and birth date"),
        gettext_lazy("registering a member"),
        check_id_numbers,
    ),
    Rule(
        2,
        gettext_lazy("One head and at most one spouse per household"),
        gettext_lazy("registering a household"),
        check_heads_and_spouses,
    ),
    Rule(3, gettext_lazy("Spouse of the head's own sex"), None, check_spouse_sex),
    Rule(4, gettext_lazy("Student status and education level"), None, check_education),
    Rule(
        5,
        gettext_lazy("Place of work and days worked"),
        gettext_lazy("monthly work records"),
        check_place_and_time,
    ),
    Rule(
        6,
        gettext_lazy("Mobile phone numbers"),
        gettext_lazy("registering a household or member"),
        check_phones,
    ),
    Rule(
        7,
        gettext_lazy("One phone shared by people working in different places"),
        None,
        check_shared_phones,
    ),
    Rule(
        8,
        gettext_lazy("Public-welfare post holders past the age limit"),
        gettext_lazy("post eligibility"),
        check_post_age,
    ),
    Rule(
        9,
        gettext_lazy("Local channels for work outside the county"),
        gettext_lazy("recording a job"),
        check_local_channels,
    ),
    Rule(
        10,
        gettext_lazy("Monthly income out of range"),
        gettext_lazy("recording a job"),
        check_incomes,
    ),
    Rule(
        11,
        gettext_lazy("Current job with a required field missing"),
        gettext_lazy("recording a job"),
        check_job_fields,
    ),
    Rule(
        12, gettext_lazy("Monitored household without assistance measures"), None, check_no_measure
    ),
    Rule(
        13,
        gettext_lazy("Risk eliminated too soon after identification"),
        gettext_lazy("proposing an elimination"),
        check_eliminated_soon,
    ),
    Rule(
        14,
        gettext_lazy("Risk eliminated with income below the threshold"),
        gettext_lazy("proposing an elimination"),
        check_eliminated_below,
    ),
    Rule(
        15,
        gettext_lazy("No wage income after elimination with employment assistance"),
        gettext_lazy("proposing an elimination"),
        check_no_wages,
    ),
    Rule(
        16,
        gettext_lazy("Risk “unstable work” without work or labour"),
        gettext_lazy("identifying a household"),
        check_unstable_work,
    ),
    Rule(
        17,
        gettext_lazy("Household without labour not marked as safeguarded"),
        None,
        check_safeguard,
    ),
)
RULE_TITLES = {rule.number: rule.title for rule in RULES}


def quality_findings(today: datetime.date) -> dict[int, list[Found]]:
    """Every rule's findings over everything stored, by rule number."""
    return {rule.number: list(dict.fromkeys(rule.find(today))) for rule in RULES}


__all__ = ["RULES", "RULE_TITLES", "Found", "Rule", "quality_findings"]
