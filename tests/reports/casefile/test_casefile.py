"""The case-file PDF (acceptance 2 and 3): everything of a household, masked for the viewer,
with its tasks and actors and the chain head; Chinese from the shipped font only."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from fontTools.ttLib import TTFont
from stdnum.cn import ric
from viewflow.workflow.models import Task

from casework import permissions
from casework.audit.anchor import anchor_append
from casework.audit.models import AuditEvent
from casework.audit.people import user_label
from casework.common.pdf import FONT_FILE, render_html
from casework.placement.models import Placement
from casework.registry.models import Household
from casework.reports.casefile.data import casefile_data
from casework.training.models import Enrolment
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS") or Path(settings.BASE_DIR) / "test-artifacts")
RESIDENT_ID = re.compile(r"(?=(\d{17}[\dX]))")


def _is_resident_id(run: str) -> bool:
    """``ric.is_valid`` (check digit, birth date, a county's place of birth), except that for
    a run whose first six digits name a province or prefecture rather than a county
    python-stdnum raises KeyError ('county') instead of answering False."""
    try:
        return ric.is_valid(run)
    except KeyError:
        return False


def resident_ids(flat: str) -> list[str]:
    """The 18-character runs of the text that are resident ID numbers (a real birth date and
    check digit): the chain's hexadecimal hashes printed on the file may hold a run of 18
    digits by chance, which is no one's number."""
    return [m.group(1) for m in RESIDENT_ID.finditer(flat) if _is_resident_id(m.group(1))]


def pdftotext(content: bytes, tmp_path: Path) -> str:
    source = tmp_path / "file.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines where the layout wrapped them."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    household = (
        Household.objects.filter(
            members__enrolments__in=Enrolment.objects.filter(result_at__isnull=False),
            members__placements__in=Placement.objects.all(),
        )
        .distinct()
        .first()
    )
    assert household is not None, "the demo has a household that went through training and work"
    caseworker = next(
        u
        for u in users.filter(groups__name="caseworker")
        if permissions.can(u, "casefile", household)
    )
    return household, caseworker, users.get(username="manager")


def _post(user, household, **data) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.post(f"/registry/household/{household.pk}/casefile/", data)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_a_caseworkers_case_file_holds_everything_masked(demo, tmp_path):
    household, caseworker, manager = demo
    content = _post(caseworker, household)
    assert content.startswith(b"%PDF")
    text = pdftotext(content, tmp_path)
    flat = squeeze(text)

    for member in household.members.all():
        assert member.name in flat
        assert member.document_number not in flat  # masked for the caseworker
    assert not resident_ids(flat)

    tasks = Task.objects.filter(
        process__in=[p.pk for p in casefile_data(household, viewer=None).processes]
    ).select_related("owner")
    assert tasks.filter(flow_task=EmploymentFlow.training_outcome).exists()
    assert tasks.filter(flow_task=EmploymentFlow.placement).exists()
    for task in tasks:
        title = str(task.flow_task.task_title)
        assert squeeze(title) in flat, title
        if task.flow_task_type == "HUMAN" and task.owner_id:  # the title with who did it
            assert squeeze(f"{title} · {user_label(task.owner)}") in flat, title

    event = AuditEvent.objects.order_by("-seq").first()
    assert event.hash in flat  # the head is the record of this very file
    assert (event.action, event.actor_id, event.household_id) == (
        "casefile.generate",
        caseworker.pk,
        household.pk,
    )
    assert "审计链" in flat and "完整" in flat
    pages = re.search(r"第1页共(\d+)页", flat)
    assert pages and int(pages.group(1)) >= 1
    assert caseworker.get_username() in flat  # the watermark and the cover name the viewer


def test_a_manager_may_ask_for_full_personal_data_and_that_is_recorded(demo, tmp_path):
    household, caseworker, manager = demo
    flat = squeeze(pdftotext(_post(manager, household, unmasked="1"), tmp_path))
    head = household.members.get(relationship="head")
    assert head.document_number in flat
    assert AuditEvent.objects.order_by("-seq").first().action == "casefile.generate_unmasked"

    client = Client()
    client.force_login(caseworker)  # no personal-data right: refused, nothing generated
    before = AuditEvent.objects.count()
    response = client.post(f"/registry/household/{household.pk}/casefile/", {"unmasked": "1"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


def test_the_case_pdf_command_writes_a_masked_file_and_refuses_bad_input(world, tmp_path):
    target = tmp_path / "a1.pdf"
    out = io.StringIO()
    call_command("case_pdf", world.h_a1.number, "-o", str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "a1.pdf.part").exists()
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_id, event.household_id) == (
        "casefile.generate",
        None,
        world.h_a1.pk,
    )
    flat = squeeze(pdftotext(target.read_bytes(), tmp_path))
    assert "甲户主" in flat and not resident_ids(flat)
    for member in world.h_a1.members.all():
        assert member.document_number not in flat

    with pytest.raises(CommandError, match="户编号|household"):
        call_command("case_pdf", "NO-SUCH", "-o", str(target))
    with pytest.raises(CommandError):
        call_command("case_pdf", world.h_b1.number, "-o", str(target), "--user", "caseworker1")
    with pytest.raises(CommandError):
        call_command("case_pdf", world.h_a1.number, "-o", str(target), "--unmasked")


def test_the_case_file_prints_the_latest_anchor_beside_the_chain_head(world, tmp_path):
    target = tmp_path / "a1.pdf"
    call_command("case_pdf", world.h_a1.number, "-o", str(target), stdout=io.StringIO())
    assert "最近锚定：尚无" in squeeze(pdftotext(target.read_bytes(), tmp_path))
    anchor = anchor_append()  # what the next sweep does
    call_command("case_pdf", world.h_a1.number, "-o", str(target), stdout=io.StringIO())
    flat = squeeze(pdftotext(target.read_bytes(), tmp_path))
    stamp = anchor.local_time.strftime("%Y-%m-%d%H:%M:%S")
    assert f"最近锚定：#{anchor.seq}·{stamp}" in flat and anchor.hash in flat


def test_the_pdf_shows_chinese_with_no_system_font_at_all(world, tmp_path):
    """Render under a fontconfig that knows no font directory: the only font there is the
    one the project ships. Its glyphs must cover every character of the text."""
    html = render_html(
        "reports/casefile.html", {"file": casefile_data(world.h_a1, viewer=world.manager)}
    )
    (tmp_path / "file.html").write_text(html, encoding="utf-8")
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf")}
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout
    assert listed.strip() == "", "this fontconfig must see no system font"
    script = (
        "import sys, django; django.setup();"
        "from casework.common.pdf import html_to_pdf;"
        "sys.stdout.buffer.write(html_to_pdf(open(sys.argv[1], encoding='utf-8').read()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "file.html")],
        env={**env, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    pdf = tmp_path / "file.pdf"
    pdf.write_bytes(result.stdout)

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    for row in rows:  # every font in the file is the shipped one, embedded
        assert "+Casework-Sans-SC " in row and " yes " in row, row

    text = pdftotext(pdf.read_bytes(), tmp_path)
    assert "甲户主" in text and "户档案" in text
    covered = set(TTFont(FONT_FILE).getBestCmap())
    missing = {c for c in squeeze(text) if ord(c) not in covered}
    assert not missing, f"characters the shipped font lacks: {sorted(missing)}"

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "casefile-page1"),
        ],
        check=True,
    )
    assert (ARTIFACTS / "casefile-page1.png").stat().st_size > 10_000
    shutil.copy(pdf, ARTIFACTS / "casefile-no-system-fonts.pdf")
