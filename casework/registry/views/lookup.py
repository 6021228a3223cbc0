"""Finding a household by a member's document number."""

from typing import Any

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework.registry import selectors
from casework.registry.forms import DocumentLookupForm


class DocumentLookupView(generic.FormView):
    """Find a household by a member's document number; POST keeps the number out of URLs."""

    template_name = "registry/form.html"
    form_class = DocumentLookupForm
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Find by document number"), submit_label=_("Find"), **kwargs
        )

    def form_valid(self, form: DocumentLookupForm) -> HttpResponse:
        member = selectors.member_find_by_document(
            user=self.request.user, document_number=form.cleaned_data["document_number"]
        )
        if member is None:
            form.add_error(
                "document_number",
                gettext("No member with this document number in your jurisdiction."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=404)
        return HttpResponseRedirect(self.viewset.reverse("detail", args=[member.household_id]))
