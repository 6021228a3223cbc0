from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    label = "accounts"
    verbose_name = _("Logins")

    def ready(self) -> None:
        from . import handlers

        handlers.connect()
