"""Pages of publicity/training events, emergency plans, equipment, teams, drills and meetings.

Each record type gets the same five pages (list with search and export, new, detail with
evidence files, edit, delete with confirmation), built from one table below.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from safecommunity.core.views import Column, RoleRequiredMixin, ScopedListView, get_visible_or_404
from safecommunity.records.views import (
    EvidenceUploadView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordUpdateView,
)

from . import filters, forms, permissions, services
from .models import Activity, Drill, EmergencyPlan, EmergencyTeam, Equipment, Meeting, TeamMember

READ_ROLES = permissions.view.roles
WRITE_ROLES = permissions.write.roles

UNIT = Column(gettext_lazy("Unit"), "org_unit.name")


class RecordType:
    """Everything the five pages of one record type need."""

    def __init__(self, *, model, base, prefix, form, filterset, title, new_title, columns, fields, element,
                 detail_template="records/record_detail.html", select_related=("org_unit",)):
        self.prefix = prefix
        self.model, self.base, self.form, self.filterset = model, base, form, filterset
        self.title, self.new_title, self.columns, self.fields = title, new_title, columns, fields
        self.element, self.detail_template, self.select_related = element, detail_template, select_related

    def crumbs(self):
        return [(self.title, reverse(f"activities:{self.base}_list"))]

    def views(self):
        rt = self

        class List(ScopedListView):
            model = rt.model
            filterset_class = rt.filterset
            allowed_roles = READ_ROLES
            title = rt.title
            select_related = rt.select_related
            create_url_name = f"activities:{rt.base}_create"
            create_roles = WRITE_ROLES
            columns = [*rt.columns, Column(gettext_lazy("Evidence files"), "n_files", css="text-center")]

            def get_base_queryset(self):
                qs = super().get_base_queryset()
                return qs.annotate(n_files=Count("evidence")).order_by(*qs.model._meta.ordering)

        class Create(RecordCreateView):
            model = rt.model
            form_class = rt.form
            title = rt.new_title

            def get_breadcrumbs(self):
                return rt.crumbs()

        class Update(RecordUpdateView):
            model = rt.model
            form_class = rt.form

            def get_breadcrumbs(self):
                return rt.crumbs() + [(str(self.object), self.object.get_absolute_url())]

        class Delete(RecordDeleteView):
            model = rt.model
            list_url_name = f"activities:{rt.base}_list"

            def get_breadcrumbs(self):
                return rt.crumbs()

        class Detail(RecordDetailView):
            model = rt.model
            template_name = rt.detail_template
            select_related = rt.select_related
            fields = rt.fields
            edit_url_name = f"activities:{rt.base}_edit"
            delete_url_name = f"activities:{rt.base}_delete"
            evidence_url_name = f"activities:{rt.base}_evidence"

            def get_breadcrumbs(self):
                return rt.crumbs()

            def get_context_data(self, **kwargs):
                ctx = super().get_context_data(**kwargs)
                if rt.model is EmergencyTeam:
                    ctx["members"] = self.object.members.all()
                    ctx["member_form"] = forms.TeamMemberForm()
                    ctx["drills"] = self.object.drills.all()[:20]
                return ctx

        class Evidence(EvidenceUploadView):
            model = rt.model
            element_code = rt.element

        return [
            path(f"{self.prefix}/", List.as_view(), name=f"{self.base}_list"),
            path(f"{self.prefix}/new/", Create.as_view(), name=f"{self.base}_create"),
            path(f"{self.prefix}/<int:pk>/", Detail.as_view(), name=f"{self.base}_detail"),
            path(f"{self.prefix}/<int:pk>/edit/", Update.as_view(), name=f"{self.base}_edit"),
            path(f"{self.prefix}/<int:pk>/delete/", Delete.as_view(), name=f"{self.base}_delete"),
            path(f"{self.prefix}/<int:pk>/files/", Evidence.as_view(), name=f"{self.base}_evidence"),
        ]


RECORD_TYPES = [
    RecordType(
        model=Activity, base="activity", prefix="events", form=forms.ActivityForm, filterset=filters.ActivityFilterSet,
        title=gettext_lazy("Publicity and training"), new_title=gettext_lazy("New publicity or training event"), element="E06",
        select_related=("org_unit", "safety_area"),
        columns=[Column(gettext_lazy("Title"), "title", link=True), UNIT, Column(gettext_lazy("Type"), "get_kind_display"),
                 Column(gettext_lazy("Date"), "held_on"), Column(gettext_lazy("Audience group"), "audience"),
                 Column(gettext_lazy("Participants"), "participants"), Column(gettext_lazy("Organiser"), "organiser")],
        fields=[(gettext_lazy("Unit"), "org_unit.name"), (gettext_lazy("Type"), "get_kind_display"), (gettext_lazy("Date"), "held_on"),
                (gettext_lazy("Audience group"), "audience"), (gettext_lazy("Participants"), "participants"),
                (gettext_lazy("Organiser"), "organiser"), (gettext_lazy("Location"), "location"), (gettext_lazy("Safety area"), "safety_area"),
                (gettext_lazy("Content"), "content")],
    ),
    RecordType(
        model=EmergencyPlan, base="plan", prefix="plans", form=forms.EmergencyPlanForm, filterset=filters.EmergencyPlanFilterSet,
        title=gettext_lazy("Emergency plans"), new_title=gettext_lazy("New emergency plan"), element="E07",
        columns=[Column(gettext_lazy("Title"), "title", link=True), UNIT, Column(gettext_lazy("Event type"), "get_event_type_display"),
                 Column(gettext_lazy("Version"), "version"), Column(gettext_lazy("Approval date"), "approved_on"),
                 Column(gettext_lazy("Approved by"), "approved_by")],
        fields=[(gettext_lazy("Unit"), "org_unit.name"), (gettext_lazy("Event type"), "get_event_type_display"),
                (gettext_lazy("Version"), "version"), (gettext_lazy("Approval date"), "approved_on"), (gettext_lazy("Approved by"), "approved_by"),
                (pgettext_lazy("emergency plan", "Summary"), "summary")],
    ),
    RecordType(
        model=Equipment, base="equipment", prefix="equipment", form=forms.EquipmentForm, filterset=filters.EquipmentFilterSet,
        title=gettext_lazy("Equipment and facilities"), new_title=gettext_lazy("New equipment or facility"), element="E07",
        columns=[Column(gettext_lazy("Name"), "name", link=True), UNIT, Column(gettext_lazy("Category"), "category"),
                 Column(gettext_lazy("Quantity"), "quantity"), Column(gettext_lazy("Location"), "location"),
                 Column(gettext_lazy("Last checked on"), "last_checked_on"), Column(gettext_lazy("Next check due"), "next_check_on"),
                 Column(gettext_lazy("Retired on"), "retired_on")],
        fields=[(gettext_lazy("Unit"), "org_unit.name"), (gettext_lazy("Category"), "category"), (gettext_lazy("Quantity"), "quantity"),
                (gettext_lazy("Location"), "location"), (gettext_lazy("Acquired on"), "acquired_on"),
                (gettext_lazy("Last checked on"), "last_checked_on"), (gettext_lazy("Next check due"), "next_check_on"),
                (gettext_lazy("Retired on"), "retired_on"), (gettext_lazy("Notes"), "notes")],
    ),
    RecordType(
        model=EmergencyTeam, base="team", prefix="teams", form=forms.EmergencyTeamForm, filterset=filters.EmergencyTeamFilterSet,
        title=gettext_lazy("Emergency teams"), new_title=gettext_lazy("New emergency team"), element="E07",
        detail_template="activities/team_detail.html",
        columns=[Column(gettext_lazy("Team name"), "name", link=True), UNIT, Column(gettext_lazy("Leader"), "leader"),
                 Column(gettext_lazy("Phone"), "phone"), Column(gettext_lazy("Established on"), "established_on")],
        fields=[(gettext_lazy("Unit"), "org_unit.name"), (gettext_lazy("Leader"), "leader"), (gettext_lazy("Phone"), "phone"),
                (gettext_lazy("Established on"), "established_on"), (gettext_lazy("Duties"), "duties")],
    ),
    RecordType(
        model=Drill, base="drill", prefix="drills", form=forms.DrillForm, filterset=filters.DrillFilterSet,
        title=gettext_lazy("Emergency drills"), new_title=gettext_lazy("New emergency drill"), element="E07",
        select_related=("org_unit", "team"),
        columns=[Column(gettext_lazy("Title"), "title", link=True), UNIT, Column(gettext_lazy("Event type"), "get_event_type_display"),
                 Column(gettext_lazy("Date"), "held_on"), Column(gettext_lazy("Participants"), "participants"), Column(gettext_lazy("Team"), "team")],
        fields=[(gettext_lazy("Unit"), "org_unit.name"), (gettext_lazy("Event type"), "get_event_type_display"),
                (gettext_lazy("Scenario"), "scenario"), (gettext_lazy("Date"), "held_on"), (gettext_lazy("Participants"), "participants"),
                (gettext_lazy("Team"), "team"), (pgettext_lazy("drill", "Evaluation"), "evaluation"), (gettext_lazy("Follow-up actions"), "follow_up")],
    ),
    RecordType(
        model=Meeting, base="meeting", prefix="meetings", form=forms.MeetingForm, filterset=filters.MeetingFilterSet,
        title=gettext_lazy("Creation meetings"), new_title=gettext_lazy("New meeting"), element="E12",
        columns=[Column(gettext_lazy("Title"), "title", link=True), UNIT, Column(gettext_lazy("Kind"), "get_kind_display"),
                 Column(gettext_lazy("Date"), "held_on"), Column(gettext_lazy("Chaired by"), "chair")],
        fields=[(gettext_lazy("Unit"), "org_unit.name"), (gettext_lazy("Kind"), "get_kind_display"), (gettext_lazy("Date"), "held_on"),
                (gettext_lazy("Chaired by"), "chair"), (gettext_lazy("Attendees"), "attendees"), (gettext_lazy("Minutes"), "minutes"),
                (gettext_lazy("Decisions"), "decisions")],
    ),
]


class TeamMemberAddView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def post(self, request, pk):
        team = get_visible_or_404(request.user, EmergencyTeam, pk=pk)
        form = forms.TeamMemberForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}")
            return HttpResponseRedirect(team.get_absolute_url())
        member = form.save(commit=False)
        member.team = team
        try:
            services.member_save(member=member, actor=request.user)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        else:
            messages.success(request, _("Member added."))
        return HttpResponseRedirect(team.get_absolute_url())


class TeamMemberRemoveView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def post(self, request, pk):
        member = get_visible_or_404(request.user, TeamMember.objects.select_related("team"), pk=pk)
        services.member_remove(member=member, actor=request.user)
        messages.success(request, _("Member removed."))
        return HttpResponseRedirect(member.team.get_absolute_url())
