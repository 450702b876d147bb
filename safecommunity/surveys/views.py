"""Pages of surveys: the designer (questionnaires, sections, questions, publish, versions), survey
rounds (sample plan, live progress, QR code and link, invitation codes, interviewer entry, Excel
import of paper forms, results with charts, Excel and PDF) and the public phone page."""

import hashlib
import io
import secrets

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_protect
from django.views.generic import TemplateView

from safecommunity.core.excel import xlsx_response
from safecommunity.core.forms import apply_service_errors
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    get_visible_or_404,
)
from safecommunity.records.views import RecordCreateView, RecordUpdateView

from . import filters, forms, imports, permissions, selectors, services, stats
from .models import Invitation, Question, Questionnaire, Response, SurveyRound

DESIGN_ROLES = permissions.design.roles
FIELD_ROLES = permissions.field.roles
RESULT_ROLES = permissions.results.roles


def questionnaires_crumb():
    return [(_("Questionnaires"), reverse("surveys:questionnaire_list"))]


def rounds_crumb():
    return [(_("Survey rounds"), reverse("surveys:round_list"))]


# --- designer -------------------------------------------------------------------------------

class QuestionnaireListView(ScopedListView):
    model = Questionnaire
    filterset_class = filters.QuestionnaireFilterSet
    allowed_roles = DESIGN_ROLES
    title = gettext_lazy("Questionnaires")
    select_related = ("org_unit",)
    create_url_name = "surveys:questionnaire_create"
    columns = [
        Column(gettext_lazy("Title"), "title", link=True), Column(gettext_lazy("Version"), "version"),
        Column(gettext_lazy("Kind"), "get_kind_display"), Column(gettext_lazy("Owner office"), "org_unit.name"),
        Column(gettext_lazy("Status"), "get_status_display"), Column(gettext_lazy("Questions"), "n_questions"),
        Column(gettext_lazy("Published at"), "published_at"),
    ]
    template_name = "surveys/questionnaire_list.html"

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(n_questions=Count("questions")).order_by("family", "-version")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_install"] = permissions.install(self.request.user)
        return ctx


class QuestionnaireFormMixin:
    allowed_roles = DESIGN_ROLES
    model = Questionnaire
    form_class = forms.QuestionnaireForm

    def save_service(self, obj, form):
        return services.questionnaire_save(questionnaire=obj, actor=self.request.user)

    def get_breadcrumbs(self):
        return questionnaires_crumb()


class QuestionnaireCreateView(QuestionnaireFormMixin, RecordCreateView):
    title = gettext_lazy("New questionnaire")


class QuestionnaireUpdateView(QuestionnaireFormMixin, RecordUpdateView):
    pass


class QuestionnaireDetailView(ScopedDetailView):
    model = Questionnaire
    allowed_roles = DESIGN_ROLES
    template_name = "surveys/questionnaire_detail.html"

    def get_breadcrumbs(self):
        return questionnaires_crumb()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.object
        ctx["questions"] = selectors.question_list(q)
        ctx["sections"] = q.sections.all()
        ctx["section_form"] = forms.SectionForm()
        ctx["versions"] = Questionnaire.objects.visible_to(self.request.user).filter(
            org_unit=q.org_unit, family=q.family).order_by("-version")
        ctx["rounds"] = q.rounds.count()
        ctx["own"] = services.in_scope(self.request.user, q.org_unit)
        return ctx


def _questionnaire(request, pk):
    return get_visible_or_404(request.user, Questionnaire, pk=pk)


class QuestionnaireActionView(RoleRequiredMixin, View):
    """POST: publish / new version / add a section."""

    allowed_roles = DESIGN_ROLES
    action = ""

    def post(self, request, pk):
        q = _questionnaire(request, pk)
        target = q
        try:
            if self.action == "publish":
                services.questionnaire_publish(questionnaire=q, actor=request.user)
                messages.success(request, _("Published. This version's questions are now frozen."))
            elif self.action == "new_version":
                target = services.questionnaire_new_version(questionnaire=q, actor=request.user)
                messages.success(request, _("Version %(v)s made as a draft to edit.") % {"v": target.version})
            elif self.action == "section":
                form = forms.SectionForm(request.POST)
                if form.is_valid():
                    section = form.save(commit=False)
                    section.questionnaire = q
                    services.section_save(section=section, actor=request.user)
                    messages.success(request, _("Section added."))
                else:
                    messages.error(request, _("Give the section a title."))
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        return HttpResponseRedirect(target.get_absolute_url())


class ShippedInstallView(RoleRequiredMixin, View):
    allowed_roles = permissions.install.roles

    def post(self, request):
        from .shipped import shipped_install

        made = shipped_install(org_unit=request.user.org_unit, actor=request.user)
        messages.success(request, _("%(n)s shipped questionnaires installed.") % {"n": len(made)})
        return HttpResponseRedirect(reverse("surveys:questionnaire_list"))


class QuestionFormView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """Add (pk of the questionnaire) or edit (pk of the question) a question of a draft."""

    allowed_roles = DESIGN_ROLES
    template_name = "core/form.html"
    editing = False

    def setup_objects(self, request, pk):
        if self.editing:
            self.question = get_visible_or_404(request.user, Question, pk=pk)
            self.questionnaire = self.question.questionnaire
        else:
            self.question = None
            self.questionnaire = _questionnaire(request, pk)

    def get_title(self):
        return str(self.question) if self.question else _("New question")

    def get_breadcrumbs(self):
        return questionnaires_crumb() + [(str(self.questionnaire), self.questionnaire.get_absolute_url())]

    def get(self, request, pk):
        self.setup_objects(request, pk)
        form = forms.QuestionForm(instance=self.question, questionnaire=self.questionnaire)
        if not self.question:
            form.initial["order"] = self.questionnaire.questions.count() + 1
            form.initial["code"] = f"Q{self.questionnaire.questions.count() + 1}"
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, pk):
        self.setup_objects(request, pk)
        form = forms.QuestionForm(request.POST, instance=self.question, questionnaire=self.questionnaire)
        if form.is_valid():
            try:
                services.question_save(question=form.save(commit=False), choices=form.cleaned_data["options"] or None,
                                       actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(self.questionnaire.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class QuestionDeleteView(RoleRequiredMixin, View):
    allowed_roles = DESIGN_ROLES

    def post(self, request, pk):
        question = get_visible_or_404(request.user, Question, pk=pk)
        try:
            services.question_delete(question=question, actor=request.user)
            messages.success(request, _("Deleted."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(question.questionnaire.get_absolute_url())


# --- rounds ---------------------------------------------------------------------------------

class RoundListView(ScopedListView):
    model = SurveyRound
    filterset_class = filters.RoundFilterSet
    allowed_roles = FIELD_ROLES
    title = gettext_lazy("Survey rounds")
    select_related = ("org_unit", "questionnaire")
    create_url_name = "surveys:round_create"
    columns = [
        Column(gettext_lazy("Title"), "title", link=True), Column(gettext_lazy("Unit"), "org_unit.name"),
        Column(gettext_lazy("Questionnaire"), "questionnaire"), Column(gettext_lazy("Starts on"), "starts_on"),
        Column(gettext_lazy("Ends on"), "ends_on"), Column(gettext_lazy("Planned sample"), "planned"),
        Column(gettext_lazy("Responses"), "n_responses"), Column(gettext_lazy("Status"), "get_status_display"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(n_responses=Count("responses")).order_by("-starts_on", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for obj in ctx["object_list"]:
            obj.planned = stats.sample_size(obj.population, margin=float(obj.margin),
                                            design_effect=float(obj.design_effect))
        ctx["rows"] = [(obj, [(c.value(obj), c.url(obj), c.css) for c in ctx["columns"]]) for obj in ctx["object_list"]]
        return ctx


class RoundFormMixin:
    allowed_roles = FIELD_ROLES
    model = SurveyRound
    form_class = forms.RoundForm

    def save_service(self, obj, form):
        return services.round_save(survey_round=obj, actor=self.request.user)

    def get_breadcrumbs(self):
        return rounds_crumb()


class RoundCreateView(RoundFormMixin, RecordCreateView):
    title = gettext_lazy("New survey round")


class RoundUpdateView(RoundFormMixin, RecordUpdateView):
    pass


def round_or_404(request, pk):
    return get_visible_or_404(request.user, SurveyRound.objects.select_related("org_unit", "questionnaire"),
                             pk=pk)


class RoundDetailView(ScopedDetailView):
    model = SurveyRound
    allowed_roles = FIELD_ROLES
    template_name = "surveys/round_detail.html"
    select_related = ("org_unit", "questionnaire")

    def get_breadcrumbs(self):
        return rounds_crumb()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        r = self.object
        ctx["progress"] = selectors.round_progress(r)
        ctx["public_url"] = self.request.build_absolute_uri(r.public_path())
        ctx["invitations_total"] = r.invitations.count()
        ctx["invitations_used"] = r.invitations.exclude(used_at=None).count()
        ctx["invitation_form"] = forms.InvitationForm()
        ctx["recent"] = r.responses.select_related("interviewer")[:10]
        ctx["can_write"] = services.in_scope(self.request.user, r.org_unit)
        return ctx


class RoundProgressView(RoleRequiredMixin, View):
    """The progress block alone, polled by htmx every few seconds (live progress)."""

    allowed_roles = FIELD_ROLES

    def get(self, request, pk):
        r = round_or_404(request, pk)
        return render(request, "surveys/_progress.html", {"object": r, "progress": selectors.round_progress(r)})


class RoundCloseView(RoleRequiredMixin, View):
    allowed_roles = FIELD_ROLES

    def post(self, request, pk):
        r = round_or_404(request, pk)
        services.round_close(survey_round=r, actor=request.user, reopen=request.POST.get("reopen") == "1")
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(r.get_absolute_url())


class RoundQRView(RoleRequiredMixin, View):
    """The QR code of the round's public link, as SVG drawn on the server."""

    allowed_roles = FIELD_ROLES

    def get(self, request, pk):
        r = round_or_404(request, pk)
        img = qrcode.make(request.build_absolute_uri(r.public_path()), image_factory=qrcode.image.svg.SvgPathImage,
                          box_size=12, border=2)
        buf = io.BytesIO()
        img.save(buf)
        return HttpResponse(buf.getvalue(), content_type="image/svg+xml")


class InvitationsView(RoleRequiredMixin, View):
    """POST makes codes; GET exports them (code, used)."""

    allowed_roles = FIELD_ROLES

    def get(self, request, pk):
        r = round_or_404(request, pk)
        rows = ([i.code, i.used_at] for i in Invitation.objects.visible_to(request.user).filter(round=r))
        return xlsx_response(_("Invitation codes"), [_("Invitation code"), _("Used at")], rows)

    def post(self, request, pk):
        r = round_or_404(request, pk)
        form = forms.InvitationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Number of codes: between 1 and 5000."))
        else:
            try:
                made = services.invitations_create(survey_round=r, count=form.cleaned_data["count"], actor=request.user)
                messages.success(request, _("%(n)s invitation codes made.") % {"n": len(made)})
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(r.get_absolute_url())


def _household(members_fs, injuries_fs) -> services.Household:
    members = [(f.cleaned_data.get("sex") or "", f.cleaned_data.get("age")) for f in members_fs
               if f.cleaned_data.get("sex") or f.cleaned_data.get("age") is not None]
    injuries = [(f.cleaned_data["member"], f.cleaned_data.get("mechanism") or "", f.cleaned_data.get("place") or "",
                 f.cleaned_data.get("severity") or "") for f in injuries_fs if f.cleaned_data.get("member")]
    return services.Household(members=members, injuries=injuries)


class InterviewView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """Interviewer entry by a unit worker (household survey, or any questionnaire read out)."""

    allowed_roles = FIELD_ROLES
    template_name = "surveys/interview.html"

    def get_title(self):
        return _("Enter a questionnaire")

    def get_breadcrumbs(self):
        return rounds_crumb() + [(str(self.round), self.round.get_absolute_url())]

    def forms_for(self, data=None):
        q = self.round.questionnaire
        ctx = {"form": forms.AnswerForm(data, questionnaire=q, questions=selectors.question_list(q)),
               "round": self.round}
        if q.is_household:
            ctx["members"] = forms.MemberFormSet(data, prefix="m")
            ctx["injuries"] = forms.InjuryFormSet(data, prefix="i")
        return ctx

    def get(self, request, pk):
        self.round = round_or_404(request, pk)
        return self.render_to_response(self.get_context_data(**self.forms_for()))

    def post(self, request, pk):
        self.round = round_or_404(request, pk)
        ctx = self.forms_for(request.POST)
        form = ctx["form"]
        sets = [ctx[k] for k in ("members", "injuries") if k in ctx]
        if form.is_valid() and all(s.is_valid() for s in sets):
            household = _household(ctx["members"], ctx["injuries"]) if sets else None
            try:
                services.interview_response_submit(
                    survey_round=self.round, answers=form.answers(), actor=request.user,
                    sex=form.cleaned_data.get("sex", ""), age_band=form.cleaned_data.get("age_band", ""),
                    household=household, household_label=request.POST.get("household_label", "")[:100])
            except ValidationError as exc:
                ctx["service_errors"] = _named_errors(exc, self.round.questionnaire)
            else:
                messages.success(request, _("Questionnaire saved. Enter the next one."))
                return HttpResponseRedirect(reverse("surveys:interview", args=[self.round.pk]))
        return self.render_to_response(self.get_context_data(**ctx))


def _named_errors(exc: ValidationError, questionnaire) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [m for _field, msgs in exc.message_dict.items() for m in msgs]


class ImportView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    """Excel import of paper forms: GET ?template=1 gives the sheet; POST saves all rows or none."""

    allowed_roles = FIELD_ROLES
    template_name = "surveys/import.html"

    def get_title(self):
        return _("Import paper questionnaires")

    def get_breadcrumbs(self):
        return rounds_crumb() + [(str(self.round), self.round.get_absolute_url())]

    def get(self, request, pk):
        self.round = round_or_404(request, pk)
        if request.GET.get("template"):
            data = imports.template_bytes(self.round.questionnaire)
            response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = 'attachment; filename="questionnaire-template.xlsx"'
            return response
        return self.render_to_response(self.get_context_data(form=forms.ImportForm(), round=self.round,
                                                             columns=imports.headers(self.round.questionnaire)))

    def post(self, request, pk):
        self.round = round_or_404(request, pk)
        form = forms.ImportForm(request.POST, request.FILES)
        ctx = {"form": form, "round": self.round, "columns": imports.headers(self.round.questionnaire)}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = imports.import_responses(survey_round=self.round, data=upload.read(), actor=request.user,
                                              file_name=upload.name)
            if not result.errors:
                messages.success(request, _("%(n)s questionnaires imported.") % {"n": result.created})
                return HttpResponseRedirect(self.round.get_absolute_url())
            ctx["errors"] = result.errors
        return self.render_to_response(self.get_context_data(**ctx))


# --- the public page ------------------------------------------------------------------------

DEVICE_COOKIE = "sc_survey_device"
RATE_LIMIT = 30  # submissions per address per hour and round
RATE_WINDOW = 3600


def _device(request) -> tuple[str, str]:
    """(the device token, a new one to set or ""): a signed random token in a long-lived cookie."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        token = signing.loads(raw, salt="surveys.device") if raw else ""
    except signing.BadSignature:
        token = ""
    if token:
        return token, ""
    token = secrets.token_hex(16)
    return token, token


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@csrf_protect
def public_answer(request, token):
    survey_round = get_object_or_404(SurveyRound.objects.select_related("questionnaire"), token=token)
    q = survey_round.questionnaire
    device, new_device = _device(request)
    device_hash = hashlib.sha256(f"{survey_round.pk}:{device}".encode()).hexdigest()
    form = forms.AnswerForm(request.POST or None, questionnaire=q, questions=selectors.question_list(q))
    ctx = {"round": survey_round, "questionnaire": q, "form": form, "errors": [],
           "code": (request.POST.get("code") or request.GET.get("code") or "").strip()}
    status = 200
    if q.is_household:
        ctx["errors"].append(_("This questionnaire is filled in by an interviewer."))
        ctx["closed"] = True
    elif survey_round.status != SurveyRound.Status.OPEN:
        ctx["closed"] = True
        ctx["errors"].append(_("This survey is closed and takes no more answers. Thank you."))
    elif Response.objects.filter(round=survey_round, device=device_hash).exists():
        ctx["closed"] = True
        ctx["errors"].append(_("This phone has already answered this survey. Each device answers once."))
    elif request.method == "POST":
        key = f"surveys:rate:{survey_round.pk}:{_client_ip(request)}"
        cache.add(key, 0, RATE_WINDOW)
        try:
            hits = cache.incr(key)
        except ValueError:
            hits = 1
        if hits > RATE_LIMIT:
            ctx["errors"].append(_("Too many answers from this network in a short time. Try again later."))
            status = 429
        elif form.is_valid():
            try:
                services.public_response_submit(survey_round=survey_round, answers=form.answers(), device=device_hash,
                                                code=ctx["code"], sex=form.cleaned_data.get("sex", ""),
                                                age_band=form.cleaned_data.get("age_band", ""))
            except ValidationError as exc:
                ctx["errors"] = _named_errors(exc, q)
                status = 400
            else:
                response = render(request, "surveys/public_thanks.html", {"round": survey_round})
                _set_device(response, new_device)
                return response
        else:
            status = 400
    response = render(request, "surveys/public_answer.html", ctx, status=status)
    _set_device(response, new_device)
    return response


def _set_device(response, token):
    if token:
        response.set_cookie(DEVICE_COOKIE, signing.dumps(token, salt="surveys.device"), max_age=3 * 365 * 86400,
                            httponly=True, samesite="Lax")
