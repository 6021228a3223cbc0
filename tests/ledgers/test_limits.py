"""Bad workbooks stay out of the import: a workbook holding one 1 GiB cell is refused in Chinese
before openpyxl parses it, with the process's peak memory under 300 MB; zip bombs, long cells
and too many rows are refused; a sheet whose <dimension> tag lies is read whole."""

import base64
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from casework.ledgers.household.limits import ImportLimits, check_workbook
from casework.ledgers.household.problems import LedgerUnreadable
from casework.ledgers.household.reader import read_sheet
from tests.ledgers.household.books import HEADER, clean_rows, id_number, row

ROOT = Path(__file__).resolve().parents[2]
GIB = 1 << 30
HUGE_MARK = "@@HUGE@@"
SHEET = "xl/worksheets/sheet1.xml"


def _book(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "户籍台账"
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, target: Path, replace: dict[str, bytes | Iterable[bytes]]) -> None:
    """Copy the workbook's zip to ``target``, writing the members named in ``replace`` from
    the bytes or the iterable of byte chunks given (streamed: never held whole)."""
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename not in replace:
                out.writestr(info, source.read(info))
                continue
            data = replace[info.filename]
            with out.open(info.filename, "w") as stream:
                for chunk in [data] if isinstance(data, bytes) else data:
                    stream.write(chunk)


def _huge_cell_book(
    target: Path, cell_bytes: int, *, random: bool = False, gt_every: int = 0
) -> None:
    """A ledger whose second row's name is one inline string of ``cell_bytes`` letters (the way
    openpyxl writes strings); ``random`` letters do not compress; ``gt_every`` puts a raw ">"
    (legal in XML text) after every that many letters."""
    values = row("N-001", HUGE_MARK, id_number("19800101", "011"), "户主")
    content = _book([values])
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        strings = source.read(SHEET)
    before, after = strings.split(HUGE_MARK.encode())

    def broken(text: bytes) -> bytes:
        if not gt_every:
            return text
        return b">".join(text[i : i + gt_every] for i in range(0, len(text), gt_every))

    def chunks():
        yield before
        block = base64.b64encode(os.urandom(3 << 18)) if random else b"x" * (1 << 20)
        for _ in range(cell_bytes // len(block)):
            yield broken(block)
        yield broken(b"x" * (cell_bytes % len(block)))
        yield after

    _rewrite(content, target, {SHEET: chunks()})


@pytest.fixture(scope="module")
def gib_cell_book(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("bombs") / "one-gib-cell.xlsx"
    _huge_cell_book(target, GIB)
    return target


def test_the_1_gib_cell_workbook_is_small_on_disk_and_refused_in_chinese_under_300_mb(
    gib_cell_book,
):
    assert gib_cell_book.stat().st_size < 5 * 1024 * 1024
    with zipfile.ZipFile(gib_cell_book) as archive:
        assert archive.getinfo(SHEET).file_size > GIB
    child = (
        "import re, sys, django\n"
        "django.setup()\n"
        "from django.utils import translation\n"
        "from casework.ledgers.household.problems import LedgerUnreadable\n"
        "from casework.ledgers.household.reader import read_sheet\n"
        "translation.activate('zh-hans')\n"
        "try:\n"
        "    read_sheet(sys.argv[1])\n"
        "    print('READ')\n"
        "except LedgerUnreadable as exc:\n"
        "    print('REFUSED', exc)\n"
        # VmHWM is this program's own peak: ru_maxrss would carry over the peak of the forking
        # pytest process, which Linux keeps across exec.
        "status = open('/proc/self/status').read()\n"
        "print('PEAK_KB', re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", child, str(gib_cell_book)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300, check=True,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[0] == "REFUSED 工作簿的部件 xl/worksheets/sheet1.xml 解压后超过 256 MB。", (
        done.stdout
    )
    peak_mb = int(lines[1].split()[1]) / 1024
    assert peak_mb < 300, peak_mb


def test_a_long_text_under_the_size_limits_is_found_by_streaming_the_xml(tmp_path):
    target = tmp_path / "two-mb-cell.xlsx"
    _huge_cell_book(target, 2 * 1024 * 1024, random=True)
    with translation.override("zh-hans"), pytest.raises(LedgerUnreadable) as refused:
        read_sheet(target)
    assert str(refused.value) == (
        "工作簿的部件 xl/worksheets/sheet1.xml 含有超过 1000 个字符的文本；"
        "一个单元格最多 1000 个字符。"
    )


def test_a_long_text_broken_by_raw_greater_than_signs_is_found_too(tmp_path):
    target = tmp_path / "gt-cell.xlsx"
    _huge_cell_book(target, 2 * 1024 * 1024, random=True, gt_every=999)
    with translation.override("zh-hans"), pytest.raises(LedgerUnreadable) as refused:
        read_sheet(target)
    assert "含有超过 1000 个字符的文本" in str(refused.value)


def test_a_cell_over_the_length_limit_is_refused_with_its_row_and_column():
    values = row("N-001", "张" * 1001, id_number("19800101", "011"), "户主")
    buffer = io.BytesIO(_book([*clean_rows(), values]))
    with translation.override("zh-hans"), pytest.raises(LedgerUnreadable) as refused:
        read_sheet(buffer)
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[HEADER.index("姓名")]
    assert str(refused.value) == f"第8行{column}列：单元格超过 1000 个字符。"


def test_a_member_packed_like_a_zip_bomb_is_refused(tmp_path):
    target = tmp_path / "bomb.xlsx"
    content = _book(clean_rows())
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        sheet = source.read(SHEET)
    padding = sheet.replace(b"</worksheet>", b" " * (20 * 1024 * 1024) + b"</worksheet>")
    _rewrite(content, target, {SHEET: padding})
    with translation.override("zh-hans"), pytest.raises(LedgerUnreadable) as refused:
        check_workbook(target)
    assert str(refused.value) == (
        "工作簿的部件 xl/worksheets/sheet1.xml 压缩比超过 100 比 1，不是台账。"
    )


def test_the_unpacked_total_and_the_upload_size_have_limits():
    content = _book(clean_rows())
    with translation.override("zh-hans"):
        with pytest.raises(LedgerUnreadable) as refused:
            check_workbook(io.BytesIO(content), ImportLimits(total_mb=0))
        assert str(refused.value) == "工作簿解压后超过 0 MB，请拆分。"
        with pytest.raises(LedgerUnreadable) as refused:
            check_workbook(io.BytesIO(content), ImportLimits(upload_mb=0))
        assert str(refused.value) == "文件超过 0 MB，请拆分后上传。"


def test_more_rows_than_the_limit_are_refused():
    buffer = io.BytesIO(_book(clean_rows()))
    with translation.override("zh-hans"), pytest.raises(LedgerUnreadable) as refused:
        read_sheet(buffer, limits=ImportLimits(rows=5))
    assert str(refused.value) == "台账超过 5 行，请拆分成几个文件。"
    buffer.seek(0)
    assert len(read_sheet(buffer, limits=ImportLimits(rows=6)).rows) == 6


def test_a_sheet_whose_dimension_tag_lies_is_read_whole(tmp_path):
    members = [
        row(f"N-{n // 4:03d}", f"成员{n}", id_number("19800101", f"{n:03d}"), "户主")
        for n in range(16)
    ]
    content = _book(members)
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        sheet = source.read(SHEET).decode()
    lying, count = re.subn(r'<dimension ref="[^"]*"', '<dimension ref="A1:AB3"', sheet)
    assert count == 1
    target = tmp_path / "lying-dimension.xlsx"
    _rewrite(content, target, {SHEET: lying.encode()})

    sheet = read_sheet(target)

    assert [r.number for r in sheet.rows] == list(range(2, 18))
    assert sheet.rows[-1].cells["name"] == "成员15"
