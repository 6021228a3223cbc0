"""Who may take a free workflow task (the step's permission on the object its task names:
``holds_step_permission``, and ``step_permission_q`` for a whole queue), who may hand tasks to a
colleague and to whom, and who may undo a completed step.
"""

from django.contrib.auth.models import User as AuthUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from guardian.models import GroupObjectPermission, UserObjectPermission
from viewflow.workflow.models import Task

from casework.registry.models import Grid, Household, Site

from .grants import MANAGE_SITE, WORK_GRID, User, is_active_user, object_grants
from .households import can, manages_some_site
from .sites import sites_managed_by


def step_permission_q(user: User) -> Q:
    """The tasks whose step permission the user holds: viewflow's queue condition
    (``TaskQuerySet.user_queue``), written so that the database reads it from indexes.

    viewflow compares the task's permission joined to its object key (``Concat``) with the
    user's object grants, which no index serves: a queue read every free task of the city.
    Here each permission the user holds on objects is matched column by column (the step's
    permission, and its object among the user's keys), as are the user's model-level
    permissions and the tasks assigned to the user; nothing for a superuser, who may take
    every task. viewflow also lets anyone take a task whose step names no permission; every
    human step of our flows names one (a test holds every flow to it), so that arm is left
    out: the database, which cannot know no such task exists, would plan for a quarter of
    a million of them and read every free task of the city again."""
    if user.is_superuser:
        return Q()
    held = Q(owner_permission__in=user.get_all_permissions())
    if user.pk is not None:
        held |= Q(owner_id=user.pk)
    for perm, keys in sorted(object_grants(user).items()):
        held |= Q(owner_permission=perm, owner_permission_obj_pk__in=sorted(keys))
    return held


def holds_step_permission(user: User, task: Task) -> bool:
    """May ``user`` take the free ``task`` by its step's permission? The same condition as
    ``step_permission_q``, for one task: the permission on the object the task names, read from
    the user's object grants (read once per user object), or held on every object; superusers
    may. Read from the task's own keys, as the queue is, rather than from its process's grid
    looked up again (which guardian checked with two more queries): a household's move re-keys
    its open steps (``workflows.scope``), a revived step is keyed anew, and the consistency
    check reports a step keyed elsewhere than its household (a step created in the same
    instant as a move; ``rebuild_scope_keys`` mends it). A step that names no permission is
    viewflow's "anyone" (no human step of ours has one)."""
    if user is None or task.owner_id is not None or not is_active_user(user):
        return False
    perm = task.owner_permission
    if not perm:
        return True
    if user.is_superuser:
        return True
    keys = object_grants(user).get(perm, frozenset())
    # The key is text once stored; a task being created holds its object's own pk.
    if task.owner_permission_obj_pk is not None and str(task.owner_permission_obj_pk) in keys:
        return True
    return user.has_perm(perm)


def may_assign_tasks(user: User) -> bool:
    """May the user hand tasks to colleagues at all? Managers of a site (and superusers)."""
    return manages_some_site(user)


def may_assign_task(user: User, household: Household) -> bool:
    """May the user hand a task about ``household`` to a colleague? Only the manager of its
    site: a caseworker takes work for themselves, the site's manager shares it out."""
    if not is_active_user(user):
        return False
    return sites_managed_by(user).filter(grids__households=household).exists()


def task_assignees_for(user: User) -> QuerySet[AuthUser]:
    """The colleagues to whom ``user`` may hand tasks: active users who work a grid, or manage,
    a site the user manages (the user included). Whether a colleague may do a given task is
    still the step's own permission, checked task by task."""
    if not may_assign_tasks(user):
        return AuthUser.objects.none()
    sites = sites_managed_by(user)
    grids = Grid.objects.filter(site__in=sites.values("pk"))
    grid_ct = ContentType.objects.get_for_model(Grid)
    site_ct = ContentType.objects.get_for_model(Site)
    work_codename, manage_codename = WORK_GRID.split(".")[1], MANAGE_SITE.split(".")[1]
    on_grid = Q(
        permission__codename=work_codename,
        content_type=grid_ct,
        object_pk__in=[str(pk) for pk in grids.values_list("pk", flat=True)],
    )
    on_site = Q(
        permission__codename=manage_codename,
        content_type=site_ct,
        object_pk__in=[str(pk) for pk in sites.values_list("pk", flat=True)],
    )
    user_ids = UserObjectPermission.objects.filter(on_grid | on_site).values("user_id")
    group_ids = GroupObjectPermission.objects.filter(on_grid | on_site).values("group_id")
    return (
        AuthUser.objects.filter(is_active=True)
        .filter(Q(pk__in=user_ids) | Q(groups__in=group_ids))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def may_undo_step(user: User, *, owner_id: int | None, household: Household) -> bool:
    """May the user undo a completed step? Only whoever completed it, while they still work
    the household."""
    if not is_active_user(user) or owner_id is None or owner_id != user.pk:
        return False
    return can(user, "work_case", household)
