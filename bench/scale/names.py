"""What the parent and the tiers agree on, without Django: the pages, the users, the summary."""

import statistics

PAGES = ("workbench", "inbox", "queue", "process list", "overdue", "task", "process",
         "household list", "search", "household", "dashboard")  # fmt: skip
USERS = ("caseworker", "manager", "county")


def summary(values: list[float]) -> tuple[float, float]:
    """Median and p95 (inclusive method; the largest value for fewer than two)."""
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    return statistics.median(values), statistics.quantiles(values, n=20, method="inclusive")[18]
