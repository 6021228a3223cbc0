"""Acceptance 2 of issue 17: every page each persona reaches by links from the workbench (and the
case-file PDF) is Chinese: no English words outside the allow-list of tests/i18n/english.py."""

import io
import subprocess
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from casework import permissions
from casework.registry.models import Household
from tests.i18n.crawl import crawl
from tests.i18n.english import english_in, english_words

# Where each persona starts: the workbench, and for the administrator also /admin/ (which the
# workbench does not link to).
PERSONAS = {
    "admin": ["/", "/admin/"],
    "manager": ["/"],
    "caseworker1": ["/"],
    "caseworker2": ["/"],
    "helper": ["/"],
    "trainer": ["/"],
    "county": ["/"],
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_every_page_each_persona_reaches_is_chinese(demo):
    english, report = {}, []
    for username in PERSONAS:
        started = time.monotonic()
        result = crawl(_client(username), PERSONAS[username])
        report.append(
            f"{username}: {result.pages} pages in {time.monotonic() - started:.1f}s "
            f"{dict(result.statuses)}"
        )
        assert result.pages > 3, (username, result)
        assert result.statuses[500] == 0, (username, result.statuses)
        english.update({f"{username} {url}": words for url, words in result.english.items()})
    found = "\n".join(f"{page}: {words[:6]}" for page, words in english.items())
    assert english == {}, "\n".join(report) + "\n" + found


def _pdftotext(content: bytes, tmp_path) -> str:
    """The PDF's text in the order it is drawn (``-raw``): each run of text whole, also the
    diagonal watermark, which pdftotext's reading order breaks into single letters."""
    source = tmp_path / "casefile.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_the_case_file_pdf_is_chinese(demo, tmp_path):
    """The case file of a household that went through assessment, training and placement."""
    manager = get_user_model().objects.get(username="manager")
    households = Household.objects.filter(members__placements__isnull=False).distinct()
    household = next(h for h in households if permissions.can(manager, "casefile", h))
    response = _client("manager").post(f"/registry/household/{household.pk}/casefile/")
    assert response.status_code == 200
    lines = _pdftotext(response.content, tmp_path).splitlines()
    english = [
        " / ".join(lines[max(0, at - 4) : at + 3])  # a word cut over lines shows whole
        for at, line in enumerate(lines)
        if english_words(line)
    ]
    assert english == [], "\n".join(english[:40])


@pytest.mark.parametrize("text", ["resident_id", "NEW", "DONE", "Search...", "CANCEL"])
def test_the_checker_catches_codes_and_widget_english(text):
    """Guard against a checker that can never fail: raw codes and the widgets' old English."""
    assert english_words(f"状态：{text}") != []
    assert english_in(f"<td>状态：{text}</td>") != []


def test_a_digest_is_no_word_but_a_word_beside_it_is():
    digest = "ab" + "0123456789abcdef" * 3 + "0123456789abcd"
    assert english_words(f"链头：{digest}") == []
    assert english_words(f"链头：{digest} DONE") == ["DONE"]
    assert english_words("abcdef0123") == ["abcdef0123"]  # too short for a digest


def test_the_checker_skips_only_what_the_page_marks_as_not_to_translate():
    page = '<p>代码：<code translate="no">enterprise</code> · Saved</p>'
    assert english_in(page) == ["· Saved"]
