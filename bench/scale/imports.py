"""A ledger import of N generated households (``bench/import_ledger.py``'s ledger) through the
service, against a bare read of the same file plus a bulk insert of its households and members.
Both are rolled back once timed (neither counts a commit): the import then finds the bare
insert's households new, and a kept tier (``bench/scale.py --keep``) measured again does not
grow by N households with each run."""

import datetime
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from casework.ledgers.household.importer import ledger_import
from casework.ledgers.household.template import COLUMNS
from casework.registry import services
from casework.registry.models import Grid, Household, Member, Site

RELATION = {"户主": "head", "配偶": "spouse", "之子": "son", "之女": "daughter", "之父母": "parent"}


def _site() -> dict[str, Grid]:
    site = Site.objects.filter(name="安置点S").first()
    if site is None:
        site = services.site_create(actor=None, code="IMPORT-S", name="安置点S")
        for g in range(1, 9):
            services.grid_create(actor=None, site=site, code=f"G{g}", name=f"导入网格{g}")
    return {grid.code: grid for grid in site.grids.all()}


def _bare(path: Path, grids: dict[str, Grid]) -> float:
    """Read the file and bulk-insert its households and members; the time, rolled back."""
    began = time.perf_counter()
    book = load_workbook(path, read_only=True)
    keys = [c.key for c in COLUMNS]
    households: dict[str, Household] = {}
    members: list[tuple[str, dict[str, Any]]] = []
    for values in book.worksheets[0].iter_rows(min_row=2, values_only=True):
        row = dict(zip(keys, values, strict=False))
        number = str(row["number"])
        if number not in households:
            households[number] = Household(
                number=number, grid=grids[str(row["grid"])], building=str(row["building"]),
                unit=str(row["unit"]), room=str(row["room"]), phone=str(row["household_phone"]),
            )  # fmt: skip
        document = str(row["document_number"])
        members.append((number, {
            "name": row["name"], "document_number": document,
            "birth_date": datetime.date(int(document[6:10]), int(document[10:12]),
                                        int(document[12:14])),
            "sex": "M" if int(document[16]) % 2 else "F",
            "relationship": RELATION.get(str(row["relationship"]), "other"),
            "phone": str(row["phone"]),
        }))  # fmt: skip
    book.close()
    with transaction.atomic():
        made = {
            h.number: h for h in Household.objects.bulk_create(households.values(), batch_size=2000)
        }
        Member.objects.bulk_create(
            [Member(household=made[number], **fields) for number, fields in members],
            batch_size=2000,
        )
        elapsed = time.perf_counter() - began
        transaction.set_rollback(True)
    return elapsed


def import_against_bare(households: int) -> dict[str, Any]:
    """Seconds of the bare read and insert, and of ``ledger_import`` (the service the import
    command and page call) of the same file."""
    import import_ledger  # bench/import_ledger.py: its ledger generator

    folder = Path(tempfile.mkdtemp(prefix="bench-scale-import-"))
    try:
        path = folder / "ledger.xlsx"
        grids = _site()
        # Numbered past any households an earlier run left (before its import rolled back).
        done = Household.objects.filter(grid__in=grids.values()).count()
        rows = import_ledger.generate(path, households, first=done)
        bare = _bare(path, grids)
        with transaction.atomic():
            began = time.perf_counter()
            report = ledger_import(actor=None, source=path)
            service = time.perf_counter() - began
            transaction.set_rollback(True)
        if not report.imported:
            raise RuntimeError(f"the import failed: {report.errors[:3]}")
        return {"households": households, "members": rows, "bare": bare, "service": service}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(import_ledger.TMP, ignore_errors=True)
