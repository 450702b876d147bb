"""The city office sets the league table's weights."""

from django.db import transaction

from safecommunity.accounts.rules import require_role

from . import permissions
from .models import INDICATORS, Weights


@transaction.atomic
def weights_set(*, actor, **values) -> Weights:
    require_role(actor, *permissions.weights.roles)
    w = Weights.objects.select_for_update().order_by("pk").first() or Weights(created_by=actor)
    for k in INDICATORS:
        if k in values:
            setattr(w, k, values[k])
    w.full_clean()
    w.save()
    return w
