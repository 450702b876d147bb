import pytest
from django.core.management import CommandError, call_command

from safecommunity.accounts.models import User


def test_it_creates_then_updates_the_same_user(tree):
    call_command("createuser", "ann", "--role", "district", "--unit", "500103", "--password", "Strong#pass1")
    user = User.objects.get(username="ann")
    assert (user.role, user.org_unit.code) == ("district", "500103")
    call_command("createuser", "ann", "--role", "unit", "--unit", "500103003", "--password", "Other#pass22")
    user.refresh_from_db()
    assert (user.role, user.org_unit.code) == ("unit", "500103003")
    assert user.check_password("Other#pass22")
    assert User.objects.filter(username="ann").count() == 1


def test_department_users_name_their_department(tree):
    call_command("createuser", "police", "--role", "department", "--unit", "GA", "--password", "Strong#pass1")
    user = User.objects.get(username="police")
    assert user.department.code == "GA" and user.org_unit is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["--role", "district", "--unit", "500103003", "--password", "Strong#pass1"], "区县"),
        (["--role", "unit", "--unit", "999999", "--password", "Strong#pass1"], "999999"),
        (["--role", "city", "--unit", "500103", "--password", "Strong#pass1"], "500000"),
        (["--role", "unit", "--unit", "500103003", "--password", "12345678901"], "password"),
        (["--role", "unit", "--unit", "500103003", "--password", "short1!"], "password"),
        (["--role", "department", "--unit", "XX", "--password", "Strong#pass1"], "XX"),
        (["--role", "unit", "--unit", "500103003"], "password"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(tree, args, message):
    with pytest.raises(CommandError) as exc:
        call_command("createuser", "bob", *args)
    assert message in str(exc.value)
    assert not User.objects.filter(username="bob").exists()
