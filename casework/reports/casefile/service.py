"""The case-file service: who may have a household's case file, and generating one (recorded in
the audit log before it is rendered)."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.models import AuditEvent
from casework.audit.services import audit_record
from casework.common.pdf import render_pdf
from casework.registry.models import Household
from casework.reports.models import CaseFileBatch

from .data import casefile_data


def casefile_refusal(actor: User | None, household: Household, *, unmasked: bool) -> str | None:
    """Why ``actor`` may not have this case file, or None. Without an actor (the command line)
    only the masked file is available."""
    if actor is not None and not permissions.can(actor, "casefile", household):
        return _("You may not generate this household's case file.")
    if unmasked and not permissions.may_unmask(actor, household):
        return str(permissions.UNMASK_REFUSED)
    return None


def casefile_record(
    *,
    actor: User | None,
    household: Household,
    unmasked: bool = False,
    batch: CaseFileBatch | None = None,
) -> AuditEvent:
    """Log that a case file is being generated (who, when, which household, masked or not)."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action="casefile.generate_unmasked" if unmasked else "casefile.generate",
            obj=household,
            household_id=household.pk,
            changes={"batch": (None, batch.pk)} if batch is not None else None,
        )


def casefile_generate(
    *,
    actor: User | None,
    household: Household,
    unmasked: bool = False,
    batch: CaseFileBatch | None = None,
) -> bytes:
    """Record the generation, then render the household's case file as PDF bytes.

    The event is written first, so the chain head printed in the file is the record of this
    very file; an auditor can later check that it is still in the chain
    (``audit_verify --anchor SEQ:HASH``).
    """
    casefile_record(actor=actor, household=household, unmasked=unmasked, batch=batch)
    data = casefile_data(household, viewer=actor, unmasked=unmasked)
    return render_pdf("reports/casefile.html", {"file": data})


def casefile_download(*, actor: User, household: Household, unmasked: bool = False) -> bytes:
    """The case file ``actor`` asks for on the household page: PermissionDenied (with the reason)
    when they may not have it, otherwise recorded and rendered (``casefile_generate``)."""
    refusal = casefile_refusal(actor, household, unmasked=unmasked)
    if refusal:
        raise PermissionDenied(refusal)
    return casefile_generate(actor=actor, household=household, unmasked=unmasked)
