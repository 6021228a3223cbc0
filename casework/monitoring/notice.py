"""The public notice of an approved risk elimination (风险消除公示), drafted from the public
facts only: the head's masked name, the grid, the household's size, the monitoring category and
how the risk was eliminated. Never the risks (they name illness and disability)."""

from django.utils.translation import gettext as _

from casework.notices.models import PublicNotice
from casework.notices.public import NoticeDraft, public_name
from casework.policy.params import param
from casework.registry.models import Member

from .risk_models import EliminationProposal


def elimination_notice_draft(proposal: EliminationProposal) -> NoticeDraft:
    """The notice of ``proposal``, approved by the manager (its notice starts on the day of the
    approval)."""
    monitored = proposal.monitored
    household = monitored.household
    members = Member.objects.filter(household=household, left_on__isnull=True)
    head = (
        members.filter(relationship=Member.Relationship.HEAD).values_list("name", flat=True).first()
    )
    starts_on = proposal.notice_from
    return NoticeDraft(
        kind=PublicNotice.Kind.ELIMINATION,
        subject=proposal,
        household=household,
        title=_("Public notice of a proposed risk elimination"),
        text=_(
            "After a visit to the household and the village's democratic review, the "
            "household below is proposed to be marked as having its risk eliminated. Anyone who "
            "objects may tell the community's residents' committee during the notice period, "
            "in person or by telephone, by name or anonymously."
        ),
        rows=[
            (_("Head of household"), public_name(head or "")),
            (_("Grid"), household.grid.name),
            (_("People in the household"), str(members.count())),
            (_("Monitoring category"), str(monitored.get_kind_display())),
            (_("Elimination"), str(proposal.get_elimination_display())),
        ],
        working_days=int(param("monitoring.notice_days", on=starts_on)),
        starts_on=starts_on,
    )
