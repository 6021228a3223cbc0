"""Writes to assessments and cases. Each service runs in one transaction with its audit event.

Flow task views call these; the flows only read the resulting state to choose the next step.
One module per use case; every name is importable from here.
"""

from .assessments import (
    AssessmentEntry,
    AssessmentErrors,
    assessment_entry_validate,
    assessment_review,
    household_assess,
    member_assess,
    pending_assessments,
)
from .employment import case_refusal_record, employment_cases_open, member_case_close
from .followups import (
    followup_checkpoints,
    followup_due_at,
    followup_month_due,
    retention_followup_create,
)
from .households import household_case_closable, household_case_close, household_case_open
from .reassessments import case_reassess, reassessment_needs_review, reassessment_review
from .rights import require
from .transitions import (
    ILLEGAL_TRANSITION,
    ROUTE_BY_CATEGORY,
    IllegalTransition,
    case_transition,
    transition_allowed,
    transition_check,
)
from .withdrawals import assessments_withdraw

__all__ = [
    "ILLEGAL_TRANSITION",
    "ROUTE_BY_CATEGORY",
    "AssessmentEntry",
    "AssessmentErrors",
    "IllegalTransition",
    "assessment_entry_validate",
    "assessment_review",
    "assessments_withdraw",
    "case_reassess",
    "case_refusal_record",
    "case_transition",
    "employment_cases_open",
    "followup_checkpoints",
    "followup_due_at",
    "followup_month_due",
    "household_assess",
    "household_case_closable",
    "household_case_close",
    "household_case_open",
    "member_assess",
    "member_case_close",
    "pending_assessments",
    "reassessment_needs_review",
    "reassessment_review",
    "require",
    "retention_followup_create",
    "transition_allowed",
    "transition_check",
]
