"""Writes to public notices (公示): a notice posted, its objections recorded and resolved, the
notice concluded (passed, or withdrawn), and a printed copy for the board. Each is audited on
the household.

The flow node that posts a notice and the step that concludes it are in ``workflows``; what a
concluded notice means for its subject (a post taken up, a risk eliminated) is the subject's
own service, run by the step in the same transaction.
"""

import datetime

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.policy.workdays import working_days_after
from casework.registry.validators import clean_note, clean_text

from .models import NoticeObjection, PublicNotice
from .public import NoticeDraft


def _may_handle(actor: User | None, notice: PublicNotice) -> None:
    if actor is not None and not permissions.may_handle_notice(actor, notice.household):
        raise PermissionDenied(_("You may not handle this household's public notices."))


def notice_post(*, actor: User | None, draft: NoticeDraft) -> PublicNotice:
    """Put a notice up from today (or the draft's day) for its working days: it ends on the
    last of them (``working_days_after``; ``CalendarMissing`` when the calendar lacks a year
    it reaches). ``actor`` is None when the system posts it."""
    household = draft.household
    if actor is not None and not permissions.may_handle_notice(actor, household):
        raise PermissionDenied(_("You may not handle this household's public notices."))
    starts_on = draft.starts_on or timezone.localdate()
    notice = PublicNotice(
        kind=draft.kind, title=draft.title, text=draft.text,
        rows=[[label, value] for label, value in draft.rows],
        household=household, site_id=household.grid.site_id,
        subject_type=ContentType.objects.get_for_model(draft.subject),
        subject_id=draft.subject.pk, working_days=draft.working_days, starts_on=starts_on,
        ends_on=working_days_after(starts_on, draft.working_days), posted_by=actor,
    )  # fmt: skip
    with transaction.atomic():
        notice.save()
        audit_record(
            actor=actor, action="notice.post", obj=notice, household_id=household.pk,
            changes={
                "title": (None, notice.title),
                "starts_on": (None, notice.starts_on),
                "ends_on": (None, notice.ends_on),
            },
        )  # fmt: skip
    return notice


def _locked(notice: PublicNotice) -> PublicNotice:
    return PublicNotice.objects.select_for_update().select_related("household").get(pk=notice.pk)


def objection_record(
    *,
    actor: User,
    notice: PublicNotice,
    objector: str,
    content: str,
    received_on: datetime.date,
) -> NoticeObjection:
    """An objection the community raised against a notice on notice: who, what, and when it
    came in (from the day the notice went up to today)."""
    _may_handle(actor, notice)
    objector, content = clean_text(objector), clean_note(content)
    errors: dict[str, str] = {}
    if not objector:
        errors["objector"] = _("Say who raised the objection (or 匿名).")
    if not content:
        errors["content"] = _("Say what the objection is.")
    today = timezone.localdate()
    if not notice.starts_on <= received_on <= today:
        errors["received_on"] = _(
            "The objection must have come in between %(start)s, when the notice went up, and today."
        ) % {"start": f"{notice.starts_on:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = _locked(notice)
        if notice.status != PublicNotice.Status.POSTED:
            raise ValidationError(_("This notice is concluded: no more objections to it."))
        objection = NoticeObjection.objects.create(
            notice=notice, received_on=received_on, objector=objector, content=content,
            recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor, action="notice.objection", obj=objection,
            household_id=notice.household_id,
            changes={"objector": (None, objector), "content": (None, content),
                     "received_on": (None, received_on)},
        )  # fmt: skip
    return objection


def objection_resolve(
    *, actor: User, objection: NoticeObjection, resolution: str, upheld: bool
) -> NoticeObjection:
    """How an objection was resolved, after looking into it: upheld (the notice can then only
    be withdrawn) or not. Once resolved it stays so."""
    _may_handle(actor, objection.notice)
    resolution = clean_note(resolution)
    if not resolution:
        raise ValidationError({"resolution": _("Say what was found and how it was resolved.")})
    with transaction.atomic():
        notice = _locked(objection.notice)
        objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
        if notice.status != PublicNotice.Status.POSTED:
            raise ValidationError(_("This notice is concluded: its objections are settled."))
        if objection.resolved:
            raise ValidationError(_("This objection is already resolved."))
        objection.resolution, objection.upheld = resolution, upheld
        objection.resolved_by, objection.resolved_at = actor, timezone.now()
        objection.save(update_fields=["resolution", "upheld", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor, action="notice.resolve", obj=objection,
            household_id=notice.household_id,
            changes={"upheld": (None, upheld), "resolution": (None, resolution)},
        )  # fmt: skip
    return objection


def notice_conclude(
    *, actor: User | None, notice: PublicNotice, withdraw: bool = False, reason: str = ""
) -> PublicNotice:
    """End the notice, inside the caller's transaction: passed once its period is over and
    every objection is resolved and none upheld; or withdrawn at any time, with a reason
    (``actor`` None: by the system, e.g. when the member left the household)."""
    _may_handle(actor, notice)
    reason = clean_note(reason)
    notice = _locked(notice)
    if notice.status != PublicNotice.Status.POSTED:
        raise ValidationError(_("This notice is already concluded."))
    objections = list(notice.objections.all())
    if withdraw:
        if not reason:
            raise ValidationError({"reason": _("Say why the notice is withdrawn.")})
    else:
        today = timezone.localdate()
        if today <= notice.ends_on:
            raise ValidationError(
                _("The public notice runs until %(day)s; conclude it after that.")
                % {"day": f"{notice.ends_on:%Y-%m-%d}"}
            )
        open_ones = [o for o in objections if not o.resolved]
        if open_ones:
            raise ValidationError(
                _("%(count)s objection(s) are not resolved yet: resolve each one first.")
                % {"count": len(open_ones)}
            )
        if any(o.upheld for o in objections):
            raise ValidationError(
                _("An objection was upheld: the notice cannot pass. Withdraw it, saying why.")
            )
    notice.status = PublicNotice.Status.WITHDRAWN if withdraw else PublicNotice.Status.PASSED
    notice.concluded_by, notice.concluded_at = actor, timezone.now()
    notice.conclusion = reason if withdraw else ""
    notice.save(update_fields=["status", "concluded_by", "concluded_at", "conclusion"])
    audit_record(
        actor=actor, action="notice.conclude", obj=notice, household_id=notice.household_id,
        changes={"status": (PublicNotice.Status.POSTED.value, notice.status)},
        reason=notice.conclusion,
    )  # fmt: skip
    return notice


def notice_printed(*, actor: User, notice: PublicNotice) -> None:
    """Record that the notice was printed for the board."""
    _may_handle(actor, notice)
    with transaction.atomic():
        audit_record(
            actor=actor, action="notice.print", obj=notice, household_id=notice.household_id,
            changes={},
        )  # fmt: skip
