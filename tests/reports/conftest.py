from tests.workflows.conftest import assessed  # noqa: F401 - shared fixture
