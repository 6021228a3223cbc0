from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "casework.policy"
    label = "policy"
    verbose_name = _("Policy parameters")

    def ready(self) -> None:
        from .calendar_seed import calendar_seed_on_migrate
        from .code_seed import codes_seed_on_migrate

        # A flushed database (tests that truncate every table) gets the initial code lists
        # back, as a migrated one has them from migration 0003.
        post_migrate.connect(codes_seed_on_migrate, sender=self)
        # The working-day calendar: the years the chinese-calendar library knows.
        post_migrate.connect(calendar_seed_on_migrate, sender=self)
