"""Analysis pages of the injury surveillance: the breakdowns of the records and the before/after
effect of an intervention."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from safecommunity.core.excel import XLSX_MIME, workbook_bytes, xlsx_response
from safecommunity.core.models import CodeItem
from safecommunity.core.views import (
    RoleRequiredMixin,
)
from safecommunity.orgunits.models import OrgUnit

from . import choices, selectors
from .forms import (
    EffectForm,
)
from .views import HOME, READ_ROLES

# --- analysis ----------------------------------------------------------------------------------

class AnalysisView(RoleRequiredMixin, View):
    allowed_roles = READ_ROLES

    def get(self, request):
        unit = selectors.analysis_unit(request.user, request.GET.get("unit", ""))
        year = selectors.analysis_year(request.GET, timezone.localdate().year)
        area = None
        area_id = request.GET.get("area", "")
        if area_id:
            area = CodeItem.objects.of(choices.SAFETY_AREA).filter(pk=area_id if area_id.isdigit() else -1).first()
        result = selectors.analysis(request.user, unit, year, area)
        if request.GET.get("export") == "xlsx":
            return self.export(result)
        dims = [(key, label, result.breakdowns[key]) for key, label in selectors.DIMENSIONS]
        ancestors = unit.ancestors()
        shown = set(OrgUnit.objects.visible_to(request.user).filter(pk__in=[u.pk for u in ancestors])
                    .values_list("pk", flat=True))
        crumbs = [HOME] + [(u.name, f"{reverse('injuries:analysis')}?unit={u.code}&year={year}")
                           for u in ancestors if u.pk in shown]
        charts = {key: {"categories": [r.label for r in rows], "series": [
            {"name": str(_("Cases")), "data": [r.count for r in rows]}]} for key, _l, rows in dims}
        for key, _l, rows in dims:
            if any(r.rate is not None for r in rows):
                charts[key]["series"].append({"name": str(_("Rate per 1,000")), "type": "line",
                                              "data": [round(r.rate, 2) if r.rate is not None else None for r in rows]})
        charts["trend"] = {"categories": [r.label for r in result.trend], "series": [
            {"name": str(_("Cases")), "data": [r.count for r in result.trend]},
            {"name": str(_("Rate per 1,000")), "type": "line",
             "data": [round(r.rate, 2) if r.rate is not None else None for r in result.trend]}]}
        return render(request, "injuries/analysis.html", {
            "title": _("Injury analysis: %(unit)s, %(year)s") % {"unit": unit.name, "year": year},
            "breadcrumbs": crumbs, "a": result, "dims": dims, "charts": charts,
            "areas": CodeItem.objects.of(choices.SAFETY_AREA).order_by("sort_order"),
            "year_choices": list(range(timezone.localdate().year, timezone.localdate().year - 8, -1)),
            "child_is_district": unit.level == OrgUnit.Level.CITY,
        })

    def export(self, a):
        def r(v):
            return round(v, 2) if v is not None else ""

        header = [_("Category"), _("Cases"), _("Share (%)"), _("Rate per 1,000")]
        sheets = [(label, header, ([row.label, row.count, r(row.share), r(row.rate)] for row in a.breakdowns[key]))
                  for key, label in selectors.DIMENSIONS]
        sheets.append((_("Trend"), [_("Year"), _("Cases"), _("Population"), _("Rate per 1,000")],
                       ([row.label, row.count, row.population or "", r(row.rate)] for row in a.trend)))
        sheets.append((_("Top problems"), header, ([row.label, row.count, r(row.share), r(row.rate)] for row in a.top)))
        if a.children:
            sheets.append((_("Units"), [_("Code"), _("Name"), _("Cases"), _("Population"), _("Rate per 1,000")],
                           ([c.key, c.label, c.count, c.population or "", r(c.rate)] for c in a.children)))
        data = workbook_bytes([(str(t), [str(h) for h in hs], rows) for t, hs, rows in sheets])
        response = HttpResponse(data, content_type=XLSX_MIME)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{_('Injury analysis')}-{a.unit.name}-{a.year}.xlsx")
        return response


class EffectView(RoleRequiredMixin, View):
    allowed_roles = READ_ROLES

    def get(self, request):
        form = EffectForm(request.GET or None, user=request.user)
        result = None
        if form.is_bound and form.is_valid():
            d = form.cleaned_data
            result = selectors.effect(
                request.user, units=d["units"], area=d["safety_area"], mechanism=d["mechanism"],
                before=(d["before_start"], d["before_end"]), after=(d["after_start"], d["after_end"]))
            if request.GET.get("export") == "xlsx" and result.ratio:
                rr = result.ratio
                rows = [
                    [_("Before"), rr.before_cases, round(rr.before_person_years, 1), round(rr.before_rate, 3)],
                    [_("After"), rr.after_cases, round(rr.after_person_years, 1), round(rr.after_rate, 3)],
                    [_("Rate ratio (after/before)"), rr.ratio and round(rr.ratio, 3), "",
                     f"{rr.low:.3f}–{rr.high:.3f}" if rr.low else ""],
                    [_("Verdict"), rr.verdict_text, "", ""],
                ]
                return xlsx_response(str(_("Effect of intervention")),
                                     [_("Period"), _("Cases"), _("Person-years"), _("Rate per 1,000 person-years")], rows)
        return render(request, "injuries/effect.html", {
            "title": _("Effect of an intervention"), "breadcrumbs": [HOME], "form": form, "result": result,
        })
