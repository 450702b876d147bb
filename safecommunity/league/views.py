"""The quarterly league table (晾晒比拼): the city's districts, or a district's townships;
Excel and a printable PDF; the weights page of the city office."""

import re

from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView

from safecommunity.core.excel import xlsx_response
from safecommunity.core.views import BreadcrumbMixin, RoleRequiredMixin, ServiceFormView, district_for
from safecommunity.orgunits.models import OrgUnit

from . import forms, pdf, permissions, selectors, services

QUARTER = re.compile(r"^(\d{4})-Q?([1-4])$")


def change_text(change):
    if change is None:
        return "—"
    return f"↑{change}" if change > 0 else (f"↓{-change}" if change < 0 else "—")


class LeagueView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = permissions.view.roles
    template_name = "league/table.html"

    def quarter(self):
        m = QUARTER.match(self.request.GET.get("quarter", ""))
        return selectors.Quarter(int(m[1]), int(m[2])) if m else selectors.Quarter.current()

    def district(self):
        return district_for(self.request.user, self.request.GET.get("district", ""))

    def get_title(self):
        return _("Quarterly league table")

    def table(self):
        if not hasattr(self, "_table"):
            self._table = selectors.league_table(self.request.user, self.quarter(), self.district())
        return self._table

    def heading(self, t) -> str:
        place = t["district"].name if t["district"] else _("Chongqing")
        return _("%(place)s safe community creation league table, %(y)d Q%(q)d") % {
            "place": place, "y": t["quarter"].year, "q": t["quarter"].q}

    def export(self, t):
        headers = [_("Rank"), pgettext("league rank", "Change"), _("Name")] + [f"{label} ({w})" for _k, label, w in t["indicators"]] \
            + [_("Score")]
        rows = [[r.rank or "—", change_text(r.change), r.name]
                + ["—" if r.values.get(k) is None else r.values[k] for k, _l, _w in t["indicators"]]
                + ["—" if r.score is None else r.score] for r in t["rows"]]
        return headers, rows

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "pdf"):
            t = self.table()
            headers, rows = self.export(t)
            if fmt == "xlsx":
                return xlsx_response(self.heading(t), headers, rows, title=self.heading(t))
            response = HttpResponse(pdf.table_pdf(self.heading(t), headers, rows), content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="league.pdf"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        t = self.table()
        ctx.update(t)
        ctx["heading"] = self.heading(t)
        ctx["cells"] = [(r, change_text(r.change), "sc-rag-green" if (r.change or 0) > 0 else
                         ("sc-rag-red" if (r.change or 0) < 0 else ""),
                         ["—" if r.values.get(k) is None else r.values[k] for k, _l, _w in t["indicators"]])
                        for r in t["rows"]]
        q = t["quarter"]
        ctx["quarters"] = [f"{y}-Q{n}" for y in range(q.year, q.year - 3, -1) for n in range(4, 0, -1)]
        ctx["quarter_value"] = f"{q.year}-Q{q.q}"
        ctx["districts"] = OrgUnit.objects.visible_to(self.request.user).districts().order_by("code")
        ctx["may_set_weights"] = permissions.weights(self.request.user)
        return ctx


class WeightsView(ServiceFormView):
    allowed_roles = permissions.weights.roles
    form_class = forms.WeightsForm
    title = gettext_lazy("League table weights")
    success_url = reverse_lazy("league:table")

    def get_breadcrumbs(self):
        return [(_("Quarterly league table"), reverse("league:table"))]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": selectors.weights()}

    def perform(self, form):
        return services.weights_set(actor=self.request.user, **form.cleaned_data)
