"""viewflow's browser-side widgets speak Chinese: the Material date picker (months, weekdays,
buttons; the picked date written 2026-11-28) and a list's search box."""

import re

import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.i18n.english import english_words

pytestmark = pytest.mark.django_db(transaction=True)

# The text of an element without its Material icon ligatures ("chevron_left", "search").
TEXT_WITHOUT_ICONS = """(element) => {
    const copy = element.cloneNode(true);
    copy.querySelectorAll(".material-icons").forEach((icon) => icon.remove());
    return copy.textContent;
}"""


def test_the_date_picker_is_chinese_and_writes_iso_dates(live_server, page, world, artifacts):
    sign_in(page, live_server.url, "manager", PASSWORD)
    page.goto(f"{live_server.url}/training/course/add/")
    field = page.locator("vf-field-date").first
    field.locator("button").first.click()
    calendar = field.locator(".vf-calendar")
    calendar.locator(".vf-calendar__actions").wait_for()
    page.screenshot(path=str(artifacts / "browser-date-picker-zh.png"))
    text = calendar.evaluate(TEXT_WITHOUT_ICONS)
    assert english_words(text) == [], text
    assert "取消" in text and "确定" in text and "周" in text and "月" in text
    weekdays = calendar.locator(".vf-calendar__weekday").all_inner_texts()
    assert weekdays == ["一", "二", "三", "四", "五", "六", "日"]  # the week starts on Monday

    calendar.get_by_text("15", exact=True).click()
    calendar.get_by_text("确定").click()
    value = field.locator("input").first.input_value()
    assert re.fullmatch(r"\d{4}-\d{2}-15", value), value


def test_the_search_box_is_chinese(live_server, page, world, artifacts):
    sign_in(page, live_server.url, "caseworker1", PASSWORD)
    page.goto(f"{live_server.url}/registry/household/")
    label = page.locator("#id_page_search_label")
    label.wait_for(state="attached")
    assert label.evaluate("(element) => element.textContent") == "搜索…"
