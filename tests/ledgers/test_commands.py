"""``import_ledger``: every bad row printed and a non-zero exit; a file that is not a workbook is
refused in Chinese; ``--user`` imports only for holders of the import right."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.registry.models import Household
from tests.ledgers.household.books import book, clean_rows, messy_rows, snapshot

pytestmark = pytest.mark.django_db


def test_the_command_prints_every_bad_row_and_exits_non_zero(world, tmp_path, capsys):
    path = tmp_path / "messy.xlsx"
    path.write_bytes(book(messy_rows()).getvalue())
    before = snapshot()
    with pytest.raises(CommandError, match="5"):
        call_command("import_ledger", str(path))
    out = capsys.readouterr().out
    for row in (8, 9, 11, 13, 14):
        assert f"第{row}行" in out
    assert snapshot() == before


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(world, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="xlsx"):
        call_command("import_ledger", str(path))


def test_the_command_imports_as_a_user_only_with_their_right(world, tmp_path, capsys):
    path = tmp_path / "clean.xlsx"
    path.write_bytes(book(clean_rows()).getvalue())
    with pytest.raises(CommandError, match="caseworker1"):
        call_command("import_ledger", str(path), "--user", "caseworker1")
    assert not Household.objects.filter(number__startswith="N-").exists()
    call_command("import_ledger", str(path), "--user", "manager")
    assert Household.objects.filter(number__startswith="N-").count() == 3
