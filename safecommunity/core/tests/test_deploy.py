import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DJANGO_SETTINGS_MODULE="safecommunity.settings.production",
               SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-0123456789", ALLOWED_HOSTS="sc.example.gov.cn",
               DATABASE_URL="sqlite:////tmp/sc-check-deploy.sqlite3", PYTHONPATH=str(ROOT),
               PERSONAL_DATA_KEYS="k1:" + "A" * 43)
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="safecommunity.settings.production", ALLOWED_HOSTS="x", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_audit_prune_keeps_six_months(unit_a):
    old = LogEntry.objects.log_create(unit_a, action=LogEntry.Action.UPDATE, changes={"x": [1, 2]})
    # rows are written in time order (the audit chain prunes its oldest part): all up to `old` are old
    LogEntry.objects.filter(pk__lte=old.pk).update(timestamp=timezone.now() - timedelta(days=400))
    recent = LogEntry.objects.log_create(unit_a, action=LogEntry.Action.UPDATE, changes={"x": [2, 3]})
    LogEntry.objects.filter(pk=recent.pk).update(timestamp=timezone.now() - timedelta(days=100))
    with pytest.raises(CommandError):
        call_command("audit_prune", "--days", "90")
    call_command("audit_prune", "--days", "365")
    assert not LogEntry.objects.filter(pk=old.pk).exists()
    assert LogEntry.objects.filter(pk=recent.pk).exists()


def test_collectstatic_gathers_the_vendor_files_pages_load_and_not_the_unused_builds():
    """Every vendor file a template names is found (served by the app, no CDN); echarts' unused
    builds are not collected (they made collectstatic take minutes)."""
    import re
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings
    from django.contrib.staticfiles import finders

    if not (settings.NODE_MODULES / "echarts" / "dist").is_dir():
        pytest.skip("npm packages not installed (scripts/setup.sh installs them)")
    root = Path(settings.BASE_DIR)
    named = set()
    for template in root.glob("**/templates/**/*.html"):
        named |= set(re.findall(r"vendor/[\w.-]+/[\w./-]+\.(?:js|css)", template.read_text(encoding="utf-8")))
    assert "vendor/echarts/echarts.min.js" in named
    for path in named:
        assert finders.find(path), path
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    collected = {path for finder in finders.get_finders() for path, _storage in finder.list(ignore)}
    assert "echarts.min.js" in collected
    assert not {"echarts.js", "echarts.esm.js", "echarts.js.map", "extension/bmap.js"} & collected
