from tests.workflows.conftest import assessed, course  # noqa: F401 - shared fixtures
