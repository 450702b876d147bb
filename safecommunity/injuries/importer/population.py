"""A population file: each row one unit's population by sex and age band for a year (and its
workforce), saved through `population_save`, all or nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safecommunity.core.choices import CREATING_LEVELS
from safecommunity.core.excel import cell_text
from safecommunity.orgunits.models import OrgUnit

from ..models import ImportBatch
from .cells import _int
from .columns import POPULATION_COLUMNS
from .rows import _Rollback


def import_population(batch: ImportBatch, actor, rows, total: int) -> tuple[int, list[dict]]:
    from django.core.exceptions import PermissionDenied

    from ..services import population_save

    units = OrgUnit.objects.visible_to(actor)
    units = {u.code: u for u in units.filter(level__in=CREATING_LEVELS)}
    headers = {c[0]: str(c[1]) for c in POPULATION_COLUMNS}
    errors: list[dict] = []
    parsed = []
    for i, cells in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        cells = list(cells) + [None] * (len(POPULATION_COLUMNS) - len(cells))
        v = dict(zip((c[0] for c in POPULATION_COLUMNS), cells, strict=False))
        unit = units.get(cell_text(v["unit"]))
        if unit is None:
            errors.append({"row": i, "column": headers["unit"], "reason": _("Unknown unit code %(code)s, or a unit outside your area.") % {"code": cell_text(v["unit"])}})
        values = {}
        for key, header, _l, _r in POPULATION_COLUMNS[1:]:
            try:
                values[key] = _int(v[key])
                if values[key] is not None and values[key] < 0:
                    raise ValueError
            except ValueError:
                errors.append({"row": i, "column": str(header), "reason": _("Not a whole number ≥ 0: %(value)s.") % {"value": cell_text(v[key])}})
        if values.get("year") is None:
            errors.append({"row": i, "column": headers["year"], "reason": _("Required.")})
        parsed.append((i, unit, values))
    if not parsed and not errors:
        errors.append({"row": 1, "column": "", "reason": _("The file holds no data rows.")})
    if errors:
        return 0, errors
    try:
        with transaction.atomic():
            for i, unit, values in parsed:
                counts = {tuple(k.split(":")): (values[k] or 0) for k in values if ":" in k}
                try:
                    population_save(actor=actor, org_unit=unit, year=values["year"], counts=counts,
                                    workforce=values.get("workforce"))
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        errors.extend({"row": i, "column": field, "reason": m} for m in messages)
                except PermissionDenied as exc:
                    errors.append({"row": i, "column": headers["unit"], "reason": str(exc)})
            if errors:
                raise _Rollback
    except _Rollback:
        return 0, errors
    return len(parsed), errors
