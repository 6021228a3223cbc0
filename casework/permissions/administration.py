"""Who may administer: the system administrator everything, a manager the sites they manage.

(Minimal version for the policy pages; the administration pages' part owns this module.)
"""

from .grants import User, is_active_user
from .roles import ADMIN
from .sites import sites_managed_by


def may_administer(user: User) -> bool:
    """An active superuser, administrator, or manager of at least one site."""
    if not is_active_user(user):
        return False
    if user.is_superuser or user.groups.filter(name=ADMIN).exists():
        return True
    return sites_managed_by(user).exists()
