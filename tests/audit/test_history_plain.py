"""The history reads as plain Chinese (issue 17, acceptance 3): on the page and in the case
file no choice value, status code, field name or change key shows, and people are named."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework import permissions
from casework.audit.models import AuditEvent
from casework.placement.models import Placement
from casework.registry.models import Household
from casework.training.models import Enrolment
from tests.reports.casefile.test_casefile import pdftotext
from workflows.flows import HouseholdFlow
from workflows.models import HouseholdProcess

pytestmark = pytest.mark.django_db

ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class _Section(HTMLParser):
    """The text inside the element marked ``data-test="history"``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag not in {"br", "img", "input", "hr", "meta", "link", "wbr"}
        elif ("data-test", "history") in attrs:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def history_text(html: str) -> str:
    parser = _Section()
    parser.feed(html)
    text = "".join(parser.parts)
    assert text.strip(), "the page has a history section"
    return text


def raw_codes() -> set[str]:
    """Everything that is a code, not a word: every model's choice values and field names
    (name and attname) in every installed app, viewflow's task and process statuses, and
    every change key and action code ever recorded. Only those with an ASCII letter: the
    others (digits, Chinese) cannot be told apart from ordinary text."""
    codes: set[str] = set()
    for model in apps.get_models():
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            codes.update({field.name, field.attname})
            for value, _label in field.flatchoices or ():
                codes.add(str(value))
    codes.update(str(status) for status in STATUS)
    codes.update(str(status) for status in PROCESS)
    for action, changes in AuditEvent.objects.values_list("action", "changes"):
        codes.add(action)
        codes.update(changes)
    words: set[str] = set()
    for code in codes:
        words.update(ASCII_WORD.findall(code))
    return {word for word in words if word}


def leaked(text: str, codes: set[str]) -> set[str]:
    return {word for word in ASCII_WORD.findall(text) if word in codes}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    household = (
        Household.objects.filter(
            members__enrolments__in=Enrolment.objects.filter(result_at__isnull=False),
            members__placements__in=Placement.objects.all(),
        )
        .distinct()
        .first()
    )
    assert household is not None, "the demo has a household that went through training and work"
    return household


def test_the_history_page_and_case_file_show_no_raw_code_or_field_key(demo, tmp_path):
    household = demo
    manager = get_user_model().objects.get(username="manager")
    assert permissions.can(manager, "history", household)
    codes = raw_codes()
    assert {"resident_id", "document_type", "NEW", "DONE", "yellow", "pending"} <= codes
    logins = {
        user.get_username() for user in get_user_model().objects.all() if user.get_full_name()
    }
    client = Client()
    client.force_login(manager)

    page = client.get(f"/registry/household/{household.pk}/history/")
    assert page.status_code == 200
    text = history_text(page.content.decode())
    events = AuditEvent.objects.filter(household_id=household.pk)
    actions = set(events.values_list("action", flat=True))
    assert {"enrolment.result", "placement.create", "task.assign", "task.execute"} <= actions
    assert leaked(text, codes) == set()
    assert leaked(text, logins) == set(), "people are named by their names"
    assert household.number in text
    assert f"#{household.pk}" not in text

    response = client.post(f"/registry/household/{household.pk}/casefile/")
    assert response.status_code == 200
    pdf = pdftotext(response.content, tmp_path)
    history = pdf[pdf.rindex("历史记录") :]
    assert leaked(history, codes) == set()
    assert leaked(history, logins) == set()


def _undo_an_assessment_awaiting_review() -> Household:
    """Its assessor undoes a demo household's assessment whose review nobody has taken (the
    step's undo, its cancelled review and the withdrawn assessments are then in its history)."""
    step = Task.objects.filter(
        flow_task=HouseholdFlow.assess,
        status=STATUS.DONE,
        leading__flow_task=HouseholdFlow.review,
        leading__status=STATUS.NEW,
    ).first()
    assert step is not None, "the demo has an assessment awaiting review"
    client = Client()
    client.force_login(step.owner)
    assert client.post(f"/workflow/undo/{step.process_id}/{step.pk}/").status_code == 302
    household = HouseholdProcess.objects.get(pk=step.process_id).household_case.household
    actions = set(
        AuditEvent.objects.filter(household_id=household.pk).values_list("action", flat=True)
    )
    assert {"step.undo", "assessment.withdraw", "task.undo", "task.revive"} <= actions
    return household


def test_every_demo_households_history_page_is_plain(demo):
    """Every household of the demo, whatever it went through (posts, returns, refusals, an
    undone step)."""
    _undo_an_assessment_awaiting_review()
    codes = raw_codes()
    assert {"step", "cancelled", "assessments"} <= codes  # the undo's change keys
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    found: dict[str, set[str]] = {}
    for pk, number in Household.objects.values_list("pk", "number"):
        page = client.get(f"/registry/household/{pk}/history/")
        assert page.status_code == 200
        words = leaked(history_text(page.content.decode()), codes)
        if words:
            found[number] = words
    assert found == {}
