"""Every API error as JSON, in the interface's language: a list of ``{code, message, field}``
(``field`` null when the error is about the whole request)."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


def _flatten(data: Any, codes: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        errors = []
        for key, value in data.items():
            name = None if key in ("detail", "non_field_errors", "__all__") else key
            sub_codes = codes.get(key) if isinstance(codes, dict) else codes
            path = field if name is None else (name if field is None else f"{field}.{name}")
            errors += _flatten(value, sub_codes, path)
        return errors
    if isinstance(data, list):
        errors = []
        for index, value in enumerate(data):
            sub_codes = codes[index] if isinstance(codes, list) and index < len(codes) else codes
            errors += _flatten(value, sub_codes, field)
        return errors
    return [{"code": str(codes or "error"), "message": str(data), "field": field}]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):  # a service's refusal
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    response.data = {"errors": _flatten(response.data, codes)}
    return response
