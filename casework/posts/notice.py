"""The public notice of an approved post application (公益性岗位拟聘用人员公示), drafted from the
public facts only: the masked name, the grid, the post, its subsidy and the proposed term."""

from django.utils.translation import gettext as _

from casework.notices.models import PublicNotice
from casework.notices.public import NoticeDraft, public_name
from casework.policy.params import param

from .models import PostAssignment


def post_notice_draft(assignment: PostAssignment) -> NoticeDraft:
    """The notice of ``assignment``, approved and awaiting its notice."""
    member, post = assignment.member, assignment.post
    household = member.household
    if post is None:  # an application from before posts had quotas
        raise ValueError("The application names no post.")
    term = (
        f"{assignment.start_date:%Y-%m-%d} – {assignment.end_date:%Y-%m-%d}"
        if assignment.start_date and assignment.end_date
        else ""
    )
    return NoticeDraft(
        kind=PublicNotice.Kind.POST,
        subject=assignment,
        household=household,
        title=_("Public notice of a proposed appointment to a public-welfare post"),
        text=_(
            "After the member's application and the review of the community and the township, "
            "the person below is proposed for a public-welfare post. Anyone who objects may "
            "tell the community's residents' committee during the notice period, in person or "
            "by telephone, by name or anonymously."
        ),
        rows=[
            (_("Name"), public_name(member.name)),
            (_("Grid"), household.grid.name),
            (_("Post"), post.name),
            (_("Post type"), str(post.get_kind_display())),
            (_("Monthly subsidy (yuan)"), f"{post.monthly_subsidy:,.2f}"),
            (_("Proposed term"), term),
        ],
        working_days=int(param("posts.notice_days")),
    )
