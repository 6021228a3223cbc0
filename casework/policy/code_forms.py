"""Forms of the code-list pages; they parse input, the services validate and write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin

from .models import Code

# Only channels have national groupings (七个一批, 五个一批, the 务工 label).
GROUPED_LISTS = (Code.List.CHANNEL,)


class CodeDetailsForm(ServiceErrorsMixin, forms.Form):
    label = forms.CharField(label=_("label"), max_length=100)
    group = forms.CharField(label=_("group (七个一批)"), max_length=30, required=False)
    group_five = forms.CharField(label=_("group (五个一批)"), max_length=30, required=False)
    national_label = forms.CharField(label=_("national label"), max_length=30, required=False)
    sort_order = forms.IntegerField(label=_("sort order"), min_value=0, max_value=32767)
    valid_from = forms.DateField(label=_("valid from"))

    def __init__(self, *args: Any, list_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if list_name not in GROUPED_LISTS:
            for name in ("group", "group_five", "national_label"):
                del self.fields[name]

    def details(self) -> dict[str, Any]:
        """The cleaned fields the services take (the groupings only where the list has them)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "code"}


class CodeAddForm(CodeDetailsForm):
    code = forms.CharField(
        label=_("code"),
        max_length=16,
        help_text=_("Letters, digits and underscores; stored on the records, never changed."),
    )
    field_order = ["code", "label"]

    def __init__(self, *args: Any, list_name: str, next_order: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, list_name=list_name, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["sort_order"].initial = next_order


class CodeChangeForm(CodeDetailsForm):
    valid_to = forms.DateField(label=_("valid to (last day, empty: no end)"), required=False)


class CodeEndForm(ServiceErrorsMixin, forms.Form):
    service_field_map = {"valid_to": "on"}

    on = forms.DateField(label=_("last day in force"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
