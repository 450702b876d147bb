"""Generic views every app builds on. Each fetches through `Model.objects.visible_to(user)`,
so that a record out of the user's scope answers 404 and a wrong role answers 403.

A list page is a `ScopedListView` with a FilterSet (search form above the table), `columns`
(the table and its Excel export), a toolbar (新增 / 导入 / 导出) and pagination with page size.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import ProtectedError, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, DetailView, FormView, ListView, UpdateView

from .excel import xlsx_response
from .permissions import may_open_url as role_may_open  # a link is shown when its view admits the user


@dataclass
class Column:
    """One column of a list table and of its Excel export.

    `accessor` is a dotted attribute path ("parent.name", "get_status_display") or a callable
    taking the object. `link` is True for the object's get_absolute_url, or a callable.
    """

    label: str
    accessor: str | Callable[[Any], Any]
    link: bool | Callable[[Any], str] = False
    export: bool = True
    css: str = ""

    def value(self, obj):
        if callable(self.accessor):
            return self.accessor(obj)
        value = obj
        for part in self.accessor.split("."):
            value = getattr(value, part, None)
            if value is None:
                return ""
            if callable(value) and not hasattr(value, "all"):
                value = value()
        if hasattr(value, "all"):  # a many-to-many manager
            return "、".join(str(v) for v in value.all())
        return value

    def url(self, obj) -> str:
        if self.link is True:
            return obj.get_absolute_url()
        if callable(self.link):
            return self.link(obj)
        return ""

    def url_for(self, obj, user) -> str:
        """The link as `user` sees it: none where the linked page's role check would refuse them."""
        url = self.url(obj)
        return url if url and role_may_open(user, url) else ""


class RoleRequiredMixin(LoginRequiredMixin):
    """`allowed_roles`: the roles that may open the view (None: every signed-in role). Else 403."""

    allowed_roles: set[str] | frozenset[str] | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.allowed_roles is not None and not request.user.is_superuser:
            if request.user.role not in self.allowed_roles:
                raise PermissionDenied(_("Your role may not open this page."))
        return super().dispatch(request, *args, **kwargs)


class Flag(str):
    """A cell that is plain text in the Excel export and a coloured badge on the page
    (a str, so that the template keeps it and uses its __html__)."""

    def __new__(cls, text, css=""):
        obj = super().__new__(cls, str(text))
        obj.css = css
        return obj

    def __html__(self):
        if not self.css:
            return format_html("{}", str(self))
        return format_html('<span class="badge text-bg-{}">{}</span>', self.css, str(self))


class ScopedQuerysetMixin:
    model = None
    select_related: tuple[str, ...] = ()

    def get_base_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs

    def get_queryset(self):
        return self.get_base_queryset()


class BreadcrumbMixin:
    title: str = ""
    breadcrumbs: list[tuple[str, str]] = []

    def get_title(self) -> str:
        return str(self.title)

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        return [(str(label), url) for label, url in self.breadcrumbs]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", self.get_title())
        user = self.request.user
        ctx.setdefault("breadcrumbs", [(label, url if role_may_open(user, url) else "")
                                       for label, url in self.get_breadcrumbs()])
        return ctx


ESTIMATE_ABOVE = 100_000


def planner_rows(queryset: QuerySet) -> int:
    """The number of rows PostgreSQL's planner expects `queryset` to return (no rows are read)."""
    import json

    if queryset.query.is_empty():  # .none(): a search form in error, a role that sees nothing
        return 0
    try:
        plan = json.loads(queryset.order_by().explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])
    except (ValueError, KeyError, IndexError, TypeError):  # no plan to read: count exactly
        return 0


class EstimatedCountPaginator(Paginator):
    """The paginator of the lists: on PostgreSQL, when the planner expects more than ESTIMATE_ABOVE
    rows, the total is the planner's estimate (a COUNT over ten years of records reads them all,
    as large Django sites avoid); exact below that and on other databases. `estimated` tells the
    page to say 约 (about)."""

    estimated = False

    @cached_property
    def count(self):
        qs = self.object_list
        if isinstance(qs, QuerySet) and connections[qs.db].vendor == "postgresql":
            rows = planner_rows(qs)
            if rows > ESTIMATE_ABOVE:
                self.estimated = True
                return rows
        return super().count

    def validate_number(self, number):
        self.count  # noqa: B018 -- decides whether the total is an estimate
        if not self.estimated:
            return super().validate_number(number)
        number = super().validate_number(1) and number  # the type checks of a page number
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)
        return max(number, 1)  # an estimate may fall short: a page past it is still served

    def page(self, number):
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom:bottom + self.per_page], number, self)


class ScopedListView(RoleRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, ListView):
    template_name = "core/list.html"
    filterset_class = None
    columns: list[Column] = []
    paginate_by = 20
    paginator_class = EstimatedCountPaginator
    page_sizes = (10, 20, 50, 100)
    create_url_name: str | None = None
    create_roles: set[str] | None = None
    import_url_name: str | None = None
    import_roles: set[str] | None = None
    export_name: str | None = None
    empty_message = gettext_lazy("No records match. Change the search conditions, or add a record.")
    filterset = None

    def get_queryset(self):
        qs = self.get_base_queryset()
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            if self.filterset.is_bound and not self.filterset.is_valid():
                return qs.none()
            qs = self.filterset.qs
        return qs

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("page_size", self.paginate_by))
        except ValueError:
            size = self.paginate_by
        return size if size in self.page_sizes else self.paginate_by

    def get_columns(self) -> list[Column]:
        return self.columns

    def _role_allows(self, roles) -> bool:
        user = self.request.user
        return roles is None or user.is_superuser or user.role in roles

    def _url(self, name):
        if not name:
            return ""
        try:
            return reverse(name)
        except NoReverseMatch:
            return ""

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        response = super().get(request, *args, **kwargs)
        if self.filterset is not None and self.filterset.is_bound and self.filterset.errors:
            response.status_code = 400  # the page, with the search form's fields marked and no rows
        return response

    def export_xlsx(self):
        """The list as .xlsx: at once up to EXPORT_SYNC_MAX_ROWS rows, else made by a job (the
        user lands on its progress page; this view runs again there, as the same user)."""
        from django.conf import settings

        from . import jobs

        queryset = self.get_queryset()
        name = self.export_name or self.get_title()
        if not jobs.in_job(self.request):
            if queryset.count() > settings.EXPORT_SYNC_MAX_ROWS:
                return jobs.start_download(self.request, _("Export: %(list)s") % {"list": name})
            total = None
        else:
            total = queryset.count()
        columns = [c for c in self.get_columns() if c.export]
        rows = ([c.value(obj) for c in columns] for obj in queryset.iterator(chunk_size=2000))
        if total is not None:
            rows = _counted(rows, total)
        return xlsx_response(name, [c.label for c in columns], rows, title=name)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        columns = self.get_columns()
        ctx["columns"] = columns
        user = self.request.user
        ctx["rows"] = [(obj, [(c.value(obj), c.url_for(obj, user), c.css) for c in columns])
                       for obj in ctx["object_list"]]
        ctx["filter"] = self.filterset
        ctx["page_sizes"] = self.page_sizes
        ctx["current_page_size"] = self.get_paginate_by(None)
        ctx["create_url"] = self._url(self.create_url_name) if self._role_allows(self.create_roles) else ""
        ctx["import_url"] = self._url(self.import_url_name) if self._role_allows(self.import_roles) else ""
        ctx["empty_message"] = self.empty_message
        ctx["total_count"] = ctx["paginator"].count if ctx.get("paginator") else len(ctx["object_list"])
        ctx["total_estimated"] = getattr(ctx.get("paginator"), "estimated", False)
        return ctx


def _counted(rows, total: int, every: int = 2000):
    """`rows`, reporting each `every` rows to the running job (core.jobs)."""
    from .jobs import report_progress

    message = _("Rows written")
    report_progress(0, total, message)
    for n, row in enumerate(rows, start=1):
        if n % every == 0:
            report_progress(n, total, message)
        yield row
    report_progress(total, total, message)


class ScopedDetailView(RoleRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    def get_title(self) -> str:
        return str(self.object)


class ScopedFormMixin(RoleRequiredMixin, BreadcrumbMixin):
    """Create/update through a ModelForm that receives `user`; the saved object must be in scope."""

    template_name = "core/form.html"
    success_message = gettext_lazy("Saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save_service(self, obj, form):
        """Save the form's unsaved `obj` through the app's service (with `actor`) and return it.
        Every create/update page names its service here; a ValidationError it raises goes back
        onto the form, a PermissionDenied answers 403."""
        raise NotImplementedError(f"{type(self).__name__} must name the service that saves it (save_service)")

    def form_valid(self, form):
        from .forms import apply_service_errors

        obj = form.save(commit=False)
        try:
            self.object = self.save_service(obj, form)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ServiceFormView(RoleRequiredMixin, BreadcrumbMixin, FormView):
    """The one form → service page. The order: the role (`allowed_roles`, 403 before any lookup),
    then the record the URL names, in scope (`model`/`queryset` + `lookup_field`, through
    `get_visible_or_404`: 404 naming nothing) as `self.object` — or whatever `load()` fetches —,
    then the form (it receives `user=`), then one service call in `perform(form)` with
    `actor=self.request.user`. A ValidationError or PermissionDenied the service raises is shown
    on the form, which keeps what was entered; nothing is saved (one transaction).

    `perform` returns the saved record (the page then goes to its get_absolute_url()) or a URL;
    `success_url` / `get_success_url_for(result)` and `get_success_message(result)` override, and
    `service_done(result)` when the answer is not a redirect (a phone's outbox wants JSON)."""

    template_name = "core/form.html"
    success_message = gettext_lazy("Saved.")
    model = None
    queryset: QuerySet | None = None
    select_related: tuple[str, ...] = ()
    lookup_field = "pk"
    lookup_url_kwarg = "pk"
    object = None
    form_takes_user = True  # the form is built with `user=` (False: a plain form without it)
    form_edits_object = False  # the form is built with `instance=self.object` (a ModelForm's record)
    service_fields: dict = {}  # a service's field name -> the form's, where they differ

    def dispatch(self, request, *args, **kwargs):
        if role_allows(self, request):
            self.load(request, *args, **kwargs)  # after the role check: a wrong role gets 403, not 404
        return super().dispatch(request, *args, **kwargs)

    def get_object_queryset(self) -> QuerySet:
        qs = self.queryset.all() if self.queryset is not None else self.model._default_manager.all()
        return qs.select_related(*self.select_related) if self.select_related else qs

    def load(self, request, *args, **kwargs) -> None:
        """Fetch the record(s) the page works on, in scope. By default, when the view names a
        `model` or `queryset`: the one named by `lookup_url_kwarg`, or — on a URL naming none (a
        page that creates as well as edits) — `new_object()`."""
        if self.model is None and self.queryset is None:
            return
        if kwargs.get(self.lookup_url_kwarg) is None:
            self.object = self.new_object()
        else:
            self.object = get_visible_or_404(request.user, self.get_object_queryset(),
                                             **{self.lookup_field: kwargs[self.lookup_url_kwarg]})

    def new_object(self):
        """The record a page that also creates starts from (None: the form starts empty)."""
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        if self.form_edits_object:
            kwargs["instance"] = self.object
        return kwargs

    def perform(self, form):
        """Call the one service with the form's cleaned data and `actor=self.request.user`."""
        raise NotImplementedError(f"{type(self).__name__} must name the service it calls (perform)")

    def form_valid(self, form):
        from .forms import apply_service_errors

        try:
            with transaction.atomic():
                result = self.perform(form)
        except ValidationError as exc:
            apply_service_errors(form, exc, self.service_fields)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Your role may not do this."))
            return self.form_invalid(form)
        return self.service_done(result)

    def service_done(self, result):
        """The answer once the service has saved: a message and the next page."""
        messages.success(self.request, self.get_success_message(result))
        return HttpResponseRedirect(self.get_success_url_for(result))

    def get_success_url_for(self, result) -> str:
        if self.success_url:
            return str(self.success_url)
        if isinstance(result, str):
            return result
        return result.get_absolute_url()

    def get_success_message(self, result) -> str:
        return str(self.success_message)


class ScopedCreateView(ScopedFormMixin, CreateView):
    pass


class ScopedUpdateView(ScopedFormMixin, ScopedQuerysetMixin, UpdateView):
    pass


class ScopedDeleteView(RoleRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DeleteView):
    """GET shows a confirmation page; POST deletes. Protected rows get a message, not a 500."""

    template_name = "core/confirm_delete.html"

    def delete_service(self, obj) -> None:
        """Delete `obj` through the app's service (with `actor`); every delete page names it."""
        raise NotImplementedError(f"{type(self).__name__} must name the service that deletes it (delete_service)")

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            self.delete_service(self.object)
        except ProtectedError:
            messages.error(self.request, _("This record is referenced by other records and cannot be deleted."))
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, _("Deleted."))
        return HttpResponseRedirect(success_url)


def district_for(user, code: str | None):
    """The district a city/district page is about: for a district office always its own (another
    code: 404); for the city the district with `code` in scope, or None (the whole city)."""
    from django.shortcuts import get_object_or_404

    from .roles import Role
    from .scoping import org_unit_model

    districts = org_unit_model().objects.visible_to(user).districts()
    if user.role == Role.DISTRICT and not user.is_superuser:
        own = districts.first()
        if own is None:
            raise PermissionDenied
        if code and code != own.code:
            raise Http404
        return own
    return get_object_or_404(districts, code=code) if code else None


# --- object access: the one order for views that fetch their record in `dispatch` ---------------

def role_allows(view, request) -> bool:
    """Call first in a `dispatch` that fetches its record: False for an anonymous user (the
    RoleRequiredMixin then sends them to sign in), PermissionDenied (403) for a role the view's
    `allowed_roles` does not admit — before any lookup, so a wrong role never learns whether a
    record exists — else True."""
    user = request.user
    if not user.is_authenticated:
        return False
    roles = getattr(view, "allowed_roles", None)
    if roles is not None and not user.is_superuser and user.role not in roles:
        raise PermissionDenied(_("Your role may not open this page."))
    return True


def get_visible_or_404(user, model_or_queryset, **lookup):
    """The record among those `user` may see (`visible_to`), else 404 naming nothing."""
    from django.db.models import QuerySet
    from django.shortcuts import get_object_or_404

    qs = model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset._default_manager.all()
    return get_object_or_404(qs.visible_to(user), **lookup)
