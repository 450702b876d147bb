import django_filters
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from safecommunity.core.models import Notification
from safecommunity.core.roles import Role
from safecommunity.core.views import BreadcrumbMixin, Column, RoleRequiredMixin, ScopedListView

from .forms import UserFilterSet, UserForm
from .models import User

ADMIN_ROLES = {Role.SYSADMIN}
AUDIT_ROLES = {Role.SYSADMIN, Role.CITY}


class UserListView(ScopedListView):
    model = User
    allowed_roles = ADMIN_ROLES | {Role.CITY}
    filterset_class = UserFilterSet
    title = gettext_lazy("Users")
    select_related = ("org_unit", "department")
    create_url_name = "accounts:user_create"
    create_roles = ADMIN_ROLES
    columns = [
        Column(gettext_lazy("Username"), "username", link=True),
        Column(gettext_lazy("Full name"), "full_name"),
        Column(gettext_lazy("Role"), "get_role_display"),
        Column(gettext_lazy("Unit"), "unit_label"),
        Column(gettext_lazy("Phone"), "phone"),
        Column(gettext_lazy("Active"), lambda u: _("Yes") if u.is_active else _("No")),
        Column(gettext_lazy("Last login"), "last_login"),
        Column(gettext_lazy("Account security"), lambda u: _("Tokens and second factor"), export=False,
               link=lambda u: reverse("security:user", args=[u.pk])),
    ]


class UserFormView(RoleRequiredMixin, BreadcrumbMixin, FormView):
    allowed_roles = ADMIN_ROLES
    form_class = UserForm
    template_name = "core/form.html"
    instance = None

    def get_breadcrumbs(self):
        return [(_("Users"), reverse("accounts:user_list"))]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.instance
        return kwargs

    def form_valid(self, form):
        try:
            user = form.save()
        except ValidationError:
            return self.form_invalid(form)
        messages.success(self.request, _("User %(name)s saved.") % {"name": user.username})
        return redirect("accounts:user_list")


class UserCreateView(UserFormView):
    title = gettext_lazy("New user")


class UserEditView(UserFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.instance = get_object_or_404(User.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_title(self):
        return _("Edit user %(name)s") % {"name": self.instance.username}


class LogEntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Record or user"), method="search")
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=LogEntry.Action.choices)
    content_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Record type"),
        queryset=ContentType.objects.filter(app_label__in=["accounts", "orgunits", "core", "creation", "injuries",
                                                           "hazards", "projects", "activities", "reports",
                                                           "archive", "evaluation", "scorecard"]),
    )
    date_from = django_filters.DateFilter(label=gettext_lazy("From"), field_name="timestamp", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=gettext_lazy("To"), field_name="timestamp", lookup_expr="date__lte")

    class Meta:
        model = LogEntry
        fields = ["q", "action", "content_type", "date_from", "date_to"]

    def search(self, qs, name, value):
        return qs.filter(Q(object_repr__icontains=value) | Q(actor__username__icontains=value))


class LogEntryQueryMixin:
    def get_base_queryset(self):
        return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")


ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("Accessed"),
}


def _changes(entry) -> str:
    """Before → after per field, with the fields' verbose names and choice labels."""
    try:
        changes = entry.changes_display_dict or {}
    except Exception:  # noqa: BLE001 - a model removed since: fall back to raw field names
        changes = entry.changes_dict or {}
    parts = []
    for field, values in list(changes.items())[:12]:
        if isinstance(values, (list, tuple)) and len(values) == 2:
            before, after = ("—" if v in (None, "None", "") else v for v in values)
            parts.append(f"{field}: {before} → {after}")
    return "；".join(parts)


class AuditLogListView(LogEntryQueryMixin, ScopedListView):
    """Every change to every record: who, when, what, before → after (django-auditlog)."""

    allowed_roles = AUDIT_ROLES
    model = LogEntry
    filterset_class = LogEntryFilterSet
    title = gettext_lazy("Audit trail")
    columns = [
        Column(gettext_lazy("Time"), "timestamp"),
        Column(gettext_lazy("User"), lambda e: e.actor or _("system")),
        Column(gettext_lazy("Action"), lambda e: ACTION_LABELS.get(e.action, e.get_action_display())),
        Column(gettext_lazy("Record type"), lambda e: e.content_type.name if e.content_type else ""),
        Column(gettext_lazy("Record"), "object_repr"),
        Column(gettext_lazy("Changes (before → after)"), _changes, css="small text-break"),
        Column(gettext_lazy("IP address"), "remote_addr"),
    ]


class LoginLogFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label=gettext_lazy("Username"), lookup_expr="icontains")

    class Meta:
        model = AccessLog
        fields = ["username"]


class LoginLogListView(ScopedListView):
    allowed_roles = AUDIT_ROLES
    model = AccessLog
    filterset_class = LoginLogFilterSet
    title = gettext_lazy("Login log")
    template_name = "accounts/login_log.html"
    columns = [
        Column(gettext_lazy("Username"), "username"),
        Column(gettext_lazy("Signed in at"), "attempt_time"),
        Column(gettext_lazy("Signed out at"), "logout_time"),
        Column(gettext_lazy("IP address"), "ip_address"),
        Column(gettext_lazy("Browser"), "user_agent", css="small"),
    ]

    def get_base_queryset(self):
        return AccessLog.objects.order_by("-attempt_time")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["failures"] = AccessAttempt.objects.order_by("-attempt_time")[:50]
        ctx["can_unlock"] = self.request.user.is_superuser or self.request.user.role == Role.SYSADMIN
        return ctx


class UnlockView(RoleRequiredMixin, View):
    allowed_roles = ADMIN_ROLES

    def post(self, request):
        username = request.POST.get("username", "")
        count = axes_reset(username=username) if username else 0
        messages.success(request, _("Unlocked %(name)s (%(n)d failed attempts cleared).") % {"name": username, "n": count})
        return redirect("accounts:login_log")


class NotificationListView(ScopedListView):
    model = Notification
    title = gettext_lazy("Notifications")
    template_name = "accounts/notifications.html"

    def get_base_queryset(self):
        return Notification.objects.filter(user=self.request.user)


class NotificationReadView(RoleRequiredMixin, View):
    def post(self, request, pk=None):
        qs = Notification.objects.filter(user=request.user, is_read=False)
        if pk is not None:
            note = get_object_or_404(Notification, pk=pk, user=request.user)
            note.is_read = True
            note.save(update_fields=["is_read"])
            return redirect(note.url or reverse_lazy("accounts:notifications"))
        qs.update(is_read=True)
        return redirect("accounts:notifications")
