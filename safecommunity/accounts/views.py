import django_filters
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from axes.models import AccessAttempt, AccessLog
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from safecommunity.core.models import Notification
from safecommunity.core.scoping import reads_whole
from safecommunity.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceFormView,
)

from . import permissions, services
from .forms import UserFilterSet, UserForm
from .models import User

ADMIN_ROLES = permissions.ADMIN_ROLES
AUDIT_ROLES = permissions.AUDIT_ROLES


class UserListView(ScopedListView):
    model = User
    allowed_roles = permissions.users.roles
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


class UserFormView(ServiceFormView):
    allowed_roles = ADMIN_ROLES
    form_class = UserForm
    model = User
    form_edits_object = True
    service_fields = {"org_unit": "code", "department": "code", "password": "password1"}
    success_url = reverse_lazy("accounts:user_list")

    def get_breadcrumbs(self):
        return [(_("Users"), reverse("accounts:user_list"))]

    def perform(self, form):
        data = form.cleaned_data
        user, _created = services.user_upsert(
            username=self.object.username if self.object else data["username"], role=data["role"],
            code=data["code"].strip(), password=data.get("password1") or None, full_name=data["full_name"],
            phone=data["phone"], is_active=data["is_active"], actor=self.request.user,
        )
        return user

    def get_success_message(self, result) -> str:
        return _("User %(name)s saved.") % {"name": result.username}


class UserCreateView(UserFormView):
    title = gettext_lazy("New user")


class UserEditView(UserFormView):
    def get_title(self):
        return _("Edit user %(name)s") % {"name": self.object.username}


class LogEntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Record or user"), method="search")
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=LogEntry.Action.choices)
    content_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Record type"), queryset=ContentType.objects.none(),
    )
    date_from = django_filters.DateFilter(label=gettext_lazy("From"), field_name="timestamp", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=gettext_lazy("To"), field_name="timestamp", lookup_expr="date__lte")

    class Meta:
        model = LogEntry
        fields = ["q", "action", "content_type", "date_from", "date_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["content_type"].queryset = readable_content_types(request.user)
        self.form.fields["content_type"].label_from_instance = record_type

    def search(self, qs, name, value):
        return qs.filter(Q(object_repr__icontains=value) | Q(actor__username__icontains=value))


def audited_models() -> list:
    """The product's models whose changes django-auditlog records (every model it registered,
    the framework's own — auth, sessions — aside). A new app's models appear here by themselves."""
    return [m for m in auditlog.get_models() if m.__module__.startswith("safecommunity.")]


def readable_content_types(user):
    """The record types whose history `user` reads: those whose every row the user reads by the
    scoping rule (core.scoping.reads_whole). The city office: all; the system administrator:
    accounts, the org-unit registers, code lists and other settings — never a unit's records
    (hazards, reports, injuries, surveys, inspections…)."""
    by_app: dict[str, list[str]] = {}
    for model in audited_models():
        if reads_whole(user, model):
            by_app.setdefault(model._meta.app_label, []).append(model._meta.model_name)
    readable = Q(pk__in=[])
    for app_label, names in by_app.items():
        readable |= Q(app_label=app_label, model__in=names)
    return ContentType.objects.filter(readable).order_by("app_label", "model")


class LogEntryQueryMixin:
    def get_base_queryset(self):
        return (LogEntry.objects.filter(content_type__in=readable_content_types(self.request.user))
                .select_related("actor", "content_type").order_by("-timestamp"))


ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("Accessed"),
}


def record_type(content_type) -> str:
    """The record type in the reader's language: the model's verbose name."""
    model = content_type.model_class() if content_type else None
    return str(model._meta.verbose_name) if model is not None else (content_type.name if content_type else "")


def _value(field, raw, user) -> str:
    """One logged value as a reader sees it: a choice's label, 是/否, a related record's name when
    the reader may see it (else its number only), "—" for nothing."""
    if raw in (None, "None", ""):
        return "—"
    if field is None:
        return str(raw)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(raw, dict((str(k), v) for k, v in field.flatchoices).get(str(raw), raw)))
    if field.get_internal_type() == "DateTimeField":
        moment = parse_datetime(str(raw))
        if moment is not None:
            moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            return moment.strftime("%Y-%m-%d %H:%M")
    if field.get_internal_type() == "BooleanField":
        return str(_("Yes") if str(raw) == "True" else _("No"))
    if field.many_to_one or field.one_to_one:
        related = field.related_model._default_manager
        try:
            visible = related.visible_to(user) if hasattr(related.all(), "visible_to") else related.all()
            obj = visible.filter(pk=field.related_model._meta.pk.to_python(raw)).first()
        except (ValueError, ValidationError):
            obj = None
        return str(obj) if obj is not None else f"#{raw}"
    return str(raw)


def _changes(entry, user=None) -> str:
    """Before → after per field, with the fields' verbose names and human values."""
    model = entry.content_type.model_class() if entry.content_type else None
    parts = []
    for name, values in list((entry.changes_dict or {}).items())[:12]:
        if not (isinstance(values, (list, tuple)) and len(values) == 2):
            continue
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and (field.auto_created or not field.concrete):
                continue  # the id, reverse relations ("hazards.HazardStep.None"): nothing a reader can use
        label = str(getattr(field, "verbose_name", name)) if field is not None else name
        before, after = (_value(field, v, user) for v in values)
        parts.append(f"{label}: {before} → {after}")
    return "；".join(parts)


class AuditLogListView(LogEntryQueryMixin, ScopedListView):
    """Every change to every record: who, when, what, before → after (django-auditlog)."""

    allowed_roles = AUDIT_ROLES
    model = LogEntry
    filterset_class = LogEntryFilterSet
    title = gettext_lazy("Audit trail")

    def get_columns(self):
        user = self.request.user
        return [
            Column(gettext_lazy("Time"), "timestamp"),
            Column(gettext_lazy("User"), lambda e: e.actor or _("system")),
            Column(gettext_lazy("Action"), lambda e: ACTION_LABELS.get(e.action, e.get_action_display())),
            Column(gettext_lazy("Record type"), lambda e: record_type(e.content_type)),
            Column(gettext_lazy("Record"), "object_repr"),
            Column(gettext_lazy("Changes (before → after)"), lambda e: _changes(e, user), css="small text-break"),
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
        ctx["can_unlock"] = permissions.user_admin(self.request.user)
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
