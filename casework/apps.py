"""The project's configuration of contrib apps."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    """`collectstatic` without what viewflow ships and the product never serves: the npm sources
    beside its built bundles (their CSS names font files that are not shipped, which the
    hashed-name storage refuses) and Plotly Dash for viewflow.contrib.plotly (22 MB, unused)."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules", "viewflow/js/contrib/*"]
