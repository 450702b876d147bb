"""Query parameters a view reads by hand: a bad value is a 400 with a message naming it
(BadParameter, answered by core.middleware.RequestGuardMiddleware), never a 500 and never a
silent fallback to another value."""

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

YEAR_MIN, YEAR_MAX = 2000, 2100


class BadParameter(BadRequest):
    """A query parameter the view cannot use: 400, with `message` shown to the user."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


def year_param(params, default: int, *, name: str = "year", low: int = YEAR_MIN, high: int = YEAR_MAX) -> int:
    """The year in `params` (request.GET / query_params), `default` when absent or empty."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 4 or not low <= int(raw) <= high:
        raise BadParameter(name, _("%(name)s: give a year between %(low)s and %(high)s (not “%(value)s”).") % {
            "name": name, "low": low, "high": high, "value": raw[:20]})
    return int(raw)
