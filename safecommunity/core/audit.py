"""Who made a change, for the audit trail (django-auditlog), where its middleware cannot see it.

`auditlog.middleware.AuditlogMiddleware` names the actor from `request.user` before the view
runs; a REST request authenticated by a token is authenticated only inside the DRF view, so
its changes would be logged with no actor. `set_request_actor` puts the authenticated user
into the request's audit context (core.drf calls it in every viewset's `initial()`).
Management commands have no request at all: `ActorCommand` adds `--actor USERNAME` and logs
its changes under that user, and always records the command and the operating-system user
in the entry's additional data."""

import contextlib
import getpass

from auditlog.context import auditlog_value, set_extra_data
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


def set_request_actor(user) -> None:
    """Name `user` as the actor of the changes the current request makes from now on."""
    if not isinstance(user, get_user_model()) or not user.is_authenticated:
        return
    try:
        context = auditlog_value.get()
    except LookupError:  # no audit context (the middleware is not installed): nothing to add to
        return
    if context.get("actor") is None:
        context["actor"] = user


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for the process's uid (some containers)
        return ""


@contextlib.contextmanager
def command_actor(username: str | None, command: str):
    """Log every change made inside the block as made by `username` (None: no user, the
    operating-system user is still recorded) through the command `command`."""
    user = None
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--actor: no user named {username!r}")
    with set_extra_data(context_data={"actor": user, "additional_data": {"command": command, "os_user": os_user()}}):
        yield user


class ActorCommand(BaseCommand):
    """A management command whose changes name their actor in the audit trail (`--actor`)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("--actor", metavar="USERNAME",
                            help="the user the audit trail names for this command's changes "
                                 "(default: none; the operating-system user is recorded)")
        return parser

    def execute(self, *args, **options):
        command = self.__module__.rsplit(".", 1)[-1]
        with command_actor(options.get("actor"), command) as actor:
            self.actor = actor
            return super().execute(*args, **options)
