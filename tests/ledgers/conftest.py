from tests.workflows.conftest import assessed, welfare_post  # noqa: F401 - shared fixtures
