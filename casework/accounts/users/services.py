"""User accounts as administrators and managers keep them: create, edit, roles, deactivate and
reactivate (a forgotten password: ``casework.accounts.services.user_password_set``).

Each service is one transaction with exactly one audit event naming its actor; who may act on
which account is ``casework.permissions.administration``'s rule (``PermissionDenied`` otherwise).
A person's full name (姓名) is kept whole in ``first_name``, as everywhere in the product.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import permissions
from casework.audit.services import Changes, audit_record
from casework.permissions.administration import USER_CREATE_ACTION
from casework.permissions.roles import (
    ADMIN,
    CASEWORKER,
    HELPER,
    MANAGER,
    ROLE_LABELS,
    TRAINER,
    user_roles,
)
from casework.registry.validators import clean_text
from casework.staff.selectors import courses_taught_alone, open_tasks, pairings_of

Actor = User | AnonymousUser

NOT_YOURS = gettext_lazy("You may not administer this account.")
OWN_ROLES = gettext_lazy("Roles: you may not change your own roles.")
LAST_ADMINISTRATOR = gettext_lazy("This is the last active administrator: make another one first.")
WORK_LEFT_TASKS = gettext_lazy(
    "Roles: the account still holds open tasks; hand them on under Staff changes first."
)
WORK_LEFT_PAIRINGS = gettext_lazy(
    "Roles: the account still looks after paired households; hand them on under Staff changes "
    "first."
)
WORK_LEFT_COURSES = gettext_lazy(
    "Roles: the account still teaches courses alone; hand them on under Staff changes first."
)
# Each kind of open work, with the roles that do it: losing all of them would orphan it.
_WORK_ROLES = (
    ((CASEWORKER, MANAGER, ADMIN), WORK_LEFT_TASKS),
    ((HELPER,), WORK_LEFT_PAIRINGS),
    ((TRAINER,), WORK_LEFT_COURSES),
)


def _roles_shown(roles: Iterable[str]) -> str:
    return "、".join(sorted(roles))


def _roles_check(actor: Actor, roles: Iterable[str]) -> list[str]:
    """The roles, in order, if ``actor`` may give each of them."""
    wanted = set(roles)
    unknown = wanted - set(ROLE_LABELS)
    if unknown:
        message = _("Roles: unknown role %(role)s.") % {"role": min(unknown)}
        raise ValidationError({"roles": message})
    refused = wanted - set(permissions.roles_assignable(actor))
    if refused:
        raise ValidationError(
            {
                "roles": _("Roles: you may not give the role %(role)s.")
                % {"role": ROLE_LABELS[min(refused)]}
            }
        )
    return [role for role in ROLE_LABELS if role in wanted]


def _require_editable(actor: Actor, user: User) -> None:
    if not permissions.may_edit_user(actor, user):
        raise PermissionDenied(NOT_YOURS)


def _is_last_administrator(user: User) -> bool:
    active = permissions.administrators_active()
    return active.filter(pk=user.pk).exists() and not active.exclude(pk=user.pk).exists()


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    password: str,
    roles: Iterable[str] = (),
    email: str = "",
) -> User:
    """Create an active account with its roles and initial password (checked by the password
    validators). Event ``account.user_create`` (no password in it)."""
    if not permissions.may_create_users(actor):
        raise PermissionDenied(NOT_YOURS)
    username, full_name = clean_text(username), clean_text(full_name)
    role_list = _roles_check(actor, roles)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Username: %(name)s is taken.") % {"name": username}})
    user = User(username=username, first_name=full_name, email=email.strip(), is_active=True)
    user.full_clean(exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=role_list))
    audit_record(
        actor=actor,
        action=USER_CREATE_ACTION,
        obj=user,
        household_id=None,
        changes={
            "username": (None, username),
            "full_name": (None, full_name),
            "email": (None, user.email),
            "roles": (None, _roles_shown(role_list)),
        },
    )
    return user


@transaction.atomic
def user_update(*, actor: Actor, user: User, full_name: str, email: str = "") -> User:
    """Change an account's full name or e-mail address."""
    _require_editable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    new = {"first_name": clean_text(full_name), "email": email.strip()}
    changes: Changes = {
        ("full_name" if field == "first_name" else field): (getattr(user, field), value)
        for field, value in new.items()
        if getattr(user, field) != value
    }
    if not changes:
        return user
    for field, value in new.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(new))
    audit_record(
        actor=actor, action="account.user_update", obj=user, household_id=None, changes=changes
    )
    return user


@transaction.atomic
def user_roles_set(*, actor: Actor, user: User, roles: Iterable[str]) -> User:
    """Set an account's roles to exactly ``roles``. Nobody changes their own roles (an
    administrator cannot demote themselves by a slip), and a role the actor may not give they
    may not take away either."""
    _require_editable(actor, user)
    if user.pk == actor.pk:
        raise ValidationError({"roles": OWN_ROLES})
    old = user_roles(user)
    wanted = set(roles)
    _roles_check(actor, wanted ^ set(old))
    new = [role for role in ROLE_LABELS if role in wanted]
    if new == old:
        return user
    _check_work_kept(user, old, new)
    kept = user.groups.exclude(name__in=list(ROLE_LABELS))
    user.groups.set([*kept, *Group.objects.filter(name__in=new)])
    if _lost_last_administrator(user, old, new):
        raise ValidationError({"roles": LAST_ADMINISTRATOR})
    audit_record(
        actor=actor,
        action="account.user_roles",
        obj=user,
        household_id=None,
        changes={"roles": (_roles_shown(old), _roles_shown(new))},
    )
    return user


def _check_work_kept(user: User, old: list[str], new: list[str]) -> None:
    """Refuse to take away the last role that does some open work of ``user``'s (their tasks,
    their pairings, the courses only they teach): the staff-change page hands it on first."""
    holds = {
        WORK_LEFT_TASKS: lambda: open_tasks(user).exists(),
        WORK_LEFT_PAIRINGS: lambda: pairings_of(user).exists(),
        WORK_LEFT_COURSES: lambda: bool(courses_taught_alone(user)),
    }
    errors = [
        message
        for doers, message in _WORK_ROLES
        if set(doers) & set(old) and not set(doers) & set(new) and holds[message]()
    ]
    if errors:
        raise ValidationError({"roles": errors})


def _lost_last_administrator(user: User, old: list[str], new: list[str]) -> bool:
    """After the change, does nobody active administer everything any more?"""
    if "admin" not in old or "admin" in new:
        return False
    return not permissions.administrators_active().exists()


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User) -> User:
    """Deactivate an account: it can no longer log in and holds no right (its grants stay, to
    be seen and revoked). Refused for oneself and for the last active administrator. The
    staff-change page hands over the account's open work first, then calls this."""
    _require_editable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError({"user": _("You may not deactivate your own account.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is already deactivated.")})
    if _is_last_administrator(user):
        raise ValidationError({"user": LAST_ADMINISTRATOR})
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="account.user_deactivate",
        obj=user,
        household_id=None,
        changes={"is_active": (True, False)},
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: Actor, user: User) -> User:
    """Let a deactivated account log in again (with the rights it still holds)."""
    _require_editable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError({"user": _("This account is active.")})
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="account.user_reactivate",
        obj=user,
        household_id=None,
        changes={"is_active": (False, True)},
    )
    return user
