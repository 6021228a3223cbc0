"""Forms of the registry screens. They parse input only; services validate and write."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin, model_choice

from .models import Grid, Household, Member
from .validators import mask_document_number, mask_phone

_HOUSEHOLD_FIELDS = [
    "grid",
    "building",
    "unit",
    "room",
    "household_type",
    "monitoring",
    "colour",
    "origin_address",
    "phone",
]
_MEMBER_FIELDS = [
    "name",
    "document_type",
    "document_number",
    "relationship",
    "education",
    "in_school",
    "health",
    "labour_capacity",
    "phone",
    "political_status",
]


class GridChoiceField(forms.ModelChoiceField):
    """A grid, named with its site."""

    def label_from_instance(self, obj: Grid) -> str:
        return f"{obj.site} · {obj}"


class HouseholdForm(ServiceErrorsMixin, forms.Form):
    """A household's residence and labels; the grid choices are the user's own grids."""

    def __init__(self, *args: Any, grids: QuerySet[Grid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Household, fields=_HOUSEHOLD_FIELDS, field_classes={"grid": GridChoiceField}
            )
        )
        model_choice(self, "grid").queryset = grids


class HouseholdRegisterForm(HouseholdForm):
    """A new household and its head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = {"number": fields_for_model(Household, fields=["number"])["number"]}
        fields.update(self.fields)
        for name, field in fields_for_model(
            Member, fields=[f for f in _MEMBER_FIELDS if f != "relationship"]
        ).items():
            field.label = _("Head: %(label)s") % {"label": field.label}
            fields[f"head_{name}"] = field
        fields["head_document_number"].help_text = _(
            "18 characters; a 15-digit old number is upgraded automatically."
        )
        self.fields = fields

    def head_data(self) -> dict[str, Any]:
        return {
            name.removeprefix("head_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("head_")
        }

    def household_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in _HOUSEHOLD_FIELDS}


class MemberForm(ServiceErrorsMixin, forms.Form):
    """A member. On an existing member, personal data is shown masked and kept unless re-entered."""

    def __init__(
        self, *args: Any, member: Member | None = None, joining: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields.update(fields_for_model(Member, fields=_MEMBER_FIELDS))
        if member is None and joining:
            self.fields["arrival"] = forms.ChoiceField(
                label=_("joined the household by"),
                choices=[c for c in Member.Arrival.choices if c[0]],
            )
        if member is not None:
            self.fields["document_number"].required = False
            self.fields["document_number"].help_text = _(
                "Now %(masked)s. Leave empty to keep it."
            ) % {"masked": mask_document_number(member.document_number)}
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": mask_phone(member.phone) or "—"
            }

    def member_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.member is not None:
            for key in ("document_number", "phone"):
                if not data.get(key):
                    data.pop(key, None)
        return data


class DocumentLookupForm(forms.Form):
    """Find a household by a member's document number (sent by POST, never in the URL)."""

    document_number = forms.CharField(label=_("Document number"), max_length=40)


class MemberLeaveForm(ServiceErrorsMixin, forms.Form):
    """A member leaves the household: why and when."""

    reason = forms.ChoiceField(
        label=_("reason for leaving the household"), choices=Member.Departure.choices
    )
    on = forms.DateField(
        label=_("left the household on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class HeadChangeForm(ServiceErrorsMixin, forms.Form):
    """A new head from the household's current members; the former head's new relationship."""

    new_head = forms.ModelChoiceField(
        label=_("new head of household"), queryset=Member.objects.none()
    )
    former_head_relationship = forms.ChoiceField(
        label=_("the former head's relationship to the new head"),
        choices=[c for c in Member.Relationship.choices if c[0] != Member.Relationship.HEAD],
    )

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "new_head").queryset = (
            Member.objects.current()
            .filter(household=household)
            .exclude(relationship=Member.Relationship.HEAD)
        )
