"""Who enters a public-welfare post's month and who approves its subsidy roll.

The caseworkers of a holder's grid (and the site's managers) enter the holder's attendance and
score; the site's managers approve the month's subsidy roll and export it for the finance
office.
"""

from casework.posts.models import WelfarePost
from casework.registry.models import Household

from .grants import User, is_active_user
from .households import can
from .sites import sites_managed_by

RECORD_ATTENDANCE = "posts.add_postattendance"
APPROVE_ROLLS = "posts.add_subsidyroll"


def may_record_attendance(user: User, household: Household) -> bool:
    """May ``user`` enter the monthly attendance of a holder from ``household``?"""
    return user.has_perm(RECORD_ATTENDANCE) and can(user, "work_case", household)


def may_approve_rolls(user: User, post: WelfarePost) -> bool:
    """May ``user`` approve and export ``post``'s monthly subsidy rolls?"""
    if not is_active_user(user) or not user.has_perm(APPROVE_ROLLS):
        return False
    return user.is_superuser or sites_managed_by(user).filter(pk=post.site_id).exists()


def may_manage_post_holders(user: User, post: WelfarePost) -> bool:
    """May ``user`` renew a holder's term or record their exit? The site's managers."""
    if not is_active_user(user) or not user.has_perm("posts.change_welfarepost"):
        return False
    return user.is_superuser or sites_managed_by(user).filter(pk=post.site_id).exists()
