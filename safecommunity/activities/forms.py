from django import forms
from django.utils.translation import gettext_lazy as _

from safecommunity.core.forms import DateInput, OrgUnitFormMixin
from safecommunity.core.models import CodeItem

from .models import Activity, Drill, EmergencyPlan, EmergencyTeam, Equipment, Meeting, TeamMember

TEXT = forms.Textarea(attrs={"rows": 3})


class UnitRecordForm(OrgUnitFormMixin, forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_org_unit(user)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()


class ActivityForm(UnitRecordForm):
    allow_district = True

    class Meta:
        model = Activity
        fields = ["org_unit", "kind", "title", "held_on", "audience", "participants", "organiser", "location",
                  "safety_area", "content"]
        widgets = {"content": TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["safety_area"].queryset = CodeItem.objects.of("safety_area").active()
        self.fields["org_unit"].help_text = _("District-level trainings are recorded for the district itself.")


class EmergencyPlanForm(UnitRecordForm):
    class Meta:
        model = EmergencyPlan
        fields = ["org_unit", "event_type", "title", "version", "approved_on", "approved_by", "summary"]
        widgets = {"summary": TEXT}


class EquipmentForm(UnitRecordForm):
    class Meta:
        model = Equipment
        fields = ["org_unit", "name", "category", "quantity", "location", "acquired_on", "last_checked_on",
                  "next_check_on", "retired_on", "notes"]
        widgets = {"notes": TEXT}


class EmergencyTeamForm(UnitRecordForm):
    class Meta:
        model = EmergencyTeam
        fields = ["org_unit", "name", "leader", "phone", "established_on", "duties"]
        widgets = {"duties": TEXT}


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "position", "phone", "skills"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class DrillForm(UnitRecordForm):
    class Meta:
        model = Drill
        fields = ["org_unit", "title", "event_type", "scenario", "held_on", "participants", "team", "evaluation",
                  "follow_up"]
        widgets = {"scenario": TEXT, "evaluation": TEXT, "follow_up": TEXT}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["team"].queryset = EmergencyTeam.objects.visible_to(user) if user else EmergencyTeam.objects.none()


class MeetingForm(UnitRecordForm):
    class Meta:
        model = Meeting
        fields = ["org_unit", "kind", "title", "held_on", "chair", "attendees", "minutes", "decisions"]
        widgets = {"attendees": TEXT, "minutes": forms.Textarea(attrs={"rows": 6}), "decisions": TEXT}
