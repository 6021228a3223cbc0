"""The forms of the set-up pages: a region, a site, a grid, and a grid's caseworkers.

Model forms for their labels and checks; they never save: the view hands ``cleaned_data`` to
one service (``structure.services``)."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework import permissions
from casework.common.administration import form_errors_raise
from casework.common.forms import ServiceErrorsMixin, model_choice

from ..models import Grid, Region, Site


class PersonChoiceField(forms.ModelChoiceField):
    """An account shown by full name and login."""

    def label_from_instance(self, obj: User) -> str:
        full = obj.get_full_name()
        return f"{full}（{obj.get_username()}）" if full else obj.get_username()


class RegionForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "valid_from_year", "valid_to_year"]
        help_texts = {
            "code": _("The 12-digit statistical division code, also a former one."),
            "valid_to_year": _("Leave empty while the code is in use."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Region.objects.exclude(level=Region.Level.VILLAGE).order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        model_choice(self, "parent").queryset = parents

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from_year"), data.get("valid_to_year")
        if start and end and end < start:
            self.add_error(
                "valid_to_year", _("Valid to (year): it cannot be before the year it begins.")
            )
        return data


class SiteForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = ["code", "name", "county", "township", "form", "planned_households"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "county").queryset = Region.objects.filter(
            level=Region.Level.COUNTY
        ).order_by("code")


class GridForm(ServiceErrorsMixin, forms.ModelForm):
    """A grid's code, name and leader; its site when it is created."""

    leader = PersonChoiceField(label=_("grid leader"), queryset=None, required=False)

    class Meta:
        model = Grid
        fields = ["site", "code", "name", "leader"]

    def __init__(
        self, *args: Any, sites: QuerySet[Site], leaders: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["site"]
        else:
            model_choice(self, "site").queryset = sites.order_by("code")
        model_choice(self, "leader").queryset = leaders

    def validate_unique(self) -> None:
        # The service checks the grid's code within its site (the site may not be on the form).
        pass


class AccountChoiceForm(ServiceErrorsMixin, forms.Form):
    """One account, among those the page offers (a grid's new caseworker, a site's manager)."""

    service_field_map = {"grid": "user", "site": "user"}
    user = PersonChoiceField(label=_("user"), queryset=None)

    def __init__(self, *args: Any, accounts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "user").queryset = accounts


def account_posted(request: HttpRequest) -> User:
    """The account a one-button form posted, among those the user administers (a grid's new
    caseworker, a site's new manager); the form's messages as the action's error otherwise."""
    form = AccountChoiceForm(request.POST, accounts=permissions.users_administered(request.user))
    if not form.is_valid():
        form_errors_raise(form)
    return form.cleaned_data["user"]


class GridChoiceField(forms.ModelChoiceField):
    """A grid shown with its site."""

    def label_from_instance(self, obj: Grid) -> str:
        return f"{obj.site} · {obj}"


class GridChoiceForm(ServiceErrorsMixin, forms.Form):
    """One grid to give an account (the user's page)."""

    grid = GridChoiceField(label=_("grid"), queryset=None)

    def __init__(self, *args: Any, grids: QuerySet[Grid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "grid").queryset = grids.select_related("site")


class SiteChoiceForm(ServiceErrorsMixin, forms.Form):
    """One site for an account to manage (the user's page)."""

    site: "forms.ModelChoiceField[Site]" = forms.ModelChoiceField(
        label=_("resettlement site"), queryset=None
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "site").queryset = sites.order_by("code")


class CountyChoiceForm(ServiceErrorsMixin, forms.Form):
    """One county whose figures an account reads as its bureau (the user's page)."""

    county: "forms.ModelChoiceField[Region]" = forms.ModelChoiceField(
        label=_("county"), queryset=None
    )

    def __init__(self, *args: Any, counties: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "county").queryset = counties.order_by("code")


class BuildingLeaderForm(ServiceErrorsMixin, forms.Form):
    """The leader of a building or unit of a grid (楼栋长, 户长)."""

    building = forms.CharField(
        label=_("building or unit"), max_length=20, help_text=_("Such as 3号楼 or 3号楼2单元.")
    )
    name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
