"""How people are named in the history and on case files.

By full name; the login follows in brackets only where another account has the same full name
(two 王芳 are told apart). An account without a full name is named by its login.
"""

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _


def _label(user: Any, shared: set[str]) -> str:
    full = user.get_full_name()
    if not full:
        return str(user.get_username())
    return f"{full}（{user.get_username()}）" if full in shared else str(full)


def _shared_names(users: Iterable[Any]) -> set[str]:
    """The full names among ``users`` that some other account also bears: one query."""
    wanted = {user.get_full_name() for user in users} - {""}
    if not wanted:
        return set()
    firsts = {user.first_name for user in users if user.get_full_name()}
    namesakes = (
        get_user_model().objects.filter(first_name__in=firsts).only("first_name", "last_name")
    )
    counts = Counter(user.get_full_name() for user in namesakes)
    return {name for name in wanted if counts[name] > 1}


def people_labels(users: Iterable[Any]) -> dict[int, str]:
    """Each user's label by pk (see the module), in one query whatever their number."""
    users = list(users)
    shared = _shared_names(users)
    return {user.pk: _label(user, shared) for user in users}


def people_by(*, pks: Iterable[int] = (), usernames: Iterable[str] = ()) -> dict[Any, str]:
    """Labels of the users with these pks or logins, keyed by both pk and login: two queries."""
    pks, usernames = set(pks), set(usernames)
    if not pks and not usernames:
        return {}
    users = list(
        get_user_model().objects.filter(pk__in=pks)
        | get_user_model().objects.filter(username__in=usernames)
    )
    labels = people_labels(users)
    named: dict[Any, str] = {}
    for user in users:
        named[user.pk] = named[user.get_username()] = labels[user.pk]
    return named


def user_label(user: Any) -> str:
    """One person's label (see the module); "System" for no one."""
    if user is None:
        return _("System")
    return people_labels([user])[user.pk]


def viewer_label(user: Any) -> str:
    """Who made a document, for its cover and watermark: the name and always the login, which
    names one account whatever the namesakes."""
    full = user.get_full_name()
    return f"{full}（{user.get_username()}）" if full else str(user.get_username())
