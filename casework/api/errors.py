"""Every API error as JSON, in the interface's language: a list of ``{code, message, field}``
(``field`` null when the error is about the whole request; a nested field is named by its path,
``request.matter``, ``items[2].date``). Addresses under ``/api/`` that match no endpoint, and
errors no view caught, answer the same way."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

WHOLE = ("detail", "non_field_errors", "__all__")


def _flatten(data: Any, codes: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        errors = []
        for key, value in data.items():
            name = None if key in WHOLE else str(key)
            sub_codes = codes.get(key) if isinstance(codes, dict) else codes
            path = field if name is None else (name if field is None else f"{field}.{name}")
            errors += _flatten(value, sub_codes, path)
        return errors
    if isinstance(data, list):
        errors = []
        for index, value in enumerate(data):
            sub_codes = codes[index] if isinstance(codes, list) and index < len(codes) else codes
            # A list of objects (a nested many) names each by its place; a list of messages
            # belongs to the field itself.
            path = f"{field}[{index}]" if isinstance(value, dict) and field else field
            errors += _flatten(value, sub_codes, path)
        return errors
    return [{"code": str(codes or "error"), "message": str(data), "field": field}]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):  # a service's refusal
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, exceptions.ParseError):  # its detail quotes the parser, in English
        exc = exceptions.ParseError(_("The request body is not valid JSON or form data."))
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        exc = exceptions.PermissionDenied(
            _("A signed-in browser's write needs its CSRF token; scripts use an API token."),
            code="csrf",
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    response.data = {"errors": _flatten(response.data, codes)}
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(code: str, message: str, status: int) -> JsonResponse:
    body = {"errors": [{"code": code, "message": message, "field": None}]}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: JSON under ``/api/``, the site's page elsewhere."""
    if _is_api(request):
        return _error("not_found", str(exceptions.NotFound.default_detail), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: JSON under ``/api/``, the site's page elsewhere."""
    if _is_api(request):
        return _error("server_error", _("The server met an error; it has been logged."), 500)
    return defaults.server_error(request)


def identifier_in_query_refused() -> JsonResponse:
    """An ID or phone number in an API address's query string: refused (400), never logged or
    looked up; such values go in a request's body."""
    message = _(
        "ID numbers and phone numbers may not be sent in an address; send them in the body."
    )
    return _error("identifier_in_query", message, 400)


def database_busy_answer() -> JsonResponse:
    """SQLite's write lock held too long by another process: 503, nothing written, try again."""
    message = _("The system is busy; nothing was saved. Try again in a moment.")
    return _error("busy", message, 503)
