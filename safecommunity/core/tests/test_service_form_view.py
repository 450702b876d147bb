"""core.views.ServiceFormView, the one form → service page: the role first (403 before any
lookup), then the record in scope (404), the form with `user`, one service call whose
ValidationError or PermissionDenied lands on the form keeping what was entered."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from safecommunity.core.roles import OFFICES
from safecommunity.core.views import ServiceFormView
from safecommunity.orgunits.models import CreatingUnit

pytestmark = pytest.mark.django_db
CODE = "500103003"  # 解放碑街道, in district A


class NoteForm(forms.Form):
    note = forms.CharField()

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class NotePage(ServiceFormView):
    allowed_roles = OFFICES
    form_class = NoteForm
    model = CreatingUnit
    lookup_field = "org_unit__code"
    lookup_url_kwarg = "code"
    calls: list = []

    def perform(self, form):
        note = form.cleaned_data["note"]
        if note == "bad":
            raise ValidationError({"note": "Not this note."})
        if note == "deny":
            raise PermissionDenied("Not for you.")
        self.calls.append((self.object.org_unit.code, note, self.request.user.username))
        return "/done/"


def call(user, method="get", data=None, code=CODE):
    request = getattr(RequestFactory(), method)(f"/notes/{code}/", data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return NotePage.as_view()(request, code=code)


def test_a_wrong_role_is_refused_before_any_lookup(unit_a, tree):
    with pytest.raises(PermissionDenied):
        call(unit_a, code="no-such-unit")


def test_a_record_out_of_scope_is_a_404_naming_nothing(district_b, tree):
    with pytest.raises(Http404):
        call(district_b)


def test_anonymous_is_sent_to_sign_in(tree):
    response = call(AnonymousUser())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_record_in_scope_and_the_user_reach_the_form(district_a, tree):
    response = call(district_a)
    assert response.status_code == 200
    view = response.context_data["view"]
    assert view.object.org_unit.code == CODE and response.context_data["form"].user == district_a


@pytest.mark.parametrize("note, field, message", [("bad", "note", "Not this note."), ("deny", None, "Not for you.")])
def test_a_refusal_of_the_service_lands_on_the_form_keeping_the_input(district_a, tree, note, field, message):
    NotePage.calls = []
    response = call(district_a, "post", {"note": note})
    form = response.context_data["form"]
    assert response.status_code == 200 and form.errors.get(field if field else "__all__") == [message]
    assert form["note"].value() == note and NotePage.calls == []


def test_a_valid_form_calls_the_service_once_and_goes_where_it_says(district_a, tree):
    NotePage.calls = []
    response = call(district_a, "post", {"note": "ok"})
    assert response.status_code == 302 and response["Location"] == "/done/"
    assert NotePage.calls == [(CODE, "ok", district_a.username)]
