"""The object permissions that carry jurisdiction, and how they are read.

Jurisdiction is object-level (django-guardian):
- ``registry.work_grid`` on a Grid: a caseworker works every household of that grid;
- ``registry.manage_site`` on a Site: a manager oversees every household of the site;
- ``registry.visit_household`` on a Household: a pairing helper sees that one household;
- ``training.teach_course`` on a Course: a trainer teaches that course;
- ``registry.read_county`` on a Region (a county): a county bureau reads the figures of every
  site of the county, and nothing else of it.
Global (model-level) grants of these never widen jurisdiction; superusers see everything.
What a role may do at all comes from its model-level permissions (``casework.permissions.roles``).
"""

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user

User = AuthUser | AnonymousUser
M = TypeVar("M", bound=Model)

WORK_GRID = "registry.work_grid"
MANAGE_SITE = "registry.manage_site"
VISIT_HOUSEHOLD = "registry.visit_household"
TEACH_COURSE = "training.teach_course"
READ_COUNTY = "registry.read_county"


API_SITE = "_casework_api_site_id"


def system_client_site(user: User) -> int | None:
    """The site of the API system client this account acts for in this request (set when its
    token is read, ``casework.permissions.api``), or None for anyone else."""
    site_id = user.__dict__.get(API_SITE)
    return site_id if isinstance(site_id, int) else None


def objects_granted(user: User, perm: str, klass: type[M]) -> QuerySet[M]:
    """The objects of ``klass`` on which ``user`` holds ``perm`` itself (not globally)."""
    return get_objects_for_user(user, perm, klass=klass, accept_global_perms=False)


def object_grants(user: User) -> dict[str, frozenset[str]]:
    """Every object permission the user holds, themselves or through a group, as guardian
    stores it: for each permission (``app_label.codename``), the text keys of the objects it is
    granted on. Read in one query once per user object (that is, once a request for
    ``request.user``); ``jurisdiction_forget`` drops it after a grant or revocation."""
    if user.pk is None:
        return {}
    cached = user.__dict__.get("_casework_object_grants")
    if cached is None:
        fields = ("content_type__app_label", "permission__codename", "object_pk")
        own = UserObjectPermission.objects.filter(user_id=user.pk).values_list(*fields)
        grouped = GroupObjectPermission.objects.filter(group__user__pk=user.pk)
        keys: dict[str, set[str]] = {}
        for app_label, codename, object_pk in own.union(grouped.values_list(*fields), all=True):
            keys.setdefault(f"{app_label}.{codename}", set()).add(object_pk)
        cached = {perm: frozenset(pks) for perm, pks in keys.items()}
        user.__dict__["_casework_object_grants"] = cached
    return cached


def held_by_others_pk_q(user: AuthUser, perm: str, klass: type[Model]) -> Q:
    """``pk`` among the objects of ``klass`` on which an active user other than ``user`` holds
    ``perm`` themselves or through a group (guardian's ``get_users_with_perms`` with group users,
    without superusers, less ``user``), as two subqueries, however many objects there are."""
    codename = perm.split(".", 1)[1]
    where = {
        "permission__content_type": ContentType.objects.get_for_model(klass),
        "permission__codename": codename,
    }
    others = AuthUser.objects.filter(is_active=True).exclude(pk=user.pk)
    object_id = Cast("object_pk", BigIntegerField())
    own = UserObjectPermission.objects.filter(user__in=others, **where)
    grouped = GroupObjectPermission.objects.filter(group__user__in=others, **where)
    return Q(pk__in=own.annotate(object_id=object_id).values("object_id")) | Q(
        pk__in=grouped.annotate(object_id=object_id).values("object_id")
    )


def role_names(user: User) -> frozenset[str]:
    """The names of the user's groups (their roles), read once per user object, that is once a
    request for ``request.user``: the menu asks several times per page. Adding or removing a
    group through the user (``user.groups``) forgets it."""
    if not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_casework_roles")
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user.__dict__["_casework_roles"] = cached
    return cached


def _roles_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, AuthUser):
        instance.__dict__.pop("_casework_roles", None)


m2m_changed.connect(
    _roles_changed, sender=AuthUser.groups.through, dispatch_uid="casework_roles_forget"
)


def is_active_user(user: User) -> bool:
    """Signed in and not deactivated: nobody else has any right."""
    return bool(user.is_authenticated and user.is_active)
