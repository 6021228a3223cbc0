"""System checks of the reports: the front-end library the month-end charts load is there.

ECharts is copied from ``node_modules`` into ``build/static`` by ``make vendor``; without it the
month-end page names a static file the manifest does not know, and answers 500 where static
files are served by their hashed names."""

from typing import Any

from django.contrib.staticfiles import finders
from django.core import checks

ECHARTS = "vendor/echarts/echarts.min.js"


@checks.register(checks.Tags.staticfiles)
def echarts_present(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A warning (every command still runs) when the charts' library cannot be found."""
    if finders.find(ECHARTS):
        return []
    return [
        checks.Warning(
            f"{ECHARTS} is not among the static files: the month-end figures page cannot load.",
            hint="Run `make vendor` (it copies ECharts from node_modules into build/static), "
            "then collectstatic.",
            id="reports.W001",
        )
    ]
