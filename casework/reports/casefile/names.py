"""The name of a household's case file, the same for one download and inside a batch's ZIP."""

from datetime import date

from django.utils.translation import pgettext

from casework.common.downloads import download_name


def casefile_name(household_number: str, when: date | None = None) -> str:
    """``6212260010017-户档案-20261128.pdf``: the household number, the title and the day."""
    return download_name(
        household_number, pgettext("file name", "case-file"), extension="pdf", when=when
    )
