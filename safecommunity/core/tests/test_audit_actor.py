"""Every change names its actor in the audit trail: a REST change authenticated by a token
(authenticated inside the view, after the audit middleware looked), and a command's change
(`--actor`, and the operating-system user always)."""

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from safecommunity.accounts.models import User
from safecommunity.hazards import services
from safecommunity.hazards.models import Hazard, RiskEntry
from safecommunity.hazards.tests.factories import report
from safecommunity.security.services import token_issue

pytestmark = pytest.mark.django_db


def token_client(user):
    client = APIClient()
    _, key = token_issue(user=user)  # the product's API token (what POST /api/v1/auth/token/ gives)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def entries(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def test_a_token_change_names_the_tokens_user(unit_a):
    client = token_client(unit_a)
    data = {"org_unit": "500103003", "kind": "source", "name": "加油站", "safety_area": "fire", "risk_level": "orange",
            "last_reviewed_on": str(services.local_today()), "department": "GA"}
    response = client.post("/api/v1/risk-entries/", data, format="json")
    assert response.status_code == 201
    entry = RiskEntry.objects.get(pk=response.json()["id"])
    response = client.patch(f"/api/v1/risk-entries/{entry.pk}/", {"risk_level": "red"}, format="json")
    assert response.status_code == 200
    logged = list(entries(entry))
    assert [e.action for e in logged] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor == unit_a for e in logged)
    assert "risk_level" in logged[-1].changes_dict


def test_a_hazard_assigned_through_the_api_names_the_district(unit_a, district_a):
    hazard = report(unit_a)
    response = token_client(district_a).post(f"/api/v1/hazards/{hazard.pk}/assign/",
                                             {"responsible_unit": "500103003"}, format="json")
    assert response.status_code == 200
    change = entries(Hazard.objects.get(pk=hazard.pk)).filter(action=LogEntry.Action.UPDATE).last()
    assert change.actor == district_a


def test_a_command_names_its_actor_and_the_operating_system_user(sysadmin, tree):
    call_command("createuser", "cli_made", role="unit", unit="500103003", password="Long-enough-9", actor=sysadmin.username)
    made = entries(User.objects.get(username="cli_made")).get(action=LogEntry.Action.CREATE)
    assert made.actor == sysadmin
    assert made.additional_data["command"] == "createuser" and "os_user" in made.additional_data
    call_command("createuser", "cli_made", role="unit", unit="500103001")
    changed = entries(User.objects.get(username="cli_made")).filter(action=LogEntry.Action.UPDATE).last()
    assert changed.actor is None and changed.additional_data["command"] == "createuser"
    with pytest.raises(CommandError):
        call_command("createuser", "other", role="unit", unit="500103003", password="Long-enough-9", actor="nobody")
    assert not User.objects.filter(username="other").exists()
