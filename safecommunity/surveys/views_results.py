"""Pages of survey results: one round's results and the roll-up over rounds."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from safecommunity.core.excel import workbook_bytes, xlsx_response
from safecommunity.core.views import (
    BreadcrumbMixin,
    RoleRequiredMixin,
)

from . import selectors
from .models import Indicator, Questionnaire
from .views import FIELD_ROLES, RESULT_ROLES, round_or_404, rounds_crumb

# --- results --------------------------------------------------------------------------------

def _pct(x):
    return None if x is None else round(100 * x, 1)


class RoundResultsView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = RESULT_ROLES
    template_name = "surveys/results.html"

    def get_title(self):
        return _("Results: %(round)s") % {"round": self.round}

    def get_breadcrumbs(self):
        return rounds_crumb() + [(str(self.round), self.round.get_absolute_url())]

    def get(self, request, pk):
        self.round = round_or_404(request, pk)
        results = selectors.round_results(self.round, request.user)
        if request.GET.get("export") == "xlsx":
            return self.export(results)
        if request.GET.get("export") == "pdf":
            from .pdf import round_pdf

            response = HttpResponse(round_pdf(self.round, results), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="survey-{self.round.pk}.pdf"'
            return response
        main = [r for r in results["rows"] if r.key in Indicator.values]
        chart = {"categories": [r.label for r in main],
                 "series": [{"name": str(_("Rate (%)")), "data": [_pct(r.overall.value) for r in main]}],
                 "yName": "%"}
        if results.get("previous"):
            chart["series"].insert(0, {"name": str(results["previous"]), "data": [
                _pct(r.change.before.value) if r.change else None for r in main]})
        return self.render_to_response(self.get_context_data(
            round=self.round, results=results, chart=chart, notes=selectors.SOURCE_NOTES))

    def export(self, results):
        rows = []
        for r in results["rows"]:
            p = r.overall
            rows.append([r.label, _("All"), p.n, p.yes, _pct(p.value), _pct(p.low), _pct(p.high)])
            for group, items in ((_("Sex"), r.by_sex), (_("Age band"), r.by_age)):
                for label, q in items:
                    rows.append([r.label, f"{group}: {label}", q.n, q.yes, _pct(q.value), _pct(q.low), _pct(q.high)])
        sheets = [(_("Indicators"), [_("Indicator"), _("Group"), _("Answers"), _("Positive"), _("Rate (%)"),
                                     _("95% CI low (%)"), _("95% CI high (%)")], rows)]
        hh = results.get("household")
        if hh:
            inc = [[_("All"), hh.persons, hh.total.cases, hh.total.rate, hh.total.low, hh.total.high]]
            inc += [[f"{_('Cause')}: {name}", hh.persons, i.cases, i.rate, i.low, i.high] for name, i in hh.by_cause]
            inc += [[f"{_('Age band')}: {label}", n, i.cases, i.rate, i.low, i.high] for label, n, i in hh.by_age]
            sheets.append((_("Injury incidence"), [_("Group"), _("Persons"), _("Injuries"), _("Per 1,000 a year"),
                                                   _("95% CI low"), _("95% CI high")], inc))
        data = workbook_bytes(sheets)
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="survey-{self.round.pk}.xlsx"'
        return response


class RollupView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """Indicators per unit, district and city over a year's rounds."""

    allowed_roles = FIELD_ROLES
    template_name = "surveys/rollup.html"
    title = gettext_lazy("Survey indicators by unit and district")

    def get(self, request):
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        kind = request.GET.get("kind") or ""
        data = selectors.rollup(request.user, year=year, kind=kind or None)
        if request.GET.get("export") == "xlsx":
            return self.export(data, year)
        return self.render_to_response(self.get_context_data(
            data=data, year=year, kind=kind, kinds=Questionnaire.Kind.choices,
            years=range(timezone.localdate().year, timezone.localdate().year - 6, -1)))


    def export(self, data, year):
        def cells(rows, key):
            p = rows.get(key)
            return [p.n, p.yes, _pct(p.value), _pct(p.low), _pct(p.high)] if p and p.n else ["", "", "", "", ""]

        headers = [_("Level"), _("Unit")]
        for _key, label in data["indicators"]:
            headers += [f"{label} {h}" for h in (_("Answers"), _("Positive"), _("Rate (%)"), _("95% CI low (%)"),
                                                 _("95% CI high (%)"))]
        rows = [[_("City"), "", *sum((cells(data["city"], k) for k, _l in data["indicators"]), [])]]
        rows += [[_("District/county"), d["unit"].name, *sum((cells(d["rows"], k) for k, _l in data["indicators"]), [])]
                 for d in data["districts"]]
        rows += [[_("Unit"), u["unit"].name, *sum((cells(u["rows"], k) for k, _l in data["indicators"]), [])]
                 for u in data["units"]]
        return xlsx_response(f"{_('Survey indicators')}-{year}", headers, rows)
