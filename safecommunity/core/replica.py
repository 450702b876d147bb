"""Reads that many users make and nobody reads back after a write go to a read replica.

With `DATABASE_REPLICA_URL` set, the settings add a database alias "replica" (a PostgreSQL
streaming replica, see README's production section) and install `ReplicaRouter` and
`ReplicaMiddleware`. Without it nothing changes: one database, this module idle.

What goes to the replica: GET/HEAD requests to the pages named in `settings.REPLICA_URL_NAMES`
(statistics, dashboards, the big screen: figures over many records) and every list export
(`?export=…`). Everything else reads the primary, and so does:
- every query of a request after its first write (the router pins the request);
- every request of a user for `REPLICA_PIN_SECONDS` after one of their writes (a cookie set on
  the response of any POST/PUT/PATCH/DELETE): a page reloaded right after a save shows the save
  even while the replica lags behind;
- code outside a request (commands, Celery tasks, tests) unless it asks with `replica_reads()`.

The choice lives in a context variable, so threads and requests never share it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
PIN_COOKIE = "sc_primary"

_replica_ok: ContextVar[bool] = ContextVar("replica_ok", default=False)
_pinned: ContextVar[bool] = ContextVar("replica_pinned", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads in this block may go to the replica (until the block writes)."""
    ok, pinned = _replica_ok.set(True), _pinned.set(False)
    try:
        yield
    finally:
        _pinned.reset(pinned)
        _replica_ok.reset(ok)


# Who the user is, their session and sign-in state are always read where they were written.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "accounts", "axes", "authtoken", "knox", "auditlog", "security",
                               "otp_totp", "otp_static", "django_otp"})


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        if _replica_ok.get() and not _pinned.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # both aliases hold the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica follows the primary; it is never migrated itself


def _replica_eligible(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.COOKIES.get(PIN_COOKIE):
        return False
    if "export" in request.GET:
        return True
    match = getattr(request, "resolver_match", None)
    return bool(match and match.view_name in settings.REPLICA_URL_NAMES)


class ReplicaMiddleware:
    """Decides per request whether its reads may use the replica; pins a writer to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ok = _replica_ok.set(False)
        pinned = _pinned.set(False)
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(pinned)
            _replica_ok.reset(ok)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True, samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_configured() and _replica_eligible(request):
            _replica_ok.set(True)
        return None
