"""Public notice (公示) as a flow node: ``NoticeStep(kind)`` puts the notice up as its task is
created, and its task is the notice's conclusion, which the step refuses until the period is
over and every objection is resolved (``casework.notices.services``).

A kind says, for one kind of process, what its notice says (``draft``: the process's subject
drafted by its own module, public facts only) and what the notice's end means for the subject
(``concluded``: the subject's own service). Putting a notice into another flow is one node::

    notice = (
        NoticeStep(POST_NOTICE)
        .Annotation(title=...)
        .Permission(WORK_GRID, obj=grid_of)
        .Deadline("deadline.post_notice")
        .Next(this.route)
    )
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import translation

from casework.audit.context import current_actor
from casework.monitoring import services as monitoring_services
from casework.monitoring.notice import elimination_notice_draft
from casework.notices import services as notice_services
from casework.notices.models import PublicNotice
from casework.notices.public import NoticeDraft
from casework.notices.selectors import notice_of, notice_summary
from casework.posts import services as post_services
from casework.posts.notice import post_notice_draft

from . import publicity_views
from .nodes import Step


@dataclass(frozen=True)
class NoticeKind:
    """What one kind of process puts on notice and what the notice's end does."""

    subject: Callable[[Any], Model | None]  # process → the object on notice
    draft: Callable[[Any], NoticeDraft]  # the subject → its notice
    concluded: Callable[[User, Model, PublicNotice], None]  # actor, subject, concluded notice

    def notice(self, process: Any) -> PublicNotice | None:
        subject = self.subject(process)
        return notice_of(subject) if subject is not None else None

    def post(self, process: Any, actor: User | None) -> PublicNotice:
        """Put the process's notice up, drafted in the interface's own language (it goes on
        the board whatever language the actor reads)."""
        subject = self.subject(process)
        if subject is None:
            raise ValueError(f"{process} has nothing to put on notice")
        with translation.override(settings.LANGUAGE_CODE):
            draft = self.draft(subject)
        return notice_services.notice_post(actor=actor, draft=draft)


class NoticeStep(Step):
    """A human step that puts up a public notice when it is created and concludes it."""

    def __init__(self, kind: NoticeKind, **kwargs: Any) -> None:
        super().__init__(publicity_views.NoticeStepView.as_view(), **kwargs)
        self.notice_kind = kind

    def on_created(self, activation: Any) -> None:
        self.notice_kind.post(activation.process, current_actor())


def _post_on_notice(process: Any) -> Model | None:
    return post_services.post_on_notice(process.case)


def _post_concluded(actor: User, subject: Any, notice: PublicNotice) -> None:
    post_services.post_notice_concluded(
        actor=actor,
        case=subject.case,
        passed=notice.status == PublicNotice.Status.PASSED,
        reason=notice_summary(notice),
    )


POST_NOTICE = NoticeKind(
    subject=_post_on_notice, draft=post_notice_draft, concluded=_post_concluded
)


def _elimination_concluded(actor: User, subject: Any, notice: PublicNotice) -> None:
    monitoring_services.elimination_conclude(
        actor=actor,
        proposal=subject,
        objections=notice_summary(notice),
        withdraw=notice.status == PublicNotice.Status.WITHDRAWN,
    )


ELIMINATION_NOTICE = NoticeKind(
    subject=lambda process: process.proposal,
    draft=elimination_notice_draft,
    concluded=_elimination_concluded,
)
