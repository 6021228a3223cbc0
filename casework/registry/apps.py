from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "casework.registry"
    label = "registry"
    verbose_name = _("Household registry")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from casework.roles import roles_sync_on_migrate

        post_migrate.connect(roles_sync_on_migrate, sender=self)
