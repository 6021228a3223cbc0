"""The one place that decides which households a user may see and what they may do to them.

Jurisdiction is object-level (django-guardian):
- ``registry.work_grid`` on a Grid: a caseworker works every household of that grid;
- ``registry.manage_site`` on a Site: a manager oversees every household of the site;
- ``registry.visit_household`` on a Household: a pairing helper sees that one household.
Global (model-level) grants of these three never widen jurisdiction; superusers see everything.
What a role may do at all comes from its model-level permissions (``casework.roles``).
"""

from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from casework.registry.models import Grid, Household, Site

User = AbstractBaseUser | AnonymousUser
Action = Literal[
    "view",
    "change",
    "add_member",
    "change_member",
    "view_personal_data",
    "work_case",
    "review",
    "history",
    "casefile",
]

WORK_GRID = "registry.work_grid"
MANAGE_SITE = "registry.manage_site"
VISIT_HOUSEHOLD = "registry.visit_household"

_ACTION_PERMS: dict[str, str] = {
    "view": "registry.view_household",
    "change": "registry.change_household",
    "add_member": "registry.add_member",
    "change_member": "registry.change_member",
    "view_personal_data": "registry.view_personal_data",
    "work_case": "cases.change_employmentcase",
    "review": "cases.review_assessment",
    # The full history and the case file: for those who work or manage the household, not for
    # its pairing helper.
    "history": "registry.view_household",
    "casefile": "registry.export_casefile",
}
# Actions that need the household's site to be managed by the user, not just its grid worked.
_MANAGER_ACTIONS = {"review"}


def _objects(user: User, perm: str, klass: type) -> QuerySet:
    return get_objects_for_user(user, perm, klass=klass, accept_global_perms=False)


def grids_worked_by(user: User) -> QuerySet[Grid]:
    """Grids where the user does casework: granted directly, or through a managed site."""
    if not user.is_authenticated or not user.is_active:
        return Grid.objects.none()
    if user.is_superuser:
        return Grid.objects.all()
    return Grid.objects.filter(
        Q(pk__in=_objects(user, WORK_GRID, Grid).values("pk"))
        | Q(site__in=_objects(user, MANAGE_SITE, Site).values("pk"))
    )


def sites_worked_by(user: User) -> QuerySet[Site]:
    """Sites where the user does casework: a site of a grid they work, or a site they manage."""
    return Site.objects.filter(pk__in=grids_worked_by(user).values("site_id"))


def sites_managed_by(user: User) -> QuerySet[Site]:
    """Sites the user manages (``registry.manage_site`` held on the site); superusers: all."""
    if not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(pk__in=_objects(user, MANAGE_SITE, Site).values("pk"))


def sites_for_import(user: User) -> QuerySet[Site]:
    """Sites into which the user may import household ledgers: those they manage, with the
    import right."""
    if not user.is_authenticated or not user.has_perm("ledgers.import_ledger"):
        return Site.objects.none()
    return sites_managed_by(user)


def sites_visible_to(user: User) -> QuerySet[Site]:
    """Sites in which the user sees at least one household or grid."""
    return Site.objects.filter(
        Q(pk__in=grids_worked_by(user).values("site_id"))
        | Q(pk__in=households_visible_to(user).values("grid__site_id"))
    )


def grids_visible_to(user: User) -> QuerySet[Grid]:
    """Grids the user works, and grids of the households they visit."""
    return Grid.objects.filter(
        Q(pk__in=grids_worked_by(user).values("pk"))
        | Q(pk__in=households_visible_to(user).values("grid_id"))
    ).select_related("site")


def households_visible_to(user: User) -> QuerySet[Household]:
    """Every household the user may see: their grids, their sites and their paired households."""
    if not user.is_authenticated or not user.is_active:
        return Household.objects.none()
    if not user.has_perm("registry.view_household"):
        return Household.objects.none()
    if user.is_superuser:
        return Household.objects.all()
    return Household.objects.filter(
        Q(grid__in=grids_worked_by(user).values("pk"))
        | Q(pk__in=_objects(user, VISIT_HOUSEHOLD, Household).values("pk"))
    )


@dataclass(frozen=True)
class Jurisdiction:
    grid_ids: frozenset[int]
    household_ids: frozenset[int]
    managed_site_ids: frozenset[int] = frozenset()


def jurisdiction_of(user: User) -> Jurisdiction:
    """The ids of the grids a user works and households they visit, cached on the user object."""
    cached = getattr(user, "_casework_jurisdiction", None)
    if cached is None:
        if user.is_authenticated and user.is_active and not user.is_superuser:
            grid_ids = frozenset(grids_worked_by(user).values_list("pk", flat=True))
            household_ids = frozenset(
                _objects(user, VISIT_HOUSEHOLD, Household).values_list("pk", flat=True)
            )
            site_ids = frozenset(_objects(user, MANAGE_SITE, Site).values_list("pk", flat=True))
        else:
            grid_ids, household_ids, site_ids = frozenset(), frozenset(), frozenset()
        cached = Jurisdiction(
            grid_ids=grid_ids, household_ids=household_ids, managed_site_ids=site_ids
        )
        user._casework_jurisdiction = cached
    return cached


def jurisdiction_forget(user: User) -> None:
    """Drop the cached jurisdiction after a grant or revocation for this user object."""
    user.__dict__.pop("_casework_jurisdiction", None)


def household_rights(user: User, household: Household) -> frozenset[str]:
    """The actions a user may take on a household (empty when it is outside their jurisdiction).

    Working the grid (caseworker) or managing the site (manager) allows changes; being the paired
    helper allows viewing only; reviews need the site to be managed.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    where = jurisdiction_of(user)
    if user.is_superuser:
        works_it, sees_it = True, True
    else:
        works_it = household.grid_id in where.grid_ids
        sees_it = works_it or household.pk in where.household_ids

    def manages_it() -> bool:  # reads the grid only when a manager action is in question
        return user.is_superuser or household.grid.site_id in where.managed_site_ids

    if not sees_it:
        return frozenset()
    rights = {"view"} if user.has_perm(_ACTION_PERMS["view"]) else set()
    if works_it and rights:
        rights |= {
            action
            for action, perm in _ACTION_PERMS.items()
            if action != "view"
            and user.has_perm(perm)
            and (action not in _MANAGER_ACTIONS or manages_it())
        }
    return frozenset(rights)


def can(user: User, action: Action, household: Household) -> bool:
    """May ``user`` take ``action`` on ``household``?"""
    return action in household_rights(user, household)


def get_household_for_user(user: User, pk: object, action: Action = "view") -> Household:
    """The household with ``pk`` if the user may ``action`` it.

    Raises Http404 when the household is outside the user's jurisdiction (its existence is not
    revealed) and PermissionDenied when it is visible but the action is not allowed.
    """
    household = (
        households_visible_to(user).select_related("grid__site").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if household is None:
        raise Http404(_("No such household in your jurisdiction."))
    if not can(user, action, household):
        raise PermissionDenied(_("You may not do this to the household."))
    return household


def grids_for_registration(user: User) -> QuerySet[Grid]:
    """Grids in which the user may register a new household."""
    if not user.is_authenticated or not user.has_perm("registry.add_household"):
        return Grid.objects.none()
    return grids_worked_by(user).select_related("site")


TEACH_COURSE = "training.teach_course"
CourseAction = Literal["view", "teach", "manage"]


def courses_visible_to(user: User) -> QuerySet:
    """Courses a trainer teaches, and courses at the sites where the user does casework."""
    from casework.training.models import Course

    if not user.is_authenticated or not user.is_active:
        return Course.objects.none()
    if not user.has_perm("training.view_course"):
        return Course.objects.none()
    if user.is_superuser:
        return Course.objects.all()
    return Course.objects.filter(
        Q(pk__in=_objects(user, TEACH_COURSE, Course).values("pk"))
        | Q(site__in=grids_worked_by(user).values("site_id"))
    )


def course_rights(user: User, course: Any) -> frozenset[str]:
    """What the user may do with a course: view it; teach it (attendance and results: its
    trainers); manage it (trainers, details: caseworkers and managers of its site)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset({"view", "teach", "manage"})
    rights = set()
    if user.has_perm(TEACH_COURSE, course):
        rights |= {"view", "teach"}
    if (
        user.has_perm("training.view_course")
        and grids_worked_by(user).filter(site_id=course.site_id).exists()
    ):
        rights.add("view")
        if user.has_perm("training.change_course"):
            rights.add("manage")
    return frozenset(rights)


def get_course_for_user(user: User, pk: object, action: CourseAction = "view") -> Any:
    """The course with ``pk`` if the user may ``action`` it: 404 when it is not theirs to see,
    403 when they see it but may not do this."""
    course = courses_visible_to(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if course is None:
        raise Http404(_("No such course among yours."))
    if action not in course_rights(user, course):
        raise PermissionDenied(_("You may not do this to the course."))
    return course


def employers_visible_to(user: User) -> QuerySet:
    """Employers on the job menus of the sites where the user does casework."""
    from casework.placement.models import Employer

    if not user.is_authenticated or not user.has_perm("placement.view_employer"):
        return Employer.objects.none()
    if user.is_superuser:
        return Employer.objects.all()
    return Employer.objects.filter(site__in=grids_worked_by(user).values("site_id"))


def welfare_posts_visible_to(user: User) -> QuerySet:
    """Public-welfare posts of the sites where the user does casework."""
    from casework.posts.models import WelfarePost

    if not user.is_authenticated or not user.has_perm("posts.view_welfarepost"):
        return WelfarePost.objects.none()
    if user.is_superuser:
        return WelfarePost.objects.all()
    return WelfarePost.objects.filter(site__in=grids_worked_by(user).values("site_id"))
