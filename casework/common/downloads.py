"""Names of downloaded files: what the file is, in the user's language, and when it was made
(``6212260010017-户档案-20261128.pdf``), sent as RFC 5987 ``filename*`` so that browsers keep
the Chinese."""

import re
from datetime import date, datetime
from typing import IO, TypeVar

from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

# Characters no file system or browser takes in a name, and runs of white space.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_SPACES = re.compile(r"\s+")
_RUNS = re.compile(r"__+")

Response = TypeVar("Response", bound=HttpResponseBase)


def file_name_part(text: object) -> str:
    """One part of a file name: each run of unsafe characters or white space becomes one ``_``."""
    return _RUNS.sub("_", _SPACES.sub("_", _UNSAFE.sub("_", str(text)))).strip("_.")


def download_name(*parts: object, extension: str, when: date | datetime | None = None) -> str:
    """``part-part-…-YYYYMMDD.extension`` (the date of today unless ``when`` is given; a
    ``datetime`` adds the time as ``-HHMM``); empty parts are left out."""
    when = timezone.localdate() if when is None else when
    if isinstance(when, datetime):
        stamp = timezone.localtime(when).strftime("%Y%m%d-%H%M")
    else:
        stamp = when.strftime("%Y%m%d")
    names = [name for name in (file_name_part(part) for part in parts) if name]
    return "-".join([*names, stamp]) + "." + extension


def as_attachment(response: Response, filename: str) -> Response:
    """Mark ``response`` as a download named ``filename`` (``filename*`` when it is not
    ASCII) that no cache keeps."""
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


def file_attachment(source: IO[bytes], name: str, content_type: str) -> FileResponse:
    """A download streamed from an open file (closed when sent), kept from caches."""
    response = FileResponse(source, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


def download_confirm(
    request: HttpRequest,
    *,
    title: str,
    text: str,
    action: str,
    button: str,
    fields: dict[str, str] | None = None,
    back: str | None = None,
    back_label: str | None = None,
) -> TemplateResponse:
    """The page a download link opens: what the file holds and a button that POSTs (with the
    CSRF token and ``fields`` as hidden inputs) to ``action``, which makes and records it. A
    GET therefore never makes a file: not a menu's second visit, not a cross-site image.
    ``back`` (the household list by default) is where the other button leads."""
    context = {
        "title": title,
        "text": text,
        "action": action,
        "button": button,
        "fields": fields or {},
        "back": back,
        "back_label": back_label,
    }
    return TemplateResponse(request, "casework/download_confirm.html", context)
