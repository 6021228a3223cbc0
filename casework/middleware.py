"""Locale selection (Chinese unless the user chose another language), ID and phone numbers
refused in query strings, the busy page, and Chinese error pages with DEBUG on."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation

from casework.api.errors import database_busy_answer, identifier_in_query_refused
from casework.common.identifiers import holds_identifier
from casework.common.sessions import database_is_busy

logger = logging.getLogger(__name__)


class CookieLocaleMiddleware:
    """Activate the language saved by ``set_language`` (cookie), else ``LANGUAGE_CODE``.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language, so the site is
    Chinese by default on any machine and English only when a user picks it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        # override() restores the previous language afterwards, so a request never leaks its
        # language into whatever the thread does next.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class IdentifierQueryMiddleware:
    """Refuse an ID number or mobile phone number in a query string (a GET search, a link):
    redirect (303) to the lookup that takes them by POST, without the query.

    It runs first, so nothing after it (the login redirect's ``next``, Django's request logging)
    sees the value; the development server's request line is redacted by
    ``casework.common.identifiers.RedactIdentifiersFilter``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_identifier(request.META.get("QUERY_STRING", "")):
            if request.path.startswith("/api/"):  # an API answers, in its own shape
                return identifier_in_query_refused()
            response = HttpResponseRedirect(reverse("registry:household:lookup"))
            response.status_code = 303
            response.headers["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class DatabaseBusyMiddleware:
    """A request that could not take SQLite's write lock within the busy timeout (another
    process held it longer, e.g. a very large ledger import) gets the Chinese "busy, try again"
    page, 503 with Retry-After, instead of a 500. Nothing was written: its transaction never
    began. Any other error is left to Django."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_is_busy(exception):
            return None
        logger.warning("Database busy: %s %s answered 503", request.method, request.path)
        response: HttpResponse
        if request.path.startswith("/api/"):
            response = database_busy_answer()
        else:
            response = render(request, "casework/busy.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        return response


class ChineseErrorPagesMiddleware:
    """With DEBUG on, Django answers a missing page or a crash with its English technical page;
    everyone but staff (the developers) gets our Chinese 404 or 500 page instead, as with DEBUG
    off. Without DEBUG Django's handlers already render them."""

    TECHNICAL_PAGE = b'<meta name="robots" content="NONE,NOARCHIVE">'
    TEMPLATES = {404: "404.html", 500: "500.html"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        template = self.TEMPLATES.get(response.status_code)
        if not settings.DEBUG or template is None or getattr(response, "streaming", False):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_staff) or self.TECHNICAL_PAGE not in response.content:
            return response
        if response.status_code == 500:
            # As Django's own ``server_error``: no request context, since the crash may have
            # come from a context processor or the database.
            return HttpResponseServerError(loader.get_template(template).render())
        return render(request, template, status=response.status_code)
