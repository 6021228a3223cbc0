"""The registry's form page: the one form-page view, back to the household when done."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView
from casework.registry.models import Member


class RegistryFormView(ServiceFormView):
    """A form page in the viewflow frame that hands the cleaned data to one registry service
    and then shows the household."""

    request: AuthenticatedRequest
    template_name = "registry/form.html"
    success_text = _("Saved.")

    def success_url_for(self, target: Any) -> str:
        return self.viewset.reverse("detail", args=[self.household_pk(target)])

    def household_pk(self, target: Any) -> int:
        return target.household_id if isinstance(target, Member) else target.pk
