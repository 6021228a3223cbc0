"""Writes to employment episodes: a job recorded, a job or post ended, a retention follow-up,
and the job menu. One module per use case; every name is importable from here."""

from .episodes import episode_end, retention_followup_record
from .jobs import (
    DataQualityWarning,
    placement_problems,
    placement_record,
)
from .menu import employer_create, vacancy_create

__all__ = [
    "DataQualityWarning",
    "employer_create",
    "episode_end",
    "placement_problems",
    "placement_record",
    "retention_followup_record",
    "vacancy_create",
]
