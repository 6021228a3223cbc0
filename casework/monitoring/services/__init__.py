"""Writes to the monthly work records."""

from .work_months import (
    WorkMonthEntry,
    work_month_check,
    work_month_close,
    work_month_record,
)

__all__ = ["WorkMonthEntry", "work_month_check", "work_month_close", "work_month_record"]
