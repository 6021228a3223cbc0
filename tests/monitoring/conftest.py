"""Fixtures borrowed from the workflow tests: a public-welfare post of site A."""

from tests.workflows.conftest import welfare_post  # noqa: F401 - a fixture, used by name
