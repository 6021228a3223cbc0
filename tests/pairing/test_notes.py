"""Free text keeps its spaces and line breaks: a note "a b\\n c" is stored as typed, through the
service and through the page's form; only control characters go, and the ends are trimmed."""

import pytest
from django.urls import reverse

from casework.pairing import services
from casework.pairing.models import Visit
from casework.registry.validators import clean_note, clean_text
from tests.pairing.test_pairing import _visit

pytestmark = pytest.mark.django_db

NOTE = "a b\n c"


def test_clean_note_removes_only_control_characters_and_trims_the_ends():
    assert clean_note(NOTE) == NOTE
    assert clean_note("  第一行，　全角\r\n\t第二行\x00\x1b\x7f  ") == "第一行，　全角\n\t第二行"
    assert clean_text(" 6201０2 1234 ") == "6201021234"  # identifiers still lose every space


def test_a_note_round_trips_through_the_service(world):
    points = {k: v == "yes" for k, v in _visit().items() if k in services.FIVE_POINTS}
    visit = services.visit_record(
        actor=world.helper, household=world.h_a1, date=_visit()["date"], mode="home",
        raised=NOTE, done=" " + NOTE + "\r\n", next_step="两周后 回访", **points,
    )  # fmt: skip
    visit.refresh_from_db()
    assert (visit.raised, visit.done, visit.next_step) == (NOTE, NOTE, "两周后 回访")


def test_a_note_round_trips_through_the_page_form(client, world):
    client.force_login(world.helper)
    url = reverse("pairing:pairing:visit", args=[world.h_a1.pk])
    response = client.post(url, _visit(raised=NOTE, next_step="a\r\n\r\nb"))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.raised == NOTE
    assert visit.next_step == "a\n\nb"
