"""Who may read and who may change the code lists (channels, trades, exit reasons …)."""

from .administration import may_administer
from .grants import User, is_active_user

CHANGE_CODE = "policy.change_code"


def may_read_codes(user: User) -> bool:
    """Administrators and managers read every code list."""
    return may_administer(user) or (is_active_user(user) and user.has_perm("policy.view_code"))


def may_change_codes(user: User) -> bool:
    """Only the system administrator adds, changes and ends codes: superusers and the admin
    role."""
    return is_active_user(user) and user.has_perm(CHANGE_CODE)
