"""Reads of public notices (公示): a subject's notice, a household's notices for its case file,
and a notice by its public token."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from .models import PublicNotice


def notice_of(subject: Model) -> PublicNotice | None:
    """The subject's latest notice, with its objections (None when it has none)."""
    return (
        PublicNotice.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
        .select_related("household__grid__site", "site")
        .prefetch_related("objections")
        .order_by("-posted_at", "-pk")
        .first()
    )


def notices_of_household(household_id: int) -> QuerySet[PublicNotice]:
    """Every notice of the household, oldest first, with its objections."""
    return (
        PublicNotice.objects.filter(household_id=household_id)
        .select_related("posted_by", "concluded_by")
        .prefetch_related("objections__recorded_by", "objections__resolved_by")
        .order_by("posted_at", "pk")
    )


def notice_by_token(token: uuid.UUID) -> PublicNotice | None:
    """The notice whose public page is at ``token`` (the QR code's link)."""
    return PublicNotice.objects.select_related("site").filter(token=token).first()


def notice_summary(notice: PublicNotice, limit: int = 500) -> str:
    """The notice's objections and how each was resolved, and the reason it was withdrawn,
    in one paragraph of at most ``limit`` characters (what the subject keeps of them), in the
    interface's own language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _summary(notice, limit)


def _summary(notice: PublicNotice, limit: int) -> str:
    parts = [
        _("%(who)s (%(day)s): %(what)s — %(how)s")
        % {
            "who": o.objector,
            "day": f"{o.received_on:%Y-%m-%d}",
            "what": o.content,
            "how": (_("upheld") if o.upheld else _("not upheld")) + f": {o.resolution}"
            if o.resolved
            else _("not resolved"),
        }
        for o in notice.objections.all()
    ]
    if notice.status == PublicNotice.Status.WITHDRAWN and notice.conclusion:
        parts.append(_("Withdrawn: %(reason)s") % {"reason": notice.conclusion})
    text = "；".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"
