"""Writes to the monthly work records and to the monitored households. (Asking for a
data-quality run is ``quality_requests``, imported from there: it imports the task module.)"""

from ..thresholds import threshold_for_year
from .eliminations import (
    elimination_checks,
    elimination_conclude,
    elimination_propose,
    elimination_review,
)
from .quality import quality_export_record, quality_ran_today, quality_run
from .risks import (
    monitoring_change,
    monitoring_identify,
    monitoring_income_record,
    monitoring_measure_add,
)
from .work_months import (
    WorkMonthEntry,
    work_month_check,
    work_month_close,
    work_month_record,
)

__all__ = [
    "WorkMonthEntry",
    "elimination_checks",
    "elimination_conclude",
    "elimination_propose",
    "elimination_review",
    "monitoring_change",
    "monitoring_identify",
    "monitoring_income_record",
    "monitoring_measure_add",
    "quality_export_record",
    "quality_ran_today",
    "quality_run",
    "threshold_for_year",
    "work_month_check",
    "work_month_close",
    "work_month_record",
]
