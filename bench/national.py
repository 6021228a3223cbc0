"""Time the national base table both ways on generated households (reference/domain.md §5.1):

    .venv/bin/python bench/national.py [HOUSEHOLDS]

The same throwaway database as bench/import_ledger.py (on-disk SQLite, or PostgreSQL when
DATABASE_URL is set). Prints the time and queries of: the first import (every household new,
placed by its 安置点/网格 columns), a second import of the same table (every household compared,
no difference), a third with one changed cell in every hundredth household, applying its
differences, and the export of the base table.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import import_ledger as base  # noqa: E402  (sets up the throwaway database's environment)


def _table(households: int, changed_every: int = 0) -> tuple[Path, list[list[str]]]:
    from stdnum.cn import ric

    from tests.ledgers.national.tables import HEADERS, SHARED, book

    lines: list[list[str]] = []
    for h in range(households):
        size = 2 + h % 4
        number = f"6212261012{h:07d}"
        for m in range(size):
            serial = len(lines) % 400 * 2 + (1 if m % 2 == 0 else 0)
            body = f"621226{1950 + len(lines) // 400 % 60}0101{serial:03d}"
            cells = {
                **SHARED,
                "户编号": number, "人编号": f"{number}{m + 1:02d}", "姓名": f"成员{h}_{m}",
                "证件号码": body + ric.calc_check_digit(body + "0"), "人数": str(size),
                "与户主关系": "户主" if m == 0 else "之子", "文化程度": "初中", "健康状况": "健康",
                "劳动技能": "普通劳动力", "人联系电话": "13812345678", "安置点": "安置点S",
                "网格": f"网格{1 + h % 8}",
            }  # fmt: skip
            if changed_every and h % changed_every == 0 and m == 0:
                cells["人均纯收入"] = "9999"
            lines.append(
                [str(len(lines) + 1) if c == "序号" else cells.get(c, "") for c in HEADERS]
            )
    path = base.TMP / f"national-{changed_every}.xlsx"
    path.write_bytes(book(lines).getvalue())
    return path, lines


def run(households: int, call_command) -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.ledgers.models import LedgerImport
    from casework.ledgers.national.services.changes import national_changes_apply
    from casework.ledgers.national.services.exports import national_table_export
    from casework.ledgers.national.services.importing import national_import
    from casework.registry import services

    call_command("migrate", verbosity=0)
    admin = User.objects.create_superuser("bench", password=None)
    site = services.site_create(actor=None, code="S", name="安置点S")
    for g in range(1, 9):
        services.grid_create(actor=None, site=site, code=f"G{g}", name=f"网格{g}")
    print(f"database: {connection.vendor}; {households:,} households")

    def timed(label: str, path: Path) -> LedgerImport:
        job = LedgerImport.objects.create(
            requested_by=admin, original_name=path.name, layout="national"
        )
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = national_import(job=job, source=path)
        assert not report.errors, report.errors[:3]
        print(f"{label:<28} {time.perf_counter() - began:7.1f} s {len(queries):7,} queries  "
              f"rows {report.rows:,}, new {report.households_new:,}, "
              f"compared {report.households_unchanged:,}, "
              f"differences {report.changes:,}")  # fmt: skip
        if report.changes:
            job.status = LedgerImport.Status.DIFFERS
            job.save(update_fields=["status"])
        return job

    first, _lines = _table(households)
    timed("first import (all new)", first)
    timed("second import (same table)", first)
    changed, _lines = _table(households, changed_every=100)
    job = timed("third import (1 in 100 changed)", changed)
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        counts = national_changes_apply(actor=admin, job=job)
    print(f"{'apply the differences':<28} {time.perf_counter() - began:7.1f} s "
          f"{len(queries):7,} queries  {dict(counts)}")  # fmt: skip
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        _content, rows = national_table_export(actor=admin, layout="base", unmasked=True)
    print(f"{'export (base table)':<28} {time.perf_counter() - began:7.1f} s "
          f"{len(queries):7,} queries  rows {rows:,}")  # fmt: skip


if __name__ == "__main__":
    base.run = run
    base.main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
