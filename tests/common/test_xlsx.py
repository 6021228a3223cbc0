"""Excel files the project writes: a sheet's name is one Excel accepts, whatever it is given
(a figure's title may hold a channel an administrator named 县外/省内 or 务工:外出)."""

from openpyxl import load_workbook

from casework.common.xlsx import sheet_title, write_rows


def test_a_sheet_title_drops_what_excel_refuses():
    assert sheet_title("在岗：县外/省内*[外出]?:\\") == "在岗：县外_省内__外出____"
    assert sheet_title("'引号'") == "引号"
    assert sheet_title("") == "Sheet1"
    assert len(sheet_title("长" * 40)) == 31


def test_a_workbook_named_with_a_slash_opens_with_its_rows():
    handle, count = write_rows("渠道：县外/省内", ["姓名"], [["张三"], ["=1+1"]])
    book = load_workbook(handle)
    sheet = book.worksheets[0]
    assert (sheet.title, count) == ("渠道：县外_省内", 2)
    assert [row[0].value for row in sheet.iter_rows()] == ["姓名", "张三", "'=1+1"]
