"""No two post terms of one person overlap: checked here on every database before a term is
written (an approval, the end of its notice, a renewal); PostgreSQL also refuses it by an
exclusion constraint (migration 0007), which a concurrent write would meet."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from ..models import PostAssignment

# The terms that count: held, on notice, or ended (an ended term keeps the days it ran).
TERM_STATUSES = (
    PostAssignment.Status.NOTICE,
    PostAssignment.Status.ON_POST,
    PostAssignment.Status.ENDED,
)
OVERLAP_CONSTRAINT = "post_terms_do_not_overlap"


def term_overlapping(
    member_id: int,
    start: datetime.date,
    end: datetime.date | None,
    exclude_pk: int | None = None,
) -> PostAssignment | None:
    """Another term of the member that shares a day with ``start``–``end`` (None if none)."""
    terms = (
        PostAssignment.objects.filter(
            member_id=member_id, status__in=TERM_STATUSES, start_date__isnull=False
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .exclude(end_date__lt=F("start_date"))  # left before it began: it held no day
    )
    if end is not None:
        terms = terms.filter(start_date__lte=end)
    if exclude_pk is not None:
        terms = terms.exclude(pk=exclude_pk)
    return terms.select_related("post", "member").first()


def _overlap_error(other: PostAssignment) -> ValidationError:
    return ValidationError(
        {
            "start_date": _(
                "%(name)s already has a post term from %(start)s to %(end)s (%(post)s): the "
                "terms of one person cannot overlap."
            )
            % {
                "name": other.member.name,
                "start": f"{other.start_date:%Y-%m-%d}",
                "end": f"{other.end_date:%Y-%m-%d}" if other.end_date else "—",
                "post": other.post or other.get_post_type_display(),
            }
        }
    )


def term_check(assignment: PostAssignment, start: datetime.date, end: datetime.date) -> None:
    """Refuse a term for ``assignment`` that overlaps another term of the same person."""
    other = term_overlapping(assignment.member_id, start, end, exclude_pk=assignment.pk)
    if other is not None:
        raise _overlap_error(other)


@contextmanager
def terms_kept_apart(assignment: PostAssignment) -> Iterator[None]:
    """A write of a term, in a savepoint: PostgreSQL's constraint refusing an overlap that a
    concurrent write made after ``term_check`` reads as the same refusal."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT not in str(exc):
            raise
        other = term_overlapping(
            assignment.member_id, assignment.start_date or datetime.date.min,
            assignment.end_date, exclude_pk=assignment.pk,
        )  # fmt: skip
        if other is None:
            raise
        raise _overlap_error(other) from exc
