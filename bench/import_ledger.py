"""Time the import of a generated household ledger: 10,000 households, 35,000 members.

    .venv/bin/python bench/import_ledger.py [HOUSEHOLDS]

Runs on a throwaway on-disk SQLite database with the production settings (WAL, IMMEDIATE
transactions), or on PostgreSQL when DATABASE_URL is set (scripts/with-postgres sets it; the
database is created and dropped here). Prints the time of each phase (read, check, write), the
total, the rows per second and the peak RSS, then the time of a second import of the same file
(which finds every household already there and writes nothing).
"""

import datetime
import os
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
TMP = Path(tempfile.mkdtemp(prefix="bench-import-"))
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(TMP / "bench.sqlite3")
os.environ["EXPORT_ROOT"] = str(TMP / "exports")
# An audit key of the bench's own (the real settings refuse to audit without one), and its
# anchor file beside the database.
os.environ.setdefault("AUDIT_HMAC_KEY", secrets.token_hex(32))
os.environ["AUDIT_ANCHOR_PATH"] = str(TMP / "audit-anchor.log")


def generate(path: Path, households: int, first: int = 0) -> int:
    """A ledger of ``households`` households numbered from ``first`` (another ``first`` past the
    last file's households gives new household and ID numbers); returns its member rows."""
    from openpyxl import Workbook
    from stdnum.cn import ric

    from casework.ledgers.household.template import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("户籍台账")
    sheet.append([c.title for c in COLUMNS])
    relations = ["户主", "配偶", "之子", "之女", "之父母"]
    capacities = ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "无劳动力"]
    start = datetime.date(1950, 1, 1)
    row = first * 5  # at most five members a household: the ID numbers of files never meet
    for h in range(first, first + households):
        size = 2 + h % 4  # 2, 3, 4, 5: 3.5 members on average
        for m in range(size):
            row += 1
            born = start + datetime.timedelta(days=(row // 400) * 3)
            serial = (row % 400) * 2 + (1 if m % 2 == 0 else 0)
            body = f"621226{born:%Y%m%d}{serial:03d}"
            values = {
                "row": row,
                "site": "安置点S",
                "grid": f"G{1 + h % 8}",
                "building": str(1 + h // 200),
                "unit": str(1 + h % 4),
                "room": f"{1 + h % 30:02d}01",
                "origin_code": f"6212261{h % 50:02d}201",
                "origin_name": f"原籍村{h % 50:02d}",
                "number": f"6212260{h:08d}",
                "household_type": "脱贫户",
                "colour": "绿色",
                "household_phone": f"139{h:08d}",
                "name": f"成员{h}-{m}",
                "document_number": body + ric.calc_check_digit(body + "0"),
                "relationship": relations[m] if m < 5 else "其他",
                "labour_capacity": capacities[(h + m) % 4],
                "in_school": "否",
                "phone": f"138{row:08d}",
            }
            sheet.append([values.get(c.key, "") for c in COLUMNS])
    book.save(path)
    return row - first * 5


def main(households: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        # A database of our own on the throwaway server.
        name = f"bench_import_{os.getpid()}"
        db["NAME"] = "postgres"  # the server's own database: DATABASE_URL's may not exist yet
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        db["NAME"] = name
    try:
        run(households, call_command)
    finally:
        if db["ENGINE"].endswith("postgresql"):
            connection.close()
            from django.db import connections

            db["NAME"] = "postgres"
            with connections["default"].cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}"')


def run(households: int, call_command) -> None:
    from django.db import connection

    from casework.ledgers.household.importer import ledger_import
    from casework.registry import services
    from casework.registry.models import Household, Member

    call_command("migrate", verbosity=0)
    site = services.site_create(actor=None, code="S", name="安置点S")
    for g in range(1, 9):
        services.grid_create(actor=None, site=site, code=f"G{g}", name=f"网格{g}")
    path = TMP / "ledger.xlsx"
    t = time.perf_counter()
    rows = generate(path, households)
    print(f"generated {households} households / {rows} members "
          f"({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s")  # fmt: skip
    phases: dict[str, float] = {}
    began = time.perf_counter()

    def progress(phase: str, done: int, total: int) -> None:
        phases[phase] = time.perf_counter()

    report = ledger_import(actor=None, source=path, progress=progress)
    total = time.perf_counter() - began
    assert report.ok and report.imported, report.errors[:5]
    assert Household.objects.count() == households and Member.objects.count() == rows
    read_end = phases.get("read", began)
    check_end = phases["check"]
    print(f"database: {connection.vendor}")
    print(f"read  {read_end - began:6.1f} s")
    print(f"check {check_end - read_end:6.1f} s")
    print(f"write {total - (check_end - began):6.1f} s")
    print(f"total {total:6.1f} s  ({rows / total:,.0f} rows/s)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    t = time.perf_counter()
    again = ledger_import(actor=None, source=path)
    print(f"second import (nothing to write): {time.perf_counter() - t:.1f} s, "
          f"new {again.households_new}, unchanged {again.households_unchanged}")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
