"""Who manages the API's clients: the administrators make and revoke system clients; staff who
work households hold personal tokens of their own."""

from .administration import is_administrator
from .grants import User


def may_manage_api_clients(user: User) -> bool:
    return is_administrator(user)
