"""Who must give a second factor, who may release lockouts and set other people's passwords."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from .administration import users_administered
from .grants import role_names
from .roles import ADMIN, MANAGER

# Roles whose accounts reach every household of a site or the whole system.
TWO_FACTOR_ROLES = (ADMIN, MANAGER)


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Whether this user must give a TOTP code after the password (when the setting says so)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(role_names(user) & set(TWO_FACTOR_ROLES))


def may_manage_logins(user: User | AnonymousUser) -> bool:
    """Whether the user may see the current lockouts, release them and set passwords."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm("axes.delete_accessattempt")
        and user.has_perm("auth.change_user")
    )


def users_whose_password_may_be_set_by(user: User | AnonymousUser) -> QuerySet[User]:
    """The accounts whose password ``user`` may set: none but their own for most people;
    every active account for a login administrator, a superuser's only for a superuser; the
    active accounts a manager administers (``administration.users_administered``)."""
    if not may_manage_logins(user):
        return users_administered(user).filter(is_active=True).order_by("username")
    accounts = User.objects.filter(is_active=True)
    if not user.is_superuser:
        accounts = accounts.filter(is_superuser=False)
    return accounts.order_by("username")
