"""Pages of the patrols app: points (register, QR sheet), the scan page a phone opens from a
point's QR code (its checklist), and the patrols recorded."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from safecommunity.core.pwa import is_outbox, outbox_done, outbox_errors
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    Flag,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)

from . import forms, pdf, permissions, selectors, services
from .filters import PatrolFilterSet, PointFilterSet
from .models import Patrol, PatrolPoint

READ_ROLES = permissions.view.roles


def point_breadcrumbs():
    return [(_("Patrol points"), reverse("patrols:point_list"))]


class PointListView(ScopedListView):
    model = PatrolPoint
    allowed_roles = READ_ROLES
    filterset_class = PointFilterSet
    title = gettext_lazy("Patrol points")
    select_related = ("org_unit__parent",)
    create_url_name = "patrols:point_create"
    create_roles = permissions.manage.roles
    template_name = "patrols/point_list.html"
    columns = [
        Column(gettext_lazy("Unit"), "org_unit.name"),
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Place"), "place"),
        Column(gettext_lazy("Patrol every (days)"), "every_days"),
        Column(gettext_lazy("Window"), lambda p: f"{p.window_start:%H:%M}–{p.window_end:%H:%M}"),
        Column(gettext_lazy("In use"), lambda p: _("Yes") if p.is_active else _("No")),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.select_related)


class PointFormView(ServiceFormView):
    allowed_roles = permissions.manage.roles
    form_class = forms.PointForm
    form_edits_object = True
    model = PatrolPoint

    def get_title(self):
        return _("Change patrol point") if self.object else _("New patrol point")

    def get_breadcrumbs(self):
        return point_breadcrumbs()

    def perform(self, form):
        return services.point_save(actor=self.request.user, point=self.object, **form.cleaned_data)


class PointDetailView(ScopedDetailView):
    model = PatrolPoint
    allowed_roles = READ_ROLES
    template_name = "patrols/point_detail.html"

    def get_breadcrumbs(self):
        return point_breadcrumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        point = self.object
        # An SVG we build from the QR matrix alone (no text of the user's in it).
        ctx["qr"] = mark_safe(pdf.qr_svg(self.request.build_absolute_uri(point.scan_url())))  # noqa: S308
        ctx["scan_url"] = self.request.build_absolute_uri(point.scan_url())
        ctx["patrols"] = point.patrols.select_related("patroller", "hazard")[:50]
        ctx["due"] = selectors.points_due(PatrolPoint.objects.filter(pk=point.pk))
        ctx["may_edit"] = permissions.manage(self.request.user, point)
        return ctx


class QRSheetView(RoleRequiredMixin, TemplateView):
    """The A4 PDF of the QR codes of the points in the list (its search applies), or of one."""

    allowed_roles = READ_ROLES

    def get(self, request, pk=None):
        qs = PatrolPoint.objects.visible_to(request.user).select_related("org_unit").filter(is_active=True)
        if pk is not None:
            qs = PatrolPoint.objects.visible_to(request.user).select_related("org_unit").filter(pk=pk)
            get_object_or_404(qs)
        else:
            qs = PointFilterSet(request.GET or None, queryset=qs, request=request).qs
        body = pdf.qr_sheet(qs[:600], lambda p: request.build_absolute_uri(p.scan_url()))
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="patrol-points.pdf"'
        return response


class ScanView(ServiceFormView):
    """What a phone opens from a point's QR code: the checklist; posting records the patrol
    with the time and the phone's location (queued on the phone without network)."""

    allowed_roles = permissions.patrol.roles
    form_class = forms.PatrolForm
    form_takes_user = False
    template_name = "patrols/scan.html"
    queryset = PatrolPoint.objects.select_related("org_unit")
    success_message = gettext_lazy("Patrol recorded.")

    def get_title(self):
        return _("Patrol: %(p)s") % {"p": self.object}

    def get_breadcrumbs(self):
        return point_breadcrumbs() + [(self.object.name, self.object.get_absolute_url())]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "point": self.object}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        ctx["point"] = self.object
        ctx["answer_fields"] = [form[f"item_{i}"] for i in range(len(form.items))]
        ctx["other_fields"] = [form[n] for n in ("note", "report_hazard", "safety_area", "grade", "photos")]
        return ctx

    def form_invalid(self, form):
        if is_outbox(self.request):
            return outbox_errors(form)
        return super().form_invalid(form)

    def perform(self, form):
        data = form.cleaned_data
        return services.patrol_record(
            actor=self.request.user, point=self.object, answers=form.answers(), note=data["note"],
            latitude=data["latitude"], longitude=data["longitude"], idempotency_key=data["idempotency_key"],
            report_hazard=data["report_hazard"], safety_area=data["safety_area"], grade=data["grade"],
            photos=data["photos"])

    def service_done(self, result):
        if is_outbox(self.request):
            return outbox_done(result.get_absolute_url(), str(result))
        return super().service_done(result)


def marks(p: Patrol):
    out = []
    if p.too_far:
        out.append(Flag(_("Too far (%(m)d m)") % {"m": p.distance_m}, "danger"))
    if p.outside_window:
        out.append(Flag(_("Outside the window"), "warning"))
    if p.no_location:
        out.append(Flag(_("No location"), "secondary"))
    return format_html(" ".join(["{}"] * len(out)), *out) if out else ""


class PatrolListView(ScopedListView):
    model = Patrol
    allowed_roles = READ_ROLES
    filterset_class = PatrolFilterSet
    title = gettext_lazy("Patrols")
    columns = [
        Column(gettext_lazy("Patrolled at"), lambda p: p.patrolled_at.strftime("%Y-%m-%d %H:%M"), link=True),
        Column(gettext_lazy("Unit"), "org_unit.name"),
        Column(gettext_lazy("Patrol point"), "point.name"),
        Column(gettext_lazy("Patrolled by"), "patroller"),
        Column(gettext_lazy("Problems"), "problems"),
        Column(gettext_lazy("Marks"), marks, export=False),
        Column(gettext_lazy("Hazard reported"), lambda p: p.hazard.number if p.hazard_id else ""),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("org_unit", "point", "patroller", "hazard")


class PatrolDetailView(ScopedDetailView):
    model = Patrol
    allowed_roles = READ_ROLES
    template_name = "patrols/patrol_detail.html"

    def get_breadcrumbs(self):
        return [(_("Patrols"), reverse("patrols:patrol_list"))]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["marks"] = marks(self.object)
        return ctx


class MissedView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = READ_ROLES
    template_name = "patrols/missed.html"
    title = gettext_lazy("Patrols due")

    def get_breadcrumbs(self):
        return point_breadcrumbs()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.points_due(PatrolPoint.objects.visible_to(self.request.user)
                                           .select_related("org_unit"))
        return ctx
