"""Pages of publicity/training events, emergency plans, equipment, teams, drills and meetings.

Each record type gets the same five pages (list with search and export, new, detail with
evidence files, edit, delete with confirmation), built from one table below.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from safecommunity.core.views import Column, RoleRequiredMixin, ScopedListView
from safecommunity.projects.records import (
    READ_ROLES,
    WRITE_ROLES,
    EvidenceUploadView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordUpdateView,
)

from . import filters, forms, services
from .models import Activity, Drill, EmergencyPlan, EmergencyTeam, Equipment, Meeting, TeamMember

L = gettext_lazy
UNIT = Column(L("Unit"), "org_unit.name")


class RecordType:
    """Everything the five pages of one record type need."""

    def __init__(self, *, model, base, prefix, form, filterset, title, new_title, columns, fields, element,
                 detail_template="projects/record_detail.html", select_related=("org_unit",)):
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
            columns = rt.columns

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
        title=L("Publicity and training"), new_title=L("New publicity or training event"), element="E06",
        select_related=("org_unit", "safety_area"),
        columns=[Column(L("Title"), "title", link=True), UNIT, Column(L("Type"), "get_kind_display"),
                 Column(L("Date"), "held_on"), Column(L("Audience group"), "audience"),
                 Column(L("Participants"), "participants"), Column(L("Organiser"), "organiser")],
        fields=[(L("Unit"), "org_unit.name"), (L("Type"), "get_kind_display"), (L("Date"), "held_on"),
                (L("Audience group"), "audience"), (L("Participants"), "participants"),
                (L("Organiser"), "organiser"), (L("Location"), "location"), (L("Safety area"), "safety_area"),
                (L("Content"), "content")],
    ),
    RecordType(
        model=EmergencyPlan, base="plan", prefix="plans", form=forms.EmergencyPlanForm, filterset=filters.EmergencyPlanFilterSet,
        title=L("Emergency plans"), new_title=L("New emergency plan"), element="E07",
        columns=[Column(L("Title"), "title", link=True), UNIT, Column(L("Event type"), "get_event_type_display"),
                 Column(L("Version"), "version"), Column(L("Approval date"), "approved_on"),
                 Column(L("Approved by"), "approved_by")],
        fields=[(L("Unit"), "org_unit.name"), (L("Event type"), "get_event_type_display"),
                (L("Version"), "version"), (L("Approval date"), "approved_on"), (L("Approved by"), "approved_by"),
                (L("Summary"), "summary")],
    ),
    RecordType(
        model=Equipment, base="equipment", prefix="equipment", form=forms.EquipmentForm, filterset=filters.EquipmentFilterSet,
        title=L("Equipment and facilities"), new_title=L("New equipment or facility"), element="E07",
        columns=[Column(L("Name"), "name", link=True), UNIT, Column(L("Category"), "category"),
                 Column(L("Quantity"), "quantity"), Column(L("Location"), "location"),
                 Column(L("Last checked on"), "last_checked_on"), Column(L("Next check due"), "next_check_on"),
                 Column(L("Retired on"), "retired_on")],
        fields=[(L("Unit"), "org_unit.name"), (L("Category"), "category"), (L("Quantity"), "quantity"),
                (L("Location"), "location"), (L("Acquired on"), "acquired_on"),
                (L("Last checked on"), "last_checked_on"), (L("Next check due"), "next_check_on"),
                (L("Retired on"), "retired_on"), (L("Notes"), "notes")],
    ),
    RecordType(
        model=EmergencyTeam, base="team", prefix="teams", form=forms.EmergencyTeamForm, filterset=filters.EmergencyTeamFilterSet,
        title=L("Emergency teams"), new_title=L("New emergency team"), element="E07",
        detail_template="activities/team_detail.html",
        columns=[Column(L("Team name"), "name", link=True), UNIT, Column(L("Leader"), "leader"),
                 Column(L("Phone"), "phone"), Column(L("Established on"), "established_on")],
        fields=[(L("Unit"), "org_unit.name"), (L("Leader"), "leader"), (L("Phone"), "phone"),
                (L("Established on"), "established_on"), (L("Duties"), "duties")],
    ),
    RecordType(
        model=Drill, base="drill", prefix="drills", form=forms.DrillForm, filterset=filters.DrillFilterSet,
        title=L("Emergency drills"), new_title=L("New emergency drill"), element="E07",
        select_related=("org_unit", "team"),
        columns=[Column(L("Title"), "title", link=True), UNIT, Column(L("Event type"), "get_event_type_display"),
                 Column(L("Date"), "held_on"), Column(L("Participants"), "participants"), Column(L("Team"), "team")],
        fields=[(L("Unit"), "org_unit.name"), (L("Event type"), "get_event_type_display"),
                (L("Scenario"), "scenario"), (L("Date"), "held_on"), (L("Participants"), "participants"),
                (L("Team"), "team"), (L("Evaluation"), "evaluation"), (L("Follow-up actions"), "follow_up")],
    ),
    RecordType(
        model=Meeting, base="meeting", prefix="meetings", form=forms.MeetingForm, filterset=filters.MeetingFilterSet,
        title=L("Creation meetings"), new_title=L("New meeting"), element="E12",
        columns=[Column(L("Title"), "title", link=True), UNIT, Column(L("Kind"), "get_kind_display"),
                 Column(L("Date"), "held_on"), Column(L("Chaired by"), "chair")],
        fields=[(L("Unit"), "org_unit.name"), (L("Kind"), "get_kind_display"), (L("Date"), "held_on"),
                (L("Chaired by"), "chair"), (L("Attendees"), "attendees"), (L("Minutes"), "minutes"),
                (L("Decisions"), "decisions")],
    ),
]


class TeamMemberAddView(RoleRequiredMixin, View):
    allowed_roles = WRITE_ROLES

    def post(self, request, pk):
        team = get_object_or_404(EmergencyTeam.objects.visible_to(request.user), pk=pk)
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
        member = get_object_or_404(TeamMember.objects.visible_to(request.user).select_related("team"), pk=pk)
        services.member_remove(member=member, actor=request.user)
        messages.success(request, _("Member removed."))
        return HttpResponseRedirect(member.team.get_absolute_url())
