"""The API's numbers: how long a token lives, how often a client may call."""

from django.utils.translation import gettext_lazy as _

from .spec import DAYS, TIMES, Default

API: dict[str, Default] = {
    "api.token_days_max": Default(
        365,
        _("Longest life of an API token"),
        unit=DAYS,
        minimum=1,
        maximum=3650,
        meaning=_("A token expires at the latest this many days after it is made."),
        used_by=_("API clients and tokens"),
    ),
    "api.requests_per_minute": Default(
        120,
        _("Calls a minute for each API client"),
        unit=TIMES,
        minimum=1,
        maximum=100000,
        meaning=_(
            "A client (a system, or a person's token or session) calling more often than this "
            "in a minute is answered 429 until the minute is over."
        ),
        used_by=_("The API"),
    ),
}
