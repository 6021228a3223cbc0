"""Pages while another process holds SQLite's write lock (a ledger import writing): a page that
would only update the session still answers, a login waits for a short lock, and a request that
cannot take the lock gets the busy page (503), not a 500."""

import logging
import sqlite3
import threading
import time

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from casework.common.sessions import SessionStore
from casework.middleware import DatabaseBusyMiddleware
from casework.permissions import roles
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single write lock")


def _other_writer() -> sqlite3.Connection:
    """A connection of another process's kind to the test database (autocommit: it takes and
    releases locks only as told)."""
    return sqlite3.connect(
        connection.settings_dict["NAME"], isolation_level=None, timeout=0, check_same_thread=False
    )


@sqlite_only
def test_a_page_that_updates_the_session_answers_while_the_lock_is_held(caplog):
    user = factories.user("worker", roles.CASEWORKER)
    client = Client()
    client.force_login(user)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).session_data
    writer = _other_writer()
    writer.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="casework.common.sessions"):
            response = client.get("/workflow/inbox/")  # viewflow stores the list in the session
        elapsed = time.monotonic() - began
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert response.status_code == 200
    assert elapsed < 5, "the session update waited the whole busy timeout"
    assert Session.objects.get(session_key=key).session_data == before
    assert "Session update skipped: the database is busy" in caplog.text
    assert key not in caplog.text
    # Once the lock is free the session is saved again.
    assert client.get("/workflow/inbox/").status_code == 200
    assert Session.objects.get(session_key=key).session_data != before


@sqlite_only
def test_a_login_waits_for_a_lock_shorter_than_the_busy_timeout():
    factories.user("worker", roles.CASEWORKER)
    writer = _other_writer()
    writer.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: writer.execute("COMMIT"))
    release.start()
    try:
        client = Client()
        began = time.monotonic()
        response = client.post(
            "/accounts/login/", {"username": "worker", "password": factories.PASSWORD}
        )
        elapsed = time.monotonic() - began
    finally:
        release.join()
        writer.close()
    assert response.status_code == 302
    assert elapsed >= 1.0, "the login did not meet the held lock"
    assert client.get("/home/").status_code == 200  # signed in: the session was created


def test_a_request_that_finds_the_database_locked_gets_the_busy_page():
    request = RequestFactory().post("/workflow/notifications/read/")
    middleware = DatabaseBusyMiddleware(lambda request: None)
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "系统繁忙，请稍后再试" in response.content.decode()
    other = OperationalError("no such table: registry_household")
    assert middleware.process_exception(request, other) is None


def test_an_update_of_a_deleted_session_still_fails():
    store = SessionStore()
    store["key"] = "value"
    store.save()
    Session.objects.filter(session_key=store.session_key).delete()
    again = SessionStore(store.session_key)
    again._session_cache = {"key": "other"}
    again.modified = True
    with pytest.raises(UpdateError):
        again.save()


def test_storing_the_same_value_again_is_no_change():
    store = SessionStore()
    store["vf-pin-location"] = "/workflow/inbox/"
    store.save()
    again = SessionStore(store.session_key)
    again["vf-pin-location"] = "/workflow/inbox/"
    assert not again.modified
    again["vf-pin-location"] = "/workflow/queue/"
    assert again.modified
