import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safecommunity.core.roles import Role

from .models import User


class UserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=50, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    code = forms.CharField(
        label=_("Unit or department code"), max_length=20,
        help_text=_("500000 for the city office, experts and system admins; a district code such as 500103; "
                    "a township code such as 500103001; a department code such as GA."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, required=False,
                                help_text=_("At least 10 characters, not all digits, not a common password. "
                                            "Leave empty to keep the current password."))
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, required=False)

    def __init__(self, *args, user=None, instance: User | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            # The user's stored values under whatever the view passes (FormView always passes an
            # `initial`, empty): the page shows them, and the disabled username keeps its value.
            kwargs["initial"] = {
                "username": instance.username, "full_name": instance.full_name, "role": instance.role,
                "code": instance.department.code if instance.department_id else getattr(instance.org_unit, "code", ""),
                "phone": instance.phone, "is_active": instance.is_active, **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if self.instance is None and User.objects.filter(username=username).exists():
            raise ValidationError(_("This username is taken."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, qs, name, value):
        return qs.filter(
            Q(username__icontains=value) | Q(full_name__icontains=value) | Q(org_unit__name__icontains=value)
            | Q(org_unit__code__startswith=value) | Q(department__name__icontains=value)
        )
