"""ServiceFormView: one service call in one transaction; its ValidationError becomes form errors
(and nothing it wrote stays); success shows the message and redirects."""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from casework.common.forms import ServiceErrorsMixin
from casework.common.views import ServiceFormView

pytestmark = pytest.mark.django_db


class NameForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField()
    service_field_map = {"group_name": "name"}


class GroupCreateView(ServiceFormView):
    """Writes a group, then refuses the name "bad" after the write."""

    form_class = NameForm
    template_name = "registry/form.html"
    success_text = "Created."

    def perform(self, form: NameForm) -> Group:
        group = Group.objects.create(name=form.cleaned_data["name"])
        if group.name == "bad":
            raise ValidationError({"group_name": "Not this name."})
        return group

    def success_url_for(self, target: Group) -> str:
        return f"/groups/{target.pk}/"


class PlainForm(forms.Form):
    name = forms.CharField()


class PlainView(GroupCreateView):
    form_class = PlainForm


def _post(view, name: str):
    request = RequestFactory().post("/", {"name": name})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    form = view.form_class(data={"name": name})
    assert form.is_valid()
    page = view()
    page.setup(request)
    return request, page.form_valid(form), form


def test_it_redirects_with_the_message_after_the_service():
    request, response, _form = _post(GroupCreateView, "fine")
    group = Group.objects.get(name="fine")
    assert response.status_code == 302 and response["Location"] == f"/groups/{group.pk}/"
    assert [str(m) for m in get_messages(request)] == ["Created."]


def test_it_puts_the_service_error_on_the_field_it_names_and_keeps_nothing():
    request, response, form = _post(GroupCreateView, "bad")
    assert response.status_code == 200
    assert form.errors == {"name": ["Not this name."]}
    assert not Group.objects.filter(name="bad").exists()
    assert list(get_messages(request)) == []


def test_it_puts_the_error_at_the_top_of_a_form_without_the_mixin():
    _request, response, form = _post(PlainView, "bad")
    assert response.status_code == 200
    assert form.non_field_errors() == ["Not this name."]
    assert not Group.objects.filter(name="bad").exists()
