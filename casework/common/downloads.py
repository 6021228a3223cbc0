"""Names and responses of downloads: a Chinese title, the day's date and the extension
(``搬迁户名单-20261128.xlsx``; with a household number in front for one household's file),
sent with an RFC 6266 header so every browser keeps the Chinese name."""

import datetime
from typing import IO

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header


def download_name(
    title: str, ext: str, *, prefix: str = "", day: datetime.date | None = None
) -> str:
    """``[prefix-]title-YYYYMMDD.ext`` with today's local date unless ``day`` is given."""
    stamp = (day or timezone.localdate()).strftime("%Y%m%d")
    parts = [part for part in (prefix, title, stamp) if part]
    return f"{'-'.join(parts)}.{ext}"


def attachment(content: bytes, name: str, content_type: str) -> HttpResponse:
    """A download of ``content`` kept from caches (it may hold personal data)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Cache-Control"] = "no-store"
    return response


def file_attachment(source: IO[bytes], name: str, content_type: str) -> FileResponse:
    """A download streamed from an open file (closed when sent), kept from caches."""
    response = FileResponse(source, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response
