"""Designations (certificates, national and international outcomes), special funds and rewards."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from safecommunity.archive.models import Attachment
from safecommunity.archive.services import attachment_create
from safecommunity.core.models import CodeItem
from safecommunity.core.views import (
    BreadcrumbMixin,
    Column,
    RoleRequiredMixin,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
)

from .. import permissions, services
from ..filters import (
    DesignationFilterSet,
    FundFilterSet,
    RewardFilterSet,
)
from ..forms import (
    DesignationRecordForm,
    FundForm,
    PaidForm,
    SpendingForm,
)
from ..models import (
    Designation,
    Reward,
    SpecialFund,
)
from .common import pdf_response


class DesignationListView(ScopedListView):
    model = Designation
    allowed_roles = permissions.designations.roles
    filterset_class = DesignationFilterSet
    title = gettext_lazy("Designations")
    create_url_name = "evaluation:designation_record"
    create_roles = permissions.designation_record.roles
    select_related = ("creating_unit__org_unit", "creating_unit__org_unit__parent")
    columns = [
        Column(gettext_lazy("Unit"), "creating_unit.org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "creating_unit.org_unit.parent.name"),
        Column(gettext_lazy("Title level"), "get_level_display"),
        Column(pgettext_lazy("designation", "Outcome"), "get_outcome_display"),
        Column(gettext_lazy("Certificate number"), "certificate_no"),
        Column(gettext_lazy("Designated on"), "designated_on"),
        Column(gettext_lazy("Valid until"), "valid_until"),
    ]


class DesignationDetailView(RoleRequiredMixin, BreadcrumbMixin, TemplateView):
    allowed_roles = permissions.designations.roles
    template_name = "evaluation/designation_detail.html"

    def get_context_data(self, **kwargs):
        d = get_visible_or_404(self.request.user, Designation.objects.select_related(
            "creating_unit__org_unit", "document"), pk=self.kwargs["pk"])
        self.title = str(d)
        self.breadcrumbs = [(_("Designations"), reverse("evaluation:designation_list"))]
        ctx = super().get_context_data(**kwargs)
        ctx.update(d=d, reward=Reward.objects.filter(designation=d).first())
        return ctx


class CertificatePdfView(RoleRequiredMixin, View):
    allowed_roles = permissions.designations.roles

    def get(self, request, pk):
        from ..pdf import certificate_pdf

        d = get_visible_or_404(request.user, Designation.objects.select_related("creating_unit__org_unit"),
                              pk=pk, outcome=Designation.Outcome.PASSED)
        return pdf_response(certificate_pdf(d), f"{d.certificate_no or d.pk}.pdf")


class DesignationRecordView(ServiceFormView):
    allowed_roles = permissions.designation_record.roles
    form_class = DesignationRecordForm
    title = gettext_lazy("Record a national or international application")

    def get_breadcrumbs(self):
        return [(_("Designations"), reverse("evaluation:designation_list"))]

    def perform(self, form):
        data = form.cleaned_data
        cu = data["creating_unit"]
        document = None
        if data["document"]:
            try:
                document = attachment_create(uploaded=data["document"], org_unit=cu.org_unit, actor=self.request.user,
                                             role="outcome", title=_("Outcome document"),
                                             element=CodeItem.objects.of("aqt_element").filter(code="E10").first())
            except ValidationError as exc:
                raise ValidationError({"document": exc.messages}) from exc
        d = services.designation_record(creating_unit=cu, level=data["level"], actor=self.request.user,
                                        outcome=data["outcome"], applied_on=data["applied_on"],
                                        designated_on=data["designated_on"], certificate_no=data["certificate_no"],
                                        document=document, note=data["note"])
        return d.get_absolute_url()


class FundListView(ScopedListView):
    model = SpecialFund
    allowed_roles = permissions.funds.roles
    filterset_class = FundFilterSet
    title = gettext_lazy("Special funds")
    create_url_name = "evaluation:fund_create"
    create_roles = permissions.funds.roles
    select_related = ("creating_unit__org_unit", "creating_unit__org_unit__parent")
    columns = [
        Column(gettext_lazy("Unit"), "creating_unit.org_unit.name", link=True),
        Column(gettext_lazy("District/county"), "creating_unit.org_unit.parent.name"),
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Budget (yuan)"), "budget"),
        Column(gettext_lazy("Spent (yuan)"), lambda f: f.spent or Decimal(0)),
        Column(gettext_lazy("Spendings"), "n_spendings"),
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().annotate(spent=Sum("spendings__amount"), n_spendings=Count("spendings")).order_by(
            "-year", "creating_unit__org_unit__code")


class FundCreateView(ServiceFormView):
    allowed_roles = permissions.funds.roles
    form_class = FundForm
    title = gettext_lazy("Special fund budget")

    def get_breadcrumbs(self):
        return [(_("Special funds"), reverse("evaluation:fund_list"))]

    def perform(self, form):
        d = form.cleaned_data
        fund = services.fund_save(actor=self.request.user, creating_unit=d["creating_unit"], year=d["year"],
                                  budget=d["budget"], note=d["note"])
        return fund.get_absolute_url()


class FundDetailView(ServiceFormView):
    """The fund with its spendings; the form below records one more."""

    allowed_roles = permissions.funds.roles
    form_class = SpendingForm
    form_takes_user = False
    template_name = "evaluation/fund_detail.html"
    queryset = SpecialFund.objects.select_related("creating_unit__org_unit")

    def get_title(self):
        return _("Special fund %(f)s") % {"f": self.object}

    def get_breadcrumbs(self):
        return [(_("Special funds"), reverse("evaluation:fund_list"))]

    def get_context_data(self, **kwargs):
        from django.contrib.contenttypes.models import ContentType

        ctx = super().get_context_data(**kwargs)
        fund = self.object
        spendings = list(fund.spendings.all())
        ct = ContentType.objects.get(app_label="evaluation", model="fundspending")
        vouchers = {}
        for a in Attachment.objects.filter(content_type=ct, object_id__in=[s.pk for s in spendings]):
            vouchers.setdefault(a.object_id, []).append(a)
        ctx.update(fund=fund, spendings=[(s, vouchers.get(s.pk, [])) for s in spendings],
                   spent=sum((s.amount for s in spendings), Decimal(0)))
        ctx["by_item"] = fund.spendings.values("item").annotate(total=Sum("amount")).order_by("-total")
        return ctx

    def perform(self, form):
        d = form.cleaned_data
        services.spending_create(actor=self.request.user, fund=self.object, spent_on=d["spent_on"], item=d["item"],
                                 amount=d["amount"], vouchers=self.request.FILES.getlist("vouchers"))
        return self.object.get_absolute_url()


class RewardListView(ScopedListView):
    model = Reward
    allowed_roles = permissions.rewards.roles
    filterset_class = RewardFilterSet
    title = gettext_lazy("Rewards")
    template_name = "evaluation/reward_list.html"
    select_related = ("designation__creating_unit__org_unit", "district")
    columns = [
        Column(gettext_lazy("Year"), "year"),
        Column(gettext_lazy("Unit"), "designation.creating_unit.org_unit.name",
               link=lambda r: r.designation.get_absolute_url()),
        Column(gettext_lazy("Title level"), "designation.get_level_display"),
        Column(gettext_lazy("Paid by district"), "district.name"),
        Column(gettext_lazy("Amount (yuan)"), "amount"),
        Column(gettext_lazy("Paid on"), "paid_on"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.get_queryset()
        ctx["per_year"] = qs.values("year").annotate(total=Sum("amount"), n=Count("pk"),
                                                    paid=Sum("amount", filter=Q(paid_on__isnull=False))) \
            .order_by("-year")
        return ctx


class RewardPaidView(ServiceFormView):
    allowed_roles = permissions.rewards.roles
    form_class = PaidForm
    form_takes_user = False
    model = Reward
    success_url = reverse_lazy("evaluation:reward_list")

    def get_title(self):
        return _("Record payment: %(r)s") % {"r": self.object}

    def get_breadcrumbs(self):
        return [(_("Rewards"), reverse("evaluation:reward_list"))]

    def perform(self, form):
        return services.reward_mark_paid(actor=self.request.user, reward=self.object,
                                         paid_on=form.cleaned_data["paid_on"])
