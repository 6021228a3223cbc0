"""With DEBUG off, errors are plain Chinese pages (templates/400.html, 403.html, 403_csrf.html,
404.html, 500.html) with a way back to the workbench, never Django's English pages."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from tests.i18n.english import english_in


@login_not_required
def _bad_request(request):
    raise SuspiciousOperation("test")


@login_not_required
def _forbidden(request):
    raise PermissionDenied


@login_not_required
def _broken(request):
    raise RuntimeError("test")


# This module is the URLconf of the tests below: one view per error, with Django's handlers.
urlpatterns = [
    path("bad/", _bad_request),
    path("forbidden/", _forbidden),
    path("broken/", _broken),
]


def _assert_chinese_error_page(response, status: int, title: str) -> None:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<title>{title} · 就业帮扶" in html
    assert 'href="/"' in html and "返回工作台" in html
    assert english_in(html) == []
    assert "Traceback" not in html


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/bad/", 400, "请求有误"),
        ("/forbidden/", 403, "无权访问"),
        ("/no-such-page/", 404, "页面不存在"),
        ("/broken/", 500, "服务器出错"),
    ],
)
def test_each_error_is_a_chinese_page_with_a_way_back(db, url, status, title):
    client = Client(raise_request_exception=False)
    _assert_chinese_error_page(client.get(url), status, title)


def test_a_form_sent_without_its_csrf_token_gets_the_chinese_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    _assert_chinese_error_page(response, 403, "表单已失效")


def test_a_missing_page_of_the_product_is_the_chinese_404(client, world):
    client.force_login(world.caseworker1)
    _assert_chinese_error_page(client.get("/registry/household/999999/"), 404, "页面不存在")


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "title"),
    [("/no-such-page/", 404, "页面不存在"), ("/broken/", 500, "服务器出错")],
)
def test_with_debug_on_people_still_get_the_chinese_page(db, world, settings, url, status, title):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(world.caseworker1)
    _assert_chinese_error_page(client.get(url), status, title)


@pytest.mark.urls(__name__)
def test_with_debug_on_staff_get_djangos_technical_page(db, world, settings):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and b"NOARCHIVE" in response.content


def _exploding_context(request):
    raise RuntimeError("a context processor failed")


@pytest.mark.urls(__name__)
def test_with_debug_on_a_crash_in_a_context_processor_still_gets_the_chinese_500(
    db, world, settings
):
    """The 500 page is rendered without the request's context, as Django's own handler does:
    the crash may have come from a context processor, which would break the error page too."""
    settings.DEBUG = True
    engine = {**settings.TEMPLATES[0]}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "context_processors": [
            *engine["OPTIONS"]["context_processors"],
            f"{__name__}._exploding_context",
        ],
    }
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]
    client = Client(raise_request_exception=False)
    client.force_login(world.caseworker1)
    _assert_chinese_error_page(client.get("/broken/"), 500, "服务器出错")
