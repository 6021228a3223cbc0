"""A household's members: adding one and editing one."""

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from casework import permissions
from casework.registry import services
from casework.registry.forms import MemberForm
from casework.registry.models import Member

from .base import RegistryFormView


class MemberAddView(RegistryFormView):
    form_class = MemberForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "add_member"
        )
        self.title = gettext("Add a member to household %(number)s") % {
            "number": self.household.number
        }
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: MemberForm) -> Member:
        return services.member_add(
            actor=self.request.user, household=self.household, **form.member_data()
        )


class MemberUpdateView(RegistryFormView):
    form_class = MemberForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "change_member"
        )
        self.member = get_object_or_404(Member, pk=kwargs["member_pk"], household=self.household)
        self.title = gettext("Edit member %(name)s") % {"name": self.member.name}
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "member": self.member}

    def get_initial(self) -> dict[str, Any]:
        member = self.member
        return {
            name: getattr(member, name)
            for name in (
                "name",
                "document_type",
                "relationship",
                "education",
                "in_school",
                "health",
                "labour_capacity",
                "political_status",
            )
        }

    def perform(self, form: MemberForm) -> Member:
        return services.member_update(
            actor=self.request.user, member=self.member, **form.member_data()
        )
