"""Locale selection: Chinese unless the user chose another language."""

from django.conf import settings
from django.utils import translation


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
