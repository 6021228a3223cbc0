"""A household's members: adding one, editing one, one leaving, and a new head."""

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from casework import permissions
from casework.registry import lifecycle, services
from casework.registry.forms import (
    HeadChangeForm,
    HouseholdSplitForm,
    MemberForm,
    MemberLeaveForm,
)
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

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "joining": True}

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


class MemberLeaveView(RegistryFormView):
    """A member moved out, married out or died: their case closes and their tasks end."""

    form_class = MemberLeaveForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "change_member"
        )
        self.member = get_object_or_404(
            Member.objects.current(), pk=kwargs["member_pk"], household=self.household
        )
        self.title = gettext("%(name)s leaves household %(number)s") % {
            "name": self.member.name,
            "number": self.household.number,
        }
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"on": timezone.localdate()}

    def perform(self, form: MemberLeaveForm) -> Member:
        return lifecycle.member_leave(
            actor=self.request.user,
            member=self.member,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        )


class HeadChangeView(RegistryFormView):
    form_class = HeadChangeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "change_member"
        )
        self.title = gettext("Change the head of household %(number)s") % {
            "number": self.household.number
        }
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "household": self.household}

    def perform(self, form: HeadChangeForm) -> Member:
        return lifecycle.head_change(
            actor=self.request.user, household=self.household, **form.cleaned_data
        )


class HouseholdSplitView(RegistryFormView):
    """分户: some members form a household of their own, keeping their cases and history."""

    form_class = HouseholdSplitForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "change_member"
        )
        self.title = gettext("Split household %(number)s") % {"number": self.household.number}
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "household": self.household}

    def perform(self, form: HouseholdSplitForm) -> Any:
        data = form.cleaned_data
        return lifecycle.household_split(
            actor=self.request.user,
            household=self.household,
            members=form.members(),
            head=data["head"],
            number=data["number"],
            building=data["building"],
            unit=data["unit"],
            room=data["room"],
        )
