"""Scoring grids: the unit's self-assessment, an expert's own scores, the panel's consolidation."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from safecommunity.archive.models import Attachment
from safecommunity.core.registry import evidence_for
from safecommunity.core.views import ServiceFormView

from .. import permissions, services
from ..forms import (
    OpenScoringForm,
)
from ..models import (
    Application,
    ExpertScore,
    FinalScore,
    Grade,
    PanelMember,
)
from .common import ApplicationMixin


def _grid_rows(application, existing, with_evidence=False):
    by_item = {s.item_id: s for s in existing}
    return [(item, by_item.get(item.pk), []) for item in application.scheme.items.select_related("element")]


class GridView(ApplicationMixin, TemplateView):
    """One page scoring every item (self-assessment, an expert's scores, the agreed scores)."""

    template_name = "evaluation/score_grid.html"
    with_evidence = False
    intro = ""

    def existing(self):
        raise NotImplementedError

    def save_one(self, item, presence, evidence, effect, comment, files):
        raise NotImplementedError

    def check(self):
        pass

    def get(self, request, *args, **kwargs):
        self.check()
        return super().get(request, *args, **kwargs)

    show_evidence = False  # the evidence the unit filed, per item (the expert's page)
    editable = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scheme = self.application.scheme
        ctx.update(app=self.application, rows=_grid_rows(self.application, self.existing()), grades=Grade.choices,
                   with_evidence=self.with_evidence, intro=self.intro, errors=kwargs.get("errors", []),
                   editable=self.editable, show_evidence=self.show_evidence,
                   legend=[(v, label, scheme.grade_pct(v)) for v, label in Grade.choices],
                   rule={"pcts": {g: scheme.grade_pct(g) for g in Grade.values},
                         "pass": float(scheme.pass_total),
                         "rectify": float(scheme.rectify_total) if scheme.rectify_total is not None else None,
                         "zeroFails": scheme.zero_item_fails, "total": float(scheme.total_points),
                         "labels": {k: str(v) for k, v in Application.Result.choices}})
        if self.show_evidence:
            by_element: dict[str, list] = {}
            cu = self.application.creating_unit
            for item, _score, _files in ctx["rows"]:
                code = item.element.code if item.element_id else ""
                if code and code not in by_element:
                    by_element[code] = evidence_for(creating_unit=cu, element=code)
            # the third slot holds the item's evidence on this page (no linking of files here)
            ctx["rows"] = [(item, score, by_element.get(item.element.code if item.element_id else "", []))
                           for item, score, _files in ctx["rows"]]
        if self.with_evidence:
            files = list(Attachment.objects.filter(org_unit=self.application.org_unit).select_related(
                "element", "content_type"))
            codes = {f.pk: f.effective_element_code for f in files}
            ctx["rows"] = [
                (item, score, sorted(files, key=lambda f, c=(item.element.code if item.element_id else ""): (
                    codes[f.pk] != c, str(f))))
                for item, score, _none in ctx["rows"]
            ]
        return ctx

    def post(self, request, *args, **kwargs):
        self.check()
        saved = 0
        try:
            with transaction.atomic():
                for item in self.application.scheme.items.all():
                    grades = [request.POST.get(f"{p}_{item.pk}", "") for p in ("p", "e", "f")]
                    applies = [bool(item.presence_points), bool(item.evidence_points), bool(item.effect_points)]
                    if not any(grades):
                        continue
                    if not all(g for g, a in zip(grades, applies, strict=True) if a):
                        raise ValidationError(_("Item %(n)s: grade presence, evidence and effect.") % {
                            "n": item.number})
                    files = []
                    if self.with_evidence:
                        ids = request.POST.getlist(f"ev_{item.pk}")
                        files = list(Attachment.objects.filter(pk__in=[i for i in ids if i.isdigit()]))
                    self.save_one(item, *grades, request.POST.get(f"c_{item.pk}", ""), files)
                    saved += 1
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render_to_response(self.get_context_data(errors=exc.messages))
        messages.success(request, _("%(n)s items saved.") % {"n": saved})
        if request.POST.get("then") == "submit":
            return self.after_submit()
        return HttpResponseRedirect(request.path)

    def after_submit(self):
        return HttpResponseRedirect(self.application.get_absolute_url())


class SelfAssessView(GridView):
    allowed_roles = permissions.edit_self.roles
    with_evidence = True
    intro = gettext_lazy("Grade each item on presence, evidence and effect (a = 100 %, b = 70 %, c = 30 %, d = 0) "
                         "and link the evidence files from the archive.")

    def get_title(self):
        return _("Self-assessment")

    def check(self):
        if "edit_self" not in permissions.allowed_actions(self.application, self.request.user):
            raise PermissionDenied(_("The self-assessment can only be changed before submission or after a return."))

    def existing(self):
        return list(self.application.self_scores.prefetch_related("evidence_files"))

    def save_one(self, item, presence, evidence, effect, comment, files):
        services.self_score_set(application=self.application, actor=self.request.user, item=item, presence=presence,
                                evidence=evidence, effect=effect, comment=comment, evidence_files=files)


class ExpertScoreView(GridView):
    allowed_roles = permissions.score.roles
    show_evidence = True
    intro = gettext_lazy("Your scores stay hidden from the other experts, and theirs from you, until you submit.")

    def get_title(self):
        return _("My scores")

    def check(self):
        member = PanelMember.objects.filter(application=self.application, expert=self.request.user).first()
        if member is None:
            raise PermissionDenied(_("You are not on this application's panel."))
        self.editable = "score" in permissions.allowed_actions(self.application, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.application.scoring_open():
            ctx["closed_reason"] = _("Scoring opens on the site-visit date, %(d)s.") % {
                "d": self.application.site_visit_on}
        return ctx

    def existing(self):
        return list(ExpertScore.objects.filter(member__application=self.application,
                                               member__expert=self.request.user))

    def save_one(self, item, presence, evidence, effect, comment, files):
        services.expert_score_set(application=self.application, actor=self.request.user, item=item,
                                  presence=presence, evidence=evidence, effect=effect, comment=comment)

    def after_submit(self):
        try:
            services.expert_submit(application=self.application, actor=self.request.user)
            messages.success(self.request, _("Your scores are submitted."))
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(self.request.path)
        return HttpResponseRedirect(self.application.get_absolute_url())


def _consensus(row):
    """Pre-fill the agreed grades where every expert gave the same ones (not saved until Save)."""
    if not row or not row["scores"]:
        return None
    grades = {(s.presence, s.evidence, s.effect) for s in row["scores"]}
    if len(grades) != 1:
        return None
    p, e, f = grades.pop()
    comment = "；".join(dict.fromkeys(s.comment for s in row["scores"] if s.comment))
    return FinalScore(presence=p, evidence=e, effect=f, comment=comment)


class ConsolidateView(GridView):
    """The panel sees every score and the spread per item, and records the agreed final score."""

    allowed_roles = permissions.consolidate.roles
    template_name = "evaluation/consolidate.html"
    intro = gettext_lazy("Every expert's grades and points side by side. Explain every deduction in the comment: "
                         "it becomes a rectification item.")

    def get_title(self):
        return _("Panel consolidation")

    def check(self):
        services._require_panel_lead_or_city(self.application, self.request.user)
        if not services.may_see_all_scores(self.application, self.request.user):
            raise PermissionDenied(_("Submit your own scores first."))

    def existing(self):
        return list(self.application.final_scores.all())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        spread = {r["item"].pk: r for r in services.score_spread(self.application)}
        ctx["rows"] = [(item, final or _consensus(spread.get(item.pk)), spread.get(item.pk))
                       for item, final, _none in ctx["rows"]]
        ctx["panel"] = self.application.panel.select_related("expert")
        ctx["pending"] = [m for m in ctx["panel"] if m.submitted_at is None]
        return ctx

    def save_one(self, item, presence, evidence, effect, comment, files):
        services.final_score_set(application=self.application, actor=self.request.user, item=item,
                                 presence=presence, evidence=evidence, effect=effect, comment=comment,
                                 departure_reason=self.request.POST.get(f"r_{item.pk}", ""))

    def after_submit(self):
        try:
            services.application_decide(application=self.application, actor=self.request.user)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(self.request.path)
        self.application.refresh_from_db()
        messages.success(self.request, _("Result: %(r)s, total %(t)s.") % {
            "r": self.application.get_result_display(), "t": self.application.final_total})
        return HttpResponseRedirect(self.application.get_absolute_url())


class OpenScoringView(ApplicationMixin, ServiceFormView):
    """The city opens expert scoring before the site-visit date, with a reason (kept in the steps)."""

    allowed_roles = permissions.open_scoring.roles
    form_class = OpenScoringForm
    form_takes_user = False

    def get_title(self):
        return _("Open scoring before the site visit (%(d)s)") % {"d": self.application.site_visit_on}

    def perform(self, form):
        services.scoring_open_early(application=self.application, actor=self.request.user,
                                    reason=form.cleaned_data["reason"])
        return self.application.get_absolute_url()
