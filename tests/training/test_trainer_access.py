"""The trainer sees their own courses and nothing about households (acceptance 1)."""

import pytest
from django.urls import reverse

from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db


def test_trainer_sees_only_own_courses(client, world, make_course, klass):
    course, enrolments = klass(2)
    other = make_course(name="电工（初级）", trade="electrician")
    # The other course is not the trainer's: take the grant back by giving it to nobody.
    from guardian.shortcuts import remove_perm

    remove_perm("training.teach_course", world.trainer, other)
    client.force_login(world.trainer)
    listing = client.get(reverse("training:course:index")).content.decode()
    assert course.name in listing and other.name not in listing
    detail = client.get(reverse("training:course:detail", args=[course.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    member = enrolments[0].member
    assert member.name in text
    assert member.document_number not in text and member.document_number[:6] in text  # masked
    assert client.get(reverse("training:course:detail", args=[other.pk])).status_code == 404
    for name in ("attendance", "results", "export", "trainer"):
        assert client.get(reverse(f"training:course:{name}", args=[other.pk])).status_code == 404
    # Nothing about households, nor their flows.
    household = member.household
    assert client.get(f"/registry/household/{household.pk}/").status_code in (403, 404)
    assert client.get("/registry/household/").status_code == 403
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    assert client.get(h.url(task, "detail")).status_code in (403, 404)
    assert client.get("/workflow/inbox/").status_code == 403
    # The trainer teaches but does not manage the course.
    assert client.get(reverse("training:course:trainer", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:course:add")).status_code == 403


def test_caseworkers_see_their_sites_courses_and_may_not_teach(client, world, klass):
    course, _enrolments = klass(1)
    client.force_login(world.caseworker1)
    assert client.get(reverse("training:course:detail", args=[course.pk])).status_code == 200
    assert client.get(reverse("training:course:results", args=[course.pk])).status_code == 403
    client.force_login(world.outsider)
    assert client.get(reverse("training:course:detail", args=[course.pk])).status_code == 403


def test_caseworker_opens_a_course_and_gives_it_a_trainer(client, world):
    client.force_login(world.caseworker1)
    listing = client.get(reverse("training:course:index")).content.decode()
    assert reverse("training:course:add") in listing
    response = client.post(
        reverse("training:course:add"),
        {
            "name": "家政服务员（初级）",
            "trade": "housekeeping",
            "level": "junior",
            "site": world.site_a.pk,
            "start_date": "2026-12-01",
            "end_date": "2026-12-20",
            "hours": "80",
            "capacity": "30",
            "subsidised": "on",
        },
    )
    assert response.status_code == 302
    from casework.training.models import Course

    course = Course.objects.get(trade="housekeeping")
    assert (course.capacity, course.site) == (30, world.site_a)
    response = client.post(
        reverse("training:course:trainer", args=[course.pk]), {"trainer": world.trainer.pk}
    )
    assert response.status_code == 302
    assert world.trainer.has_perm("training.teach_course", course)
    # A site outside the caseworker's grids is not offered.
    response = client.post(
        reverse("training:course:add"),
        {"name": "x", "trade": "other", "level": "none", "site": world.site_b.pk,
         "start_date": "2026-12-01", "end_date": "2026-12-20", "hours": "1", "capacity": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "site" in response.context["form"].errors


def test_a_caseworker_sees_only_their_own_grids_trainees_on_a_site_course(client, world, klass):
    from casework.cases.models import Category

    course, (from_a1,) = klass(1)
    course.capacity = 2
    course.save(update_fields=["capacity"])
    # A member of caseworker2's grid joins the same class.
    household = world.h_a2
    household.members.update(name="乙户主")
    from tests.workflows import helpers as h
    from workflows.flows import EmploymentFlow, HouseholdFlow

    process = h.household_process(household)
    head = household.members.get(relationship="head")
    h.do(client, world.caseworker2, h.open_task(process, HouseholdFlow.assess),
         h.assessment_data(household, {head.name: Category.TRAINING}))  # fmt: skip
    h.do(client, world.manager, h.open_task(process, HouseholdFlow.review), {"decision": "approve"})
    case = head.employment_cases.get()
    h.do(client, world.caseworker2, h.open_task(h.employment_process(case), EmploymentFlow.enrol),
         {"outcome": "enrol", "course": course.pk})  # fmt: skip
    client.force_login(world.caseworker2)
    page = client.get(reverse("training:course:detail", args=[course.pk])).content.decode()
    assert "乙户主" in page and from_a1.member.name + "</td>" not in page
    assert "2 / 2" in page  # the count covers the class; the names only their own
    client.force_login(world.trainer)
    page = client.get(reverse("training:course:detail", args=[course.pk])).content.decode()
    assert "乙户主" in page and from_a1.member.name in page


def test_a_trainer_removed_from_a_course_no_longer_sees_it(client, world, klass):
    course, _enrolments = klass(1)
    client.force_login(world.manager)
    url = reverse("training:course:trainer_revoke", args=[course.pk, world.trainer.pk])
    assert client.post(url).status_code == 302
    client.force_login(world.trainer)
    assert client.get(reverse("training:course:detail", args=[course.pk])).status_code == 404
