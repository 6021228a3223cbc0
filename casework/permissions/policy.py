"""Who may read and who may change the policy parameters."""

from .administration import may_administer
from .grants import User, is_active_user

CHANGE_PARAMETER = "policy.change_parameter"


def may_read_policy(user: User) -> bool:
    """Administrators and managers (anyone who administers something) read every parameter."""
    return may_administer(user) or (is_active_user(user) and user.has_perm("policy.view_parameter"))


def may_change_policy(user: User) -> bool:
    """Only the system administrator changes a parameter: superusers and the admin role."""
    return is_active_user(user) and user.has_perm(CHANGE_PARAMETER)
