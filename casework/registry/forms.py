"""Forms of the registry screens. They parse input only; services validate and write."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.formsets import (
    DELETION_FIELD_NAME,
    INITIAL_FORM_COUNT,
    MAX_NUM_FORM_COUNT,
    MIN_NUM_FORM_COUNT,
    TOTAL_FORM_COUNT,
)
from django.forms.models import fields_for_model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from viewflow.forms import FieldSet, Layout, Row

from casework.common.forms import ServiceErrorsMixin, model_choice

from .cleaning import member_error_key_parse
from .models import Grid, Household, Member
from .validators import mask_document_number, mask_phone, normalize_phone

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
# A household with more members than this is registered in parts (rows of one page).
MAX_MEMBER_ROWS = 30
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


def _member_fields(exclude: str = "") -> dict[str, forms.Field]:
    """A member's fields for the registration page: a person's name is 姓名, and numbers are
    typed, not suggested by the browser."""
    fields = fields_for_model(Member, fields=[f for f in _MEMBER_FIELDS if f != exclude])
    fields["name"].label = _("Full name")
    fields["document_number"].widget.attrs.update(autocomplete="off", spellcheck="false")
    fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
    return fields


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
    """A new household and its head (the other members are rows of ``MemberRowFormSet``)."""

    layout = Layout(
        FieldSet(
            _("Household details"),
            Row("number", "grid"),
            Row("building", "unit", "room"),
            Row("household_type", "monitoring", "colour"),
            Row("origin_address", "phone"),
        ),
        FieldSet(
            _("Head of household"),
            Row("head_name", "head_document_type", "head_document_number"),
            Row("head_education", "head_health", "head_labour_capacity"),
            Row("head_phone", "head_political_status", "head_in_school"),
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = {"number": fields_for_model(Household, fields=["number"])["number"]}
        fields.update(self.fields)
        for name, field in _member_fields(exclude="relationship").items():
            field.label = _("Head: %(label)s") % {"label": field.label}
            fields[f"head_{name}"] = field
        fields["head_document_number"].help_text = _(
            "18 characters; a 15-digit old number is upgraded automatically."
        )
        self.fields = fields

    def entered(self) -> dict[str, Any]:
        """What was typed into each field, unchecked: the initial values of the same page shown
        again (with one more member row) before it is saved."""
        return {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
        }

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


class MemberRowForm(forms.Form):
    """One row of the registration page: a member other than the head. Nothing is required
    here: the service names the row and what it lacks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_member_fields())
        for field in self.fields.values():
            field.required = False

    def is_blank(self) -> bool:
        """Nothing entered (the preset choices left as they are; a ticked remove box alone
        does not count)."""
        return not [name for name in self.changed_data if name != DELETION_FIELD_NAME]


def _removed(form: forms.Form) -> bool:
    """The row's remove box is ticked (read from the data: the row need not be validated)."""
    field = form.fields.get(DELETION_FIELD_NAME)
    if field is None:
        return False
    return bool(
        field.widget.value_from_datadict(
            form.data, form.files, form.add_prefix(DELETION_FIELD_NAME)
        )
    )


class BaseMemberRowFormSet(forms.BaseFormSet):
    """The member rows. A row counts when something is entered in it and it is not ticked for
    removal; shown again, the page keeps only such rows, numbered as the service numbers them."""

    forms: list[MemberRowForm]

    def rows_entered(self) -> list[MemberRowForm]:
        return [form for form in self.forms if not form.is_blank() and not _removed(form)]

    def members_data(self) -> list[dict[str, Any]]:
        """One dict of member fields per row that counts, in page order."""
        return [
            {
                name: value
                for name, value in form.cleaned_data.items()
                if name != DELETION_FIELD_NAME
            }
            for form in self.rows_entered()
        ]

    def renumbered(self, *, keep_blank: bool, extra: int = 0) -> "BaseMemberRowFormSet":
        """The same rows bound again without those ticked for removal (and without blank ones
        unless ``keep_blank``), numbered from 0, with ``extra`` blank rows at the end."""
        kept = [
            form
            for form in self.forms
            if (keep_blank or not form.is_blank()) and not _removed(form)
        ]
        getlist = getattr(self.data, "getlist", None)  # a plain dict holds one value a key
        data = QueryDict(mutable=True)
        for index, form in enumerate(kept):
            for name in form.fields:
                key = form.add_prefix(name)
                if name != DELETION_FIELD_NAME and key in self.data:
                    values = getlist(key) if getlist else [self.data[key]]
                    data.setlist(f"{self.prefix}-{index}-{name}", values)
        data[f"{self.prefix}-{TOTAL_FORM_COUNT}"] = str(len(kept) + extra)
        data[f"{self.prefix}-{INITIAL_FORM_COUNT}"] = "0"
        data[f"{self.prefix}-{MIN_NUM_FORM_COUNT}"] = str(self.min_num)
        data[f"{self.prefix}-{MAX_NUM_FORM_COUNT}"] = str(self.max_num)
        return type(self)(data, prefix=self.prefix)


MemberRowFormSet = cast(
    "type[BaseMemberRowFormSet]",
    forms.formset_factory(
        MemberRowForm,
        formset=BaseMemberRowFormSet,
        extra=1,
        can_delete=True,
        max_num=MAX_MEMBER_ROWS,
        validate_max=True,
    ),
)


def registration_errors_add(
    form: HouseholdRegisterForm, rows: BaseMemberRowFormSet, error: ValidationError
) -> None:
    """Show ``household_register``'s error: a row's messages on that row (the rows numbered as
    the service numbered them), the rest on the household and head fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    rest: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        row = member_error_key_parse(key)
        if row is None or row[0] >= len(rows.forms):
            rest[key] = messages
            continue
        row_form = rows.forms[row[0]]
        row_form.add_error(row[1] if row[1] in row_form.fields else None, messages)
    if rest:
        form.add_service_errors(ValidationError(rest))


class DocumentLookupForm(forms.Form):
    """Find a household by a member's document number or a mobile phone number (sent by POST,
    never in the URL). ``cleaned_data["phone"]`` is the phone number when one was given."""

    document_number = forms.CharField(
        label=_("Document number or mobile phone number"),
        max_length=40,
        help_text=_(
            "ID numbers and phone numbers are searched here, never in the address bar or the "
            "list's search box: an address is kept in the browser's history and in server logs."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            cleaned["phone"] = normalize_phone(cleaned.get("document_number", ""))
        except ValidationError:
            cleaned["phone"] = ""
        return cleaned


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


class HouseholdSplitForm(ServiceErrorsMixin, forms.Form):
    """分户: which current members form a new household (a box each), its head, number and
    address."""

    number = forms.CharField(label=_("new household number"), max_length=32)
    head = forms.ModelChoiceField(
        label=_("head of the new household"), queryset=Member.objects.none()
    )
    building = forms.CharField(label=_("building"), max_length=20, required=False)
    unit = forms.CharField(label=_("unit"), max_length=20, required=False)
    room = forms.CharField(label=_("room"), max_length=20, required=False)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.others = list(
            Member.objects.current()
            .filter(household=household)
            .exclude(relationship=Member.Relationship.HEAD)
        )
        model_choice(self, "head").queryset = Member.objects.filter(
            pk__in=[m.pk for m in self.others]
        )
        boxes = {
            f"member_{member.pk}": forms.BooleanField(
                label=_("%(name)s (%(relationship)s) splits off")
                % {"name": member.name, "relationship": member.get_relationship_display()},
                required=False,
            )
            for member in self.others
        }
        self.fields = {"number": self.fields["number"], **boxes, **{
            name: field for name, field in self.fields.items() if name != "number"
        }}  # fmt: skip

    def members(self) -> list[Member]:
        return [m for m in self.others if self.cleaned_data.get(f"member_{m.pk}")]
