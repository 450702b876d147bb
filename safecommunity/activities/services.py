"""Writes of activities. Records are saved through `records.services.record_save` (role, scope,
full_clean, one transaction); team members here."""

from django.db import transaction

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.records.services import WRITE_ROLES, record_delete, record_save

from .models import TeamMember

__all__ = ["record_save", "record_delete", "member_save", "member_remove"]


@transaction.atomic
def member_save(*, member: TeamMember, actor) -> TeamMember:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, member.team.org_unit)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_remove(*, member: TeamMember, actor) -> None:
    require_role(actor, *WRITE_ROLES)
    require_scope(actor, member.team.org_unit)
    member.delete()
