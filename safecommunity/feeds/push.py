"""Cases pushed by a hospital system (the API `feeds/push/`, authenticated by a push token bound
to one reporting source) and the push tokens themselves. A push is written at once, all valid or
nothing; the token places cases only inside the scope of the unit that issued it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.accounts.rules import require_role, require_scope
from safecommunity.core.scoping import is_within
from safecommunity.injuries.models import ReportingSource
from safecommunity.orgunits.models import OrgUnit

from . import card, permissions
from .analysis import Analyser, Case
from .models import FeedCase, FeedUpload
from .writing import Writer, summarise


@transaction.atomic
def push(*, token, cases: list[dict]) -> dict:
    """Cases pushed by a hospital system with its token: all valid or nothing written. Keys are
    the card's field keys (see card.COLUMNS) or its Chinese headers. A case naming another
    source or a unit outside the token's scope is refused."""
    source = token.source
    scope = token.scope_unit
    if not isinstance(cases, list) or not cases:
        raise ValidationError({"cases": [_("Send a non-empty list of cases.")]})
    if len(cases) > 5000:
        raise ValidationError({"cases": [_("Send at most 5000 cases per request.")]})
    keys = [c.key for c in card.COLUMNS]
    columns = {k: i for i, k in enumerate(keys)}
    label_to_key = {card.norm_header(s): c.key for c in card.COLUMNS for s in (c.label, *c.synonyms)}
    rows = []
    for n, item in enumerate(cases, start=1):
        if not isinstance(item, dict):
            raise ValidationError({"cases": [_("Case %(n)s is not an object.") % {"n": n}]})
        if "source" in item and str(item["source"]) not in (str(source.pk), source.name):
            raise PermissionDenied(_("This token may only submit cases of %(source)s.") % {"source": source})
        unit_code = item.get("org_unit")
        if unit_code:
            unit = OrgUnit.objects.filter(code=str(unit_code)).first()
            if unit is None or not is_within(unit, scope):
                raise PermissionDenied(_("This token may not submit cases for unit %(code)s.") % {"code": unit_code})
        cells = [None] * len(keys)
        for k, v in item.items():
            key = k if k in columns else label_to_key.get(card.norm_header(k))
            if key in columns:
                cells[columns[key]] = v
        rows.append((n, cells))
    upload = FeedUpload.objects.create(org_unit=scope, source=source, channel=FeedUpload.Channel.API,
                                       file_name="", status=FeedUpload.Status.PREVIEW, columns={k: k for k in keys})
    # A case naming a unit is placed there (inside the token's scope, checked above).
    by_code = dict(OrgUnit.objects.under(scope).townships().values_list("code", "id"))

    def adjust(case: Case) -> None:
        code = cases[case.row - 1].get("org_unit")
        if code and str(code) in by_code:
            case.unit_id = by_code[str(code)]
            if case.status == FeedCase.Status.UNPLACED:
                case.status = FeedCase.Status.IMPORTED

    writer = Writer(actor=None, upload=upload, batch=None)  # no background thread: ORM writes
    analyser = Analyser(source=source, area=scope.path, columns=columns,
                        headers=[c.label for c in card.COLUMNS])
    analysis = analyser.run(analyser.parsed(rows), sink=writer, adjust=adjust)
    if analysis.problems:  # the transaction is rolled back: nothing of this push stays
        raise ValidationError({"cases": [_("Case %(row)s, %(column)s: %(reason)s") % {
            "row": r, "column": col, "reason": m} for r, col, m in analysis.problems[:200]]})
    upload.rows_imported = writer.finish()
    summarise(upload, analysis)
    upload.status = FeedUpload.Status.IMPORTED
    upload.imported_at = timezone.now()
    upload.save()
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])
    return {"upload": upload.pk, "received": len(cases), "imported": upload.rows_imported,
            "duplicates": upload.rows_duplicate, "already_received": upload.rows_known,
            "to_place_by_hand": upload.rows_unplaced, "other_districts": sum(analysis.elsewhere.values())}


# --- push tokens ----------------------------------------------------------------------------

@transaction.atomic
def token_issue(*, actor, source: ReportingSource, name: str):
    """A push token for `source`; it places cases inside the issuer's own scope. Returns
    (token, clear key) — the key is shown once and only its hash is stored."""
    from .models import FeedToken

    require_role(actor, *permissions.write.roles)
    require_scope(actor, source.org_unit)
    if not (name or "").strip():
        raise ValidationError({"name": [_("Give the token a name.")]})
    token, key = FeedToken.issue(name=name.strip()[:100], source=source, scope_unit=actor.org_unit, created_by=actor)
    token.save()
    return token, key


@transaction.atomic
def token_revoke(*, actor, token) -> None:
    require_role(actor, *permissions.write.roles)
    require_scope(actor, token.source.org_unit)
    token.is_active = False
    token.save(update_fields=["is_active", "updated_at"])
