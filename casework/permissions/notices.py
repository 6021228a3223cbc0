"""Who handles a household's public notices (公示): who records and resolves the community's
objections, concludes a notice and prints it for the board. Anyone may read a notice's public
page: it shows only what the board shows."""

from casework.registry.models import Household

from .grants import User
from .households import can


def may_handle_notice(user: User, household: Household) -> bool:
    """The caseworkers of the household's grid and the managers of its site."""
    return can(user, "work_case", household) or can(user, "review", household)
