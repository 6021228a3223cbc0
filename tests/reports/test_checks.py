"""The system check that the month-end charts' library was copied into the static files."""

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from casework.reports.checks import ECHARTS, echarts_present


def test_no_warning_when_the_library_is_there():
    assert (settings.BASE_DIR / "build" / "static" / ECHARTS).is_file(), "make vendor ran"
    assert echarts_present() == []


def test_a_warning_naming_make_vendor_when_it_is_not():
    with override_settings(STATICFILES_DIRS=[settings.BASE_DIR / "static"]):
        (warning,) = echarts_present()
        call_command("check")  # a warning only: every command still runs
    assert warning.id == "reports.W001" and "make vendor" in warning.hint
