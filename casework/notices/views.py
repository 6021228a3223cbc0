"""A notice's printed copy for the community's board (PDF, with a QR code to its public page)
and its public page, which anyone may open: both show only what the board shows."""

import datetime
import uuid
from typing import Any

import segno
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import generic

from casework import permissions
from casework.common.downloads import as_attachment
from casework.common.pdf import render_pdf
from casework.common.requests import AuthenticatedRequest
from casework.policy.params import param

from . import services
from .models import PublicNotice
from .selectors import notice_by_token


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, dark="#000")


class NoticePrintView(generic.View):
    """The notice for the board, as PDF. POST only: each printing is recorded."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        notice = get_object_or_404(
            PublicNotice.objects.select_related("household__grid__site", "site"), pk=kwargs["pk"]
        )
        if not permissions.can(request.user, "view", notice.household):
            raise Http404(_("No such notice in your jurisdiction."))
        if not permissions.may_handle_notice(request.user, notice.household):
            raise PermissionDenied(_("You may not handle this household's public notices."))
        public_url = request.build_absolute_uri(notice.get_public_url())
        services.notice_printed(actor=request.user, notice=notice)
        content = render_pdf(
            "notices/print.html",
            # segno's own SVG markup of the link (no user input in it).
            {"notice": notice, "public_url": public_url, "qr": mark_safe(_qr_svg(public_url))},  # noqa: S308
        )
        response = HttpResponse(content, content_type="application/pdf")
        return as_attachment(response, f"公示-{notice.starts_on:%Y%m%d}-{notice.pk}.pdf")


@method_decorator(login_not_required, name="dispatch")
class NoticePublicView(generic.View):
    """The notice's public page, for anyone who scans the board's QR code."""

    def get(self, request: HttpRequest, token: uuid.UUID) -> HttpResponse:
        notice = notice_by_token(token)
        if notice is None:
            raise Http404(_("No such notice."))
        today = timezone.localdate()
        shown_until = notice.ends_on + datetime.timedelta(
            days=int(param("notices.public_days", on=today))
        )
        withdrawn = notice.status == PublicNotice.Status.WITHDRAWN
        return render(
            request,
            "notices/public.html",
            {
                "notice": notice,
                "withdrawn": withdrawn,
                # The facts stay readable while on notice and a while after; never withdrawn.
                "shown": not withdrawn
                and (notice.status == PublicNotice.Status.POSTED or today <= shown_until),
                "on_notice": notice.status == PublicNotice.Status.POSTED
                and today <= notice.ends_on,
            },
        )
