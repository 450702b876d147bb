from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from safecommunity.core.registry import panels_for
from safecommunity.core.views import (
    Column,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormView,
)

from . import permissions
from .filters import CreatingUnitFilterSet, DepartmentFilterSet, OrgUnitFilterSet
from .forms import CreatingUnitForm, OrgUnitCreateForm, OrgUnitForm
from .models import CreatingUnit, Department, OrgUnit
from .services import (
    DISTRICTS_GEOJSON,
    creating_unit_update,
    orgunit_create,
    orgunit_update,
)


def org_breadcrumbs(unit: OrgUnit, user, *, include_self=False) -> list[tuple[str, str]]:
    """The org unit's ancestors; a link only to those the user may open (a unit does not see 重庆市)."""
    crumbs = [(_("Org units"), reverse("orgunits:orgunit_list"))]
    chain = unit.ancestors() + ([unit] if include_self else [])
    visible = set(OrgUnit.objects.visible_to(user).filter(pk__in=[a.pk for a in chain]).values_list("pk", flat=True))
    return crumbs + [(a.name, a.get_absolute_url() if a.pk in visible else "") for a in chain]


class OrgUnitListView(ScopedListView):
    model = OrgUnit
    filterset_class = OrgUnitFilterSet
    create_url_name = "orgunits:orgunit_create"
    create_roles = permissions.admin.roles
    title = gettext_lazy("Org units")
    select_related = ("parent",)
    columns = [
        Column(gettext_lazy("Code"), "code", link=True),
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Level"), "get_level_display"),
        Column(gettext_lazy("Division type"), "get_division_type_display"),
        Column(gettext_lazy("Parent"), "parent.name"),
        Column(gettext_lazy("Active"), lambda u: _("Yes") if u.is_active else _("No")),
    ]


class OrgUnitDetailView(ScopedDetailView):
    model = OrgUnit
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "orgunits/orgunit_detail.html"

    def get_breadcrumbs(self):
        return org_breadcrumbs(self.object, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self.object
        user = self.request.user
        children = OrgUnit.objects.visible_to(user).filter(parent=unit).select_related("creating_unit")
        q = self.request.GET.get("q", "").strip()
        if q:
            children = children.filter(Q(name__icontains=q) | Q(code__startswith=q))
        ctx["q"] = q
        ctx["children_page"] = Paginator(children, 20).get_page(self.request.GET.get("page"))
        ctx["creating_unit"] = CreatingUnit.objects.visible_to(user).filter(org_unit=unit).first()
        if unit.level in (OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT):
            units = CreatingUnit.objects.visible_to(user).under(unit.path)
            ctx["status_counts"] = [
                (CreatingUnit.Status(row["status"]).label, row["n"])
                for row in units.values("status").annotate(n=Count("pk")).order_by("status")
            ]
            ctx["unit_total"] = units.count()
        ctx["can_edit_unit"] = ctx["creating_unit"] is not None and (
            permissions.creating_unit_edit(user)
        )
        ctx["can_edit_orgunit"] = permissions.admin(user)
        ctx["panels"] = panels_for("unit_panels", self.request, unit, ctx["creating_unit"])
        return ctx


class OrgUnitEditView(ScopedUpdateView):
    model = OrgUnit
    form_class = OrgUnitForm
    slug_field = "code"
    slug_url_kwarg = "code"
    allowed_roles = permissions.admin.roles

    def get_title(self):
        return _("Edit %(name)s") % {"name": self.object}

    def get_breadcrumbs(self):
        return org_breadcrumbs(self.object, self.request.user, include_self=True)

    def save_service(self, obj, form):
        return orgunit_update(unit=obj, actor=self.request.user)

    def get_success_url(self):
        return self.object.get_absolute_url()


class OrgUnitCreateView(ServiceFormView):
    """A system admin adds a division (with its creating unit, for a township)."""

    allowed_roles = permissions.admin.roles
    form_class = OrgUnitCreateForm
    title = gettext_lazy("New org unit")

    def get_breadcrumbs(self):
        return [(_("Org units"), reverse("orgunits:orgunit_list"))]

    def perform(self, form):
        return orgunit_create(actor=self.request.user, **form.cleaned_data)

    def get_success_message(self, result):
        return _("%(name)s added.") % {"name": result.name}


class CreatingUnitEditView(ScopedUpdateView):
    model = CreatingUnit
    form_class = CreatingUnitForm
    # a unit's own data (population, workforce, contacts): the offices and the unit itself,
    # in scope; the system administrator keeps the org-unit tree, not units' records
    allowed_roles = permissions.creating_unit_edit.roles

    def get_object(self, queryset=None):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(self.get_queryset().select_related("org_unit"), org_unit__code=self.kwargs["code"])

    def save_service(self, obj, form):
        return creating_unit_update(unit=obj, actor=self.request.user)

    def get_title(self):
        return _("Edit creating unit %(name)s") % {"name": self.object}

    def get_breadcrumbs(self):
        return org_breadcrumbs(self.object.org_unit, self.request.user, include_self=True)

    def get_success_url(self):
        return self.object.get_absolute_url()


class CreatingUnitListView(ScopedListView):
    model = CreatingUnit
    filterset_class = CreatingUnitFilterSet
    title = gettext_lazy("Creating units")
    select_related = ("org_unit", "org_unit__parent")
    columns = [
        Column(gettext_lazy("Code"), "org_unit.code", link=True),
        Column(gettext_lazy("Name"), "org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "org_unit.parent.name"),
        Column(gettext_lazy("Kind"), "get_kind_display"),
        Column(gettext_lazy("Creation status"), "get_status_display"),
        Column(gettext_lazy("Launch year"), "launch_year"),
        Column(gettext_lazy("Resident population"), "population"),
        Column(gettext_lazy("Workforce"), "workforce"),
    ]


class DepartmentListView(ScopedListView):
    model = Department
    filterset_class = DepartmentFilterSet
    title = gettext_lazy("Municipal departments")
    columns = [
        Column(gettext_lazy("Code"), "code", link=True),
        Column(gettext_lazy("Department"), "name", link=True),
        Column(gettext_lazy("Full name"), "full_name"),
        Column(gettext_lazy("Safety areas guided"), "safety_areas"),
        Column(gettext_lazy("Joint-meeting member"), lambda d: _("Yes") if d.is_joint_meeting_member else _("No")),
        Column(gettext_lazy("Duties"), "duties", css="small"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("safety_areas")


class DepartmentDetailView(ScopedDetailView):
    model = Department
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "orgunits/department_detail.html"

    def get_breadcrumbs(self):
        return [(_("Municipal departments"), reverse("orgunits:department_list"))]


@require_GET
@cache_control(max_age=86400, public=True)
def districts_geojson(request):
    """The district boundaries (public reference data), served by the app itself."""
    return FileResponse(open(DISTRICTS_GEOJSON, "rb"), content_type="application/geo+json")
