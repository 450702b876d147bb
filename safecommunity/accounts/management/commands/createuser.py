from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from safecommunity.accounts.services import user_upsert
from safecommunity.core.audit import ActorCommand
from safecommunity.core.roles import Role


class Command(ActorCommand):
    help = "Create a user, or update the role, unit or password of an existing one (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--unit", required=True, help="official code: 500000 city, 500103 district, "
                            "500103001 township; a department's code for department users")
        parser.add_argument("--password", help="required for a new user")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--phone", default="")

    def handle(self, *args, **opts):
        try:
            user, created = user_upsert(
                username=opts["username"], role=opts["role"], code=opts["unit"], password=opts["password"],
                full_name=opts["name"], phone=opts["phone"],
            )
        except ValidationError as exc:
            lines = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items()]
            raise CommandError("\n".join(lines))
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} user {user.username} ({user.role} @ {user.unit_label})"))
