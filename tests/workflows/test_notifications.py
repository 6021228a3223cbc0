"""Opening a notification marks it read (a POST: a prefetched link must not) and leads to its
task; reading them all; nobody opens another user's notice; the unread count follows."""

import pytest
from django.utils import timezone

from casework.audit.models import AuditEvent
from tests.i18n.english import english_in
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow
from workflows.models import Notification
from workflows.selectors import unread_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(world):
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    worker = world.caseworker1
    return {
        "with_task": Notification.objects.create(recipient=worker, task=task, text="任务通知"),
        "plain": Notification.objects.create(recipient=worker, text="一般通知"),
        "read": Notification.objects.create(
            recipient=worker, text="已读通知", read_at=timezone.now()
        ),
        "others": Notification.objects.create(recipient=world.manager, task=task, text="别人的"),
        "task": task,
    }


def _open_url(notice):
    return f"/workflow/notifications/{notice.pk}/open/"


def test_opening_a_notice_marks_it_read_and_goes_to_its_task(client, world, notices):
    notice = notices["with_task"]
    client.force_login(world.caseworker1)
    assert unread_notifications(world.caseworker1).count() == 2

    response = client.post(_open_url(notice))

    assert response.status_code == 302
    assert response["Location"] == h.url(notices["task"], "index")
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert unread_notifications(world.caseworker1).count() == 1
    event = AuditEvent.objects.get(action="notification.read")
    assert (event.actor_username, event.object_id) == ("caseworker1", str(notice.pk))

    client.post(_open_url(notice))  # a second time changes nothing
    assert AuditEvent.objects.filter(action="notification.read").count() == 1


def test_a_notice_without_a_task_returns_to_the_list(client, world, notices):
    client.force_login(world.caseworker1)
    response = client.post(_open_url(notices["plain"]))
    assert response["Location"] == "/workflow/notifications/"


def test_a_get_does_not_mark_a_notice_read(client, world, notices):
    client.force_login(world.caseworker1)
    assert client.get(_open_url(notices["plain"])).status_code == 405
    notices["plain"].refresh_from_db()
    assert notices["plain"].read_at is None


def test_nobody_opens_another_users_notice(client, world, notices):
    client.force_login(world.caseworker1)
    assert client.post(_open_url(notices["others"])).status_code == 404
    notices["others"].refresh_from_db()
    assert notices["others"].read_at is None


def test_reading_all_marks_only_the_users_unread_notices(client, world, notices):
    client.force_login(world.caseworker1)
    response = client.post("/workflow/notifications/read/", follow=True)
    assert "已将 2 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=world.caseworker1, read_at=None).exists()
    notices["others"].refresh_from_db()
    assert notices["others"].read_at is None
    assert AuditEvent.objects.filter(action="notification.read").count() == 2


def test_the_page_shows_unread_notices_apart_in_chinese(client, world, notices):
    client.force_login(world.caseworker1)
    html = client.get("/workflow/notifications/").content.decode()
    assert english_in(html) == []
    assert "未读 2 条" in html and "全部标为已读" in html
    assert '<strong data-test="unread">任务通知</strong>' in html
    assert '<strong data-test="unread">已读通知</strong>' not in html
    assert "别人的" not in html
    assert f'action="{_open_url(notices["with_task"])}"' in html
