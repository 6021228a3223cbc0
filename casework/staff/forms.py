"""Forms of the staff-change pages; the services validate and write."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import permissions
from casework.common.forms import ServiceErrorsMixin, model_choice
from casework.permissions import roles

from . import selectors
from .services import Handover, TaskTarget


def person_label(user: User) -> str:
    """A person by full name and user name."""
    name = user.get_full_name()
    return f"{name}（{user.get_username()}）" if name else user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


def colleagues_for(actor: User, leaving: User) -> QuerySet[User]:
    """Who may be handed ``leaving``'s tasks by ``actor``: active caseworkers and managers
    they administer, and themselves."""
    return (
        User.objects.filter(is_active=True, groups__name__in=(roles.CASEWORKER, roles.MANAGER))
        .filter(Q(pk__in=permissions.users_administered(actor).values("pk")) | Q(pk=actor.pk))
        .exclude(pk=leaving.pk)
        .distinct()
        .order_by("username")
    )


class DeactivateForm(ServiceErrorsMixin, forms.Form):
    """Who takes the departing user's tasks (a person, or a grid's caseworkers by load), their
    households (a helper) and their courses (a trainer)."""

    tasks_to = forms.ChoiceField(label=gettext_lazy("Open tasks go to"), required=False)
    helper = PersonChoiceField(
        label=gettext_lazy("Paired households go to"), queryset=None, required=False
    )
    trainer = PersonChoiceField(label=gettext_lazy("Courses go to"), queryset=None, required=False)

    def __init__(self, *args: Any, actor: User, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {u.pk: u for u in colleagues_for(actor, user)}
        self.grids = {
            g.pk: g
            for g in permissions.grids_administered(actor)
            .select_related("site")
            .order_by("site__code", "code")
        }
        choices = [("", "---------")]
        choices += [
            (f"grid:{pk}", _("Spread over the caseworkers of %(grid)s (by load)")
             % {"grid": f"{grid.site.name} {grid.name}"})
            for pk, grid in self.grids.items()
        ]  # fmt: skip
        choices += [(f"person:{pk}", person_label(person)) for pk, person in self.people.items()]
        self.fields["tasks_to"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField
        model_choice(self, "helper").queryset = selectors.helpers_for(actor, user)
        model_choice(self, "trainer").queryset = selectors.trainers_for(actor, user)

    def handover(self) -> Handover:
        """The form's choices as the service's ``Handover``."""
        kind, _sep, pk = (self.cleaned_data.get("tasks_to") or "").partition(":")
        target = TaskTarget()
        if kind == "grid":
            target = TaskTarget(grid=self.grids.get(int(pk)))
        elif kind == "person":
            target = TaskTarget(person=self.people.get(int(pk)))
        return Handover(
            tasks=target, helper=self.cleaned_data.get("helper"),
            trainer=self.cleaned_data.get("trainer"),
        )  # fmt: skip


class SubstitutionForm(ServiceErrorsMixin, forms.Form):
    """Who is away, who covers them, and for which dates."""

    absent = PersonChoiceField(label=gettext_lazy("absent caseworker"), queryset=None)
    substitute = PersonChoiceField(label=gettext_lazy("substitute"), queryset=None)
    start_date = forms.DateField(
        label=gettext_lazy("from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_date = forms.DateField(
        label=gettext_lazy("until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        administered = permissions.users_administered(actor).filter(is_active=True)
        model_choice(self, "absent").queryset = administered.filter(
            groups__name=roles.CASEWORKER
        ).order_by("username")
        model_choice(self, "substitute").queryset = (
            User.objects.filter(is_active=True, groups__name__in=(roles.CASEWORKER, roles.MANAGER))
            .filter(Q(pk__in=administered.values("pk")) | Q(pk=actor.pk))
            .distinct()
            .order_by("username")
        )
