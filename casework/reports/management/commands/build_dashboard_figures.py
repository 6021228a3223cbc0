"""Build the dashboard's snapshot now: today's, a given day's, or every missing day of a range.

The rows keep only the present state (each member's latest assessment and case), so a day in the
past is counted from the data as it stands now: back-filling closes the gaps a missed night left
in the monthly trends, it does not recover what the figures were on that day."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.reports.dashboard.services.build import figures_snapshot_build
from casework.reports.models import FiguresBuild


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Count every grid's dashboard figures for today, --day, or each day --since till today."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--day", type=_day, help="The day to build (default today).")
        parser.add_argument(
            "--since", type=_day, help="Build each day from this one to today that has no build."
        )
        parser.add_argument(
            "--replace", action="store_true", help="With --since: rebuild days already built too."
        )

    def handle(
        self,
        *args: Any,
        day: datetime.date | None,
        since: datetime.date | None,
        replace: bool,
        **options: Any,
    ) -> None:
        today = timezone.localdate()
        if day and since:
            raise CommandError("Give --day or --since, not both.")
        start = since or day or today
        end = day or today
        if end > today:
            raise CommandError("The figures of a day still to come cannot be counted.")
        built = set(
            FiguresBuild.objects.filter(finished_at__isnull=False).values_list("day", flat=True)
        )
        current = start
        while current <= end:
            if since is None or replace or current not in built:
                grids = figures_snapshot_build(day=current)
                self.stdout.write(f"{current}: {grids} grid(s)")
            current += datetime.timedelta(days=1)
