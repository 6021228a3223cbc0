"""Finding a household by a member's document number or by a phone number: by POST, so that
the number stays out of URLs (a query string holding one is redirected here by
``casework.middleware.IdentifierQueryMiddleware``)."""

from typing import Any

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework.registry import selectors
from casework.registry.forms import DocumentLookupForm


class DocumentLookupView(generic.FormView):
    """One match opens the household's page; several phone matches are listed (household
    number and residence only); none is a 404 on the form."""

    template_name = "registry/lookup.html"
    form_class = DocumentLookupForm
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Find by document or phone number"), submit_label=_("Find"), **kwargs
        )

    def form_valid(self, form: DocumentLookupForm) -> HttpResponse:
        phone = form.cleaned_data["phone"]
        if phone:
            households = list(
                selectors.households_find_by_phone(user=self.request.user, phone=phone)
            )
            if len(households) > 1:
                matches = [(h, self.viewset.reverse("detail", args=[h.pk])) for h in households]
                return self.render_to_response(self.get_context_data(form=form, matches=matches))
            household_id = households[0].pk if households else None
        else:
            member = selectors.member_find_by_document(
                user=self.request.user, document_number=form.cleaned_data["document_number"]
            )
            household_id = member.household_id if member else None
        if household_id is None:
            form.add_error(
                "document_number",
                gettext("No household with this phone number in your jurisdiction.")
                if phone
                else gettext("No member with this document number in your jurisdiction."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=404)
        return HttpResponseRedirect(self.viewset.reverse("detail", args=[household_id]))
