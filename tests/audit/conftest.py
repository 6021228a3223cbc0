from tests.workflows.conftest import course  # noqa: F401 - shared fixture
