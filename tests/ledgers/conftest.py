from tests.workflows.conftest import welfare_post  # noqa: F401 - shared fixture
