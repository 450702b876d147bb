"""A user's notification settings: channels besides the bell, and quiet hours."""

from django import forms
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .notifications import channels, preference
from .services import notification_preference_set
from .views import ServiceFormView


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(label=gettext_lazy("Also send my notifications by"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    quiet_start = forms.TimeField(label=gettext_lazy("Quiet from"), required=False, widget=TimeInput())
    quiet_end = forms.TimeField(label=gettext_lazy("Quiet until"), required=False, widget=TimeInput(),
                                help_text=gettext_lazy("Nothing is sent outside the product in these hours; "
                                                       "it is sent when they end."))
    urgent_in_quiet_hours = forms.BooleanField(label=gettext_lazy("Urgent notices even in quiet hours"),
                                               required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = [(c.key, c.label) for c in channels().values()]


class NotificationSettingsView(ServiceFormView):
    form_class = PreferenceForm
    template_name = "core/notification_settings.html"
    title = gettext_lazy("Notification settings")
    success_url = reverse_lazy("core:notification_settings")

    def get_breadcrumbs(self):
        return [(_("Notifications"), reverse("accounts:notifications"))]

    def get_initial(self):
        p = preference(self.request.user)
        return {"channels": p.channels, "quiet_start": p.quiet_start, "quiet_end": p.quiet_end,
                "urgent_in_quiet_hours": p.urgent_in_quiet_hours}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["unavailable"] = [c.label for c in channels().values() if not c.available_for(self.request.user)]
        return ctx

    def perform(self, form):
        return notification_preference_set(actor=self.request.user, **form.cleaned_data)
