from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    label = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from casework.pairing.signals import service_request_raised
        from casework.posts.signals import post_vacated
        from casework.registry.signals import household_registered, households_registered
        from casework.roles import roles_sync_on_migrate

        from . import transitions
        from .services import (
            household_flow_start_on_registration,
            household_flows_start_on_bulk_registration,
            post_vacancy_flow_start,
            service_request_flow_start,
        )

        transitions.connect()
        # The last app to migrate: every permission the roles name exists by now.
        post_migrate.connect(roles_sync_on_migrate, sender=self)
        household_registered.connect(
            household_flow_start_on_registration, dispatch_uid="household_flow_start"
        )
        households_registered.connect(
            household_flows_start_on_bulk_registration, dispatch_uid="household_flows_start_bulk"
        )
        post_vacated.connect(post_vacancy_flow_start, dispatch_uid="post_vacancy_flow_start")
        service_request_raised.connect(
            service_request_flow_start, dispatch_uid="service_request_flow_start"
        )
