"""Pages of the joint-meeting system: members, meetings and their follow-up items."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView

from safecommunity.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
)

from . import permissions, services
from .filters import (
    FollowUpFilterSet,
    MeetingFilterSet,
    MemberFilterSet,
)
from .forms import (
    FollowUpDoneForm,
    FollowUpForm,
    MeetingForm,
    MemberForm,
)
from .models import (
    FollowUp,
    JointMeeting,
    JointMeetingMember,
)
from .views import FOLLOW_UP_READERS, OFFICES

# --- Joint-meeting system ---------------------------------------------------------------------------


def meeting_breadcrumbs():
    return [(_("Joint meetings"), reverse("creation:meeting_list"))]


class MemberListView(ScopedListView):
    model = JointMeetingMember
    allowed_roles = OFFICES
    filterset_class = MemberFilterSet
    title = gettext_lazy("Joint-meeting members")
    select_related = ("org_unit", "department")
    create_url_name = "creation:member_create"
    create_roles = OFFICES
    template_name = "creation/member_list.html"
    columns = [
        Column(gettext_lazy("Member unit"), "name", link=lambda m: reverse("creation:member_edit", args=[m.pk])),
        Column(gettext_lazy("Meeting of"), "org_unit.name"),
        Column(gettext_lazy("Municipal department"), "department"),
        Column(gettext_lazy("Lead unit"), lambda m: _("Yes") if m.is_lead else ""),
        Column(gettext_lazy("Contact person"), "contact_person"),
        Column(gettext_lazy("Contact phone"), "contact_phone"),
        Column(gettext_lazy("Active"), lambda m: _("Yes") if m.is_active else _("No")),
    ]


class MemberFormView(ServiceFormView):
    allowed_roles = OFFICES
    form_class = MemberForm
    title = gettext_lazy("New joint-meeting member")
    form_edits_object = True
    model = JointMeetingMember

    def get_breadcrumbs(self):
        return meeting_breadcrumbs() + [(_("Joint-meeting members"), reverse("creation:member_list"))]

    def perform(self, form):
        data = dict(form.cleaned_data)
        if self.object is not None:
            data["org_unit"] = self.object.org_unit
        return services.member_save(actor=self.request.user, member=self.object, **data)

    def get_success_url_for(self, result):
        return reverse("creation:member_list")


class MemberEditView(MemberFormView):
    def get_title(self):
        return str(self.object)


class MembersFromDepartmentsView(RoleRequiredMixin, TemplateView):
    """POST: add the municipal departments marked as joint-meeting members to the user's meeting."""

    allowed_roles = OFFICES  # a district office is told why not (the service's answer); the button: members_sync
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        org_unit = request.user.org_unit
        try:
            n = services.members_from_departments(actor=request.user, org_unit=org_unit)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s department(s) added.") % {"n": n})
        return redirect("creation:member_list")


class MeetingListView(ScopedListView):
    model = JointMeeting
    allowed_roles = OFFICES
    filterset_class = MeetingFilterSet
    title = gettext_lazy("Joint meetings")
    select_related = ("org_unit", "minutes")
    create_url_name = "creation:meeting_create"
    create_roles = OFFICES
    columns = [
        Column(gettext_lazy("Held on"), "held_on"),
        Column(gettext_lazy("Title"), "title", link=True),
        Column(gettext_lazy("Meeting of"), "org_unit.name"),
        Column(gettext_lazy("Chaired by"), "chair"),
        Column(gettext_lazy("Member units attending"), "attendees"),
        Column(gettext_lazy("Minutes"), lambda m: _("Yes") if m.minutes_id else _("No")),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("attendees")


class MeetingDetailView(ScopedDetailView):
    model = JointMeeting
    allowed_roles = OFFICES
    template_name = "creation/meeting_detail.html"
    select_related = ("org_unit", "minutes")

    def get_breadcrumbs(self):
        return meeting_breadcrumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        meeting = self.object
        ctx["decisions"] = meeting.decisions.prefetch_related("follow_ups__owner")
        ctx["attendees"] = meeting.attendees.all()
        ctx["followup_form"] = FollowUpForm(user=self.request.user, meeting=meeting)
        ctx["done_form"] = FollowUpDoneForm(user=self.request.user)
        ctx["today"] = timezone.localdate()
        return ctx


class MeetingFormView(ServiceFormView):
    allowed_roles = OFFICES
    form_class = MeetingForm
    title = gettext_lazy("New joint meeting")
    form_edits_object = True
    model = JointMeeting

    def get_breadcrumbs(self):
        return meeting_breadcrumbs()

    def perform(self, form):
        data = dict(form.cleaned_data)
        uploaded = data.pop("minutes_file")
        if self.object is not None:
            data["org_unit"] = self.object.org_unit
        return services.meeting_save(actor=self.request.user, meeting=self.object, uploaded=uploaded, **data)


class MeetingEditView(MeetingFormView):
    def get_title(self):
        return _("Edit %(meeting)s") % {"meeting": self.object}


class FollowUpCreateView(ServiceFormView):
    allowed_roles = OFFICES
    form_class = FollowUpForm
    title = gettext_lazy("New follow-up item")

    def load(self, request, *args, **kwargs):
        self.meeting = get_visible_or_404(request.user, JointMeeting, pk=kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["meeting"] = self.meeting
        return kwargs

    def get_breadcrumbs(self):
        return meeting_breadcrumbs() + [(str(self.meeting), self.meeting.get_absolute_url())]

    def perform(self, form):
        return services.follow_up_create(actor=self.request.user, **form.cleaned_data)


class FollowUpListView(ScopedListView):
    model = FollowUp
    allowed_roles = FOLLOW_UP_READERS
    filterset_class = FollowUpFilterSet
    title = gettext_lazy("Follow-up items")
    select_related = ("decision__meeting__org_unit", "owner")
    template_name = "creation/followup_list.html"
    columns = [
        Column(gettext_lazy("Task"), "task"),
        Column(gettext_lazy("Meeting"), "decision.meeting.title",
               link=lambda f: f.get_absolute_url() if f.decision else ""),
        Column(pgettext_lazy("meeting", "Decision"), lambda f: f.decision.text, css="small"),
        Column(gettext_lazy("Owner"), "owner_label"),
        Column(pgettext_lazy("follow-up", "Due on"), "due_on"),
        Column(gettext_lazy("Status"), "get_status_display"),
        Column(gettext_lazy("Done on"), "done_on"),
        Column(pgettext_lazy("follow-up", "Result"), "result", css="small"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        ctx["done_form"] = FollowUpDoneForm(user=self.request.user)
        return ctx


class FollowUpDoneView(ServiceFormView):
    allowed_roles = FOLLOW_UP_READERS
    form_class = FollowUpDoneForm
    title = pgettext_lazy("follow-up", "Mark done")

    def load(self, request, *args, **kwargs):
        self.item = get_visible_or_404(request.user, FollowUp.objects.select_related("decision__meeting"),
                                       pk=kwargs["pk"])

    def get_breadcrumbs(self):
        return [(_("Follow-up items"), reverse("creation:followup_list"))]

    def get_title(self):
        return _("Mark done: %(task)s") % {"task": self.item}

    def perform(self, form):
        return services.follow_up_complete(actor=self.request.user, item=self.item, **form.cleaned_data)

    def get_success_url_for(self, result):
        nxt = self.request.POST.get("next", "")
        return nxt if nxt.startswith("/creation/") else reverse("creation:followup_list")


class FollowUpReopenView(RoleRequiredMixin, TemplateView):
    allowed_roles = permissions.follow_up_reopen.roles
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        item = get_visible_or_404(request.user, FollowUp, pk=kwargs["pk"])
        try:
            services.follow_up_reopen(actor=request.user, item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Reopened."))
        return redirect("creation:followup_list")
