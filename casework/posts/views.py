"""A public-welfare post's pages: the post with its holders and months, and one month's page
where every holder's attendance and score is entered in one form, the subsidy roll is shown as
the rules give it, approved by the site's manager and exported for the finance office."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.http import Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from casework import permissions
from casework.common.downloads import download_name, file_attachment
from casework.common.requests import AuthenticatedRequest
from casework.common.xlsx import XLSX

from . import services
from .models import PostAssignment, WelfarePost
from .rolls import approved_roll, holders_in_month, roll_lines

MONTHS_SHOWN = 12


def post_visible(request: AuthenticatedRequest, pk: int) -> WelfarePost:
    """The post ``pk`` if the user sees it (``permissions.welfare_posts_visible_to``), else 404."""
    posts = permissions.welfare_posts_visible_to(request.user).select_related("site")
    return get_object_or_404(posts, pk=pk)


def _month(year: int, month: int) -> datetime.date:
    try:
        day = datetime.date(year, month, 1)
    except ValueError as exc:
        raise Http404(_("No such month.")) from exc
    if day > timezone.localdate().replace(day=1):
        raise Http404(_("No such month."))
    return day


class _PostPage(generic.TemplateView):
    request: AuthenticatedRequest
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(viewset=self.viewset, **kwargs)


class PostDetailView(_PostPage):
    template_name = "posts/post_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        post = post_visible(self.request, kwargs["pk"])
        this_month = timezone.localdate().replace(day=1)
        first = post.assignments.aggregate(first=Min("start_date"))["first"] or this_month
        months: list[datetime.date] = []
        day = this_month
        while len(months) < MONTHS_SHOWN and day >= first.replace(day=1):  # since anyone held it
            months.append(day)
            day = (day - datetime.timedelta(days=1)).replace(day=1)
        rolls = {r.month: r for r in post.rolls.filter(month__in=months)}
        holders = (
            post.assignments.filter(status__in=PostAssignment.HOLDING)
            .select_related("member__household__grid")
            .order_by("member__name")
        )
        return super().get_context_data(
            post=post,
            holders=holders,
            may_manage=permissions.may_manage_post_holders(self.request.user, post),
            months=[(m, rolls.get(m)) for m in months],
            **kwargs,
        )


class PostMonthView(_PostPage):
    template_name = "posts/post_month.html"

    def setup(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.errors: dict[str, list[str]] = {}
        self.entered: dict[str, str] = {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        post = post_visible(self.request, kwargs["pk"])
        month = _month(kwargs["year"], kwargs["month"])
        roll = approved_roll(post, month)
        this_month = timezone.localdate().replace(day=1)
        lines = [] if roll else roll_lines(post, month)
        rows: list[dict[str, Any]] = [
            {
                "line": line,
                "may_enter": permissions.may_record_attendance(
                    self.request.user, line.assignment.member.household
                ),
                "days": self.entered.get(f"days-{line.assignment.pk}", line.days_worked),
                "score": self.entered.get(f"score-{line.assignment.pk}", line.score),
                "errors": self.errors.get(f"days-{line.assignment.pk}", [])
                + self.errors.get(f"score-{line.assignment.pk}", []),
            }
            for line in lines
        ]
        may_approve = permissions.may_approve_rolls(self.request.user, post)
        return super().get_context_data(
            post=post, month=month, roll=roll, rows=rows,
            may_enter=any(row["may_enter"] for row in rows),
            may_approve=may_approve and not roll and bool(rows) and month < this_month,
            month_over=month < this_month,
            may_export=may_approve and roll is not None,
            may_unmask=permissions.may_unmask_exports(self.request.user),
            complete=all(row["line"].days_worked is not None for row in rows),
            total=sum((line.amount for line in lines), Decimal(0)),
            form_errors=self.errors.get("__all__", []),
        )  # fmt: skip

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        post = post_visible(request, kwargs["pk"])
        month = _month(kwargs["year"], kwargs["month"])
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.subsidy_roll_approve(actor=request.user, post=post, month=month)
                messages.success(request, _("The subsidy roll is approved."), fail_silently=True)
            elif action == "export":
                return self._export(request, post, month)
            else:
                entries = self._entries(request, post, month)
                services.post_month_record(
                    actor=request.user, post=post, month=month, entries=entries
                )
                messages.success(request, _("The attendance is saved."), fail_silently=True)
        except ValidationError as exc:
            self.errors = (
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            )
            return self.render_to_response(self.get_context_data(**kwargs))
        return HttpResponseRedirect(request.get_full_path())

    def _entries(
        self, request: AuthenticatedRequest, post: WelfarePost, month: datetime.date
    ) -> list[services.AttendanceEntry]:
        """The rows the form sent for holders the user may enter; a row with an unreadable
        number is refused, naming the holder; a row left empty is left out."""
        entries, errors = [], {}
        for assignment in holders_in_month(post, month):
            if not permissions.may_record_attendance(request.user, assignment.member.household):
                continue
            days = request.POST.get(f"days-{assignment.pk}", "").strip()
            score = request.POST.get(f"score-{assignment.pk}", "").strip()
            self.entered[f"days-{assignment.pk}"], self.entered[f"score-{assignment.pk}"] = (
                days, score,
            )  # fmt: skip
            if not days and not score:
                continue
            if not days.isdigit() or (score and not score.isdigit()):
                errors[f"days-{assignment.pk}"] = [
                    _("%(name)s: enter the days worked (and the score) as whole numbers.")
                    % {"name": assignment.member.name}
                ]
                continue
            entries.append(
                services.AttendanceEntry(assignment.pk, int(days), int(score) if score else None)
            )
        if errors:
            raise ValidationError(errors)
        if not entries:
            raise ValidationError(_("Enter the days worked of at least one holder."))
        return entries

    def _export(
        self, request: AuthenticatedRequest, post: WelfarePost, month: datetime.date
    ) -> HttpResponseBase:
        roll = approved_roll(post, month)
        if roll is None:
            raise ValidationError(_("Only an approved subsidy roll is exported."))
        unmasked = bool(request.POST.get("unmasked"))
        if unmasked and not permissions.may_unmask_exports(request.user):
            raise PermissionDenied(permissions.UNMASK_REFUSED)
        source, _rows = services.subsidy_roll_export(
            actor=request.user, roll=roll, unmasked=unmasked
        )
        name = download_name(post.name, f"{month:%Y-%m}", "补贴发放表", extension="xlsx")
        return file_attachment(source, name, XLSX)
