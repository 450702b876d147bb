"""Code lists (字典) maintained in the UI, and the health check."""

from django.db import connection
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import permissions
from .forms import CodeItemForm, CodeListFilterSet
from .models import CodeItem, CodeList
from .services import codeitem_save
from .views import Column, ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView

EDIT_ROLES = permissions.codelists.roles


class CodeListQueryMixin:
    def get_base_queryset(self):
        return CodeList.objects.annotate(item_count=Count("items")).order_by("key")  # a stable pager


class CodeListListView(CodeListQueryMixin, ScopedListView):
    model = CodeList
    allowed_roles = EDIT_ROLES
    filterset_class = CodeListFilterSet
    title = gettext_lazy("Code lists")
    columns = [
        Column(gettext_lazy("Key"), "key"),
        Column(gettext_lazy("Name"), "name", link=lambda c: reverse("core:codelist_detail", args=[c.key])),
        Column(gettext_lazy("Items"), "item_count"),
        Column(gettext_lazy("Description"), "description", css="small"),
    ]


class CodeListDetailView(CodeListQueryMixin, ScopedDetailView):
    model = CodeList
    allowed_roles = EDIT_ROLES
    slug_field = "key"
    slug_url_kwarg = "key"
    template_name = "core/codelist_detail.html"

    def get_breadcrumbs(self):
        return [(_("Code lists"), reverse("core:codelist_list"))]


class CodeItemMixin:
    model = CodeItem
    form_class = CodeItemForm
    allowed_roles = EDIT_ROLES

    def dispatch(self, request, *args, **kwargs):
        self.codelist = get_object_or_404(CodeList, key=kwargs["key"])
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return CodeItem.objects.filter(codelist=self.codelist)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["codelist"] = self.codelist
        return kwargs

    def get_breadcrumbs(self):
        return [(_("Code lists"), reverse("core:codelist_list")),
                (self.codelist.name, reverse("core:codelist_detail", args=[self.codelist.key]))]

    def save_service(self, obj, form):
        return codeitem_save(item=obj, codelist=self.codelist, actor=self.request.user)

    def get_success_url(self):
        return reverse("core:codelist_detail", args=[self.codelist.key])


class CodeItemCreateView(CodeItemMixin, ScopedCreateView):
    title = gettext_lazy("New code")


class CodeItemUpdateView(CodeItemMixin, ScopedUpdateView):
    title = gettext_lazy("Edit code")


@never_cache
def healthz(request):
    """200 with the database's state when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
        db = {"status": "error", "error": exc.__class__.__name__}
        status = 503
    from safecommunity import __version__

    return JsonResponse({"status": "ok" if status == 200 else "error", "database": db, "version": __version__},
                        status=status)
