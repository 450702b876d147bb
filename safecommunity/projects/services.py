"""Writes of projects: create/update, status transitions (one table), indicators, evaluations."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.records.services import WRITE_ROLES, record_save

from .models import Indicator, IndicatorValue, PhaseEvaluation, Project, ProjectStep

S = Project.Status

TRANSITIONS: dict[str, set[str]] = {
    S.PLANNED: {S.IN_PROGRESS, S.CANCELLED},
    S.IN_PROGRESS: {S.SUSPENDED, S.COMPLETED, S.CANCELLED},
    S.SUSPENDED: {S.IN_PROGRESS, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}


def project_save(*, project: Project, actor, form=None, m2m=None) -> Project:
    """Create or update a project (status changes only through `project_transition`)."""
    if project.pk:
        current = Project.objects.filter(pk=project.pk).values_list("status", flat=True).first()
        if current is not None and current != project.status:
            raise ValidationError({"status": _("Change the status with the status buttons.")})
    return record_save(obj=project, actor=actor, form=form, m2m=m2m)


@transaction.atomic
def project_transition(*, project: Project, to: str, actor, note: str = "") -> Project:
    require_role(actor, *WRITE_ROLES)
    project = Project.objects.select_for_update().select_related("org_unit").get(pk=project.pk)
    require_scope(actor, project.org_unit)
    if to not in S.values:
        raise ValidationError({"to": _("Unknown status: %(s)s.") % {"s": to}})
    if to not in TRANSITIONS[project.status]:
        raise ValidationError({"to": _("A project that is “%(current)s” cannot become “%(target)s”.")
                               % {"current": S(project.status).label, "target": S(to).label}})
    ProjectStep.objects.create(project=project, from_status=project.status, to_status=to, actor=actor, note=note)
    project.status = to
    project.save(update_fields=["status", "updated_at"])
    return project


@transaction.atomic
def indicator_save(*, indicator: Indicator, actor) -> Indicator:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, indicator.project.org_unit)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor) -> None:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, indicator.project.org_unit)
    indicator.delete()


@transaction.atomic
def evaluation_delete(*, evaluation: PhaseEvaluation, actor) -> None:
    """Delete a phase evaluation and its indicator values."""
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, evaluation.project.org_unit)
    evaluation.delete()


@transaction.atomic
def evaluation_save(*, evaluation: PhaseEvaluation, actor, values: dict[int, object] | None = None) -> PhaseEvaluation:
    """Create or update a phase evaluation with its indicator values ({indicator_id: value})."""
    require_role(actor, *WRITE_ROLES)
    project = evaluation.project
    require_scope(actor, project.org_unit)
    if evaluation.project.status == S.CANCELLED:
        raise ValidationError({"project": _("A cancelled project is not evaluated.")})
    if evaluation.year and evaluation.half and evaluation.half not in project.halves_in(evaluation.year):
        raise ValidationError({"half": _("The project did not run in %(year)s %(half)s.")
                               % {"year": evaluation.year, "half": PhaseEvaluation.Half(evaluation.half).label}})
    if evaluation.pk is None and evaluation.created_by_id is None:
        evaluation.created_by = actor
    try:
        evaluation.full_clean()
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):
            raise ValidationError({"half": _("This half year has already been evaluated.")}) from exc
        raise
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as exc:
        raise ValidationError({"half": _("This half year has already been evaluated.")}) from exc
    valid_ids = set(project.indicators.values_list("pk", flat=True))
    for indicator_id, value in (values or {}).items():
        if indicator_id not in valid_ids:
            raise ValidationError({"values": _("Indicator %(id)s does not belong to this project.") % {"id": indicator_id}})
        if value is None or value == "":
            IndicatorValue.objects.filter(evaluation=evaluation, indicator_id=indicator_id).delete()
            continue
        row = IndicatorValue(evaluation=evaluation, indicator_id=indicator_id, value=value)
        try:
            row.clean_fields(exclude=["evaluation", "indicator"])
        except ValidationError as exc:
            raise ValidationError({"values": _("The value of indicator %(id)s is not a number.") % {"id": indicator_id}}) from exc
        IndicatorValue.objects.update_or_create(evaluation=evaluation, indicator_id=indicator_id,
                                                defaults={"value": row.value})
    return evaluation
