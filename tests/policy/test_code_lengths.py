"""Every code the migrations put in a code list fits its column (PostgreSQL enforces lengths,
SQLite does not: a code one character too long stopped a fresh install on PostgreSQL)."""

import pytest

from casework.policy.models import Code

pytestmark = pytest.mark.django_db


def test_every_seeded_code_fits_its_column():
    longest = Code._meta.get_field("code").max_length
    codes = list(Code.objects.values_list("code", flat=True))
    assert codes, "the migrations fill the code lists"
    assert [code for code in codes if len(code) > longest] == []
    assert "capable_household" in codes
