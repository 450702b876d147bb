"""Test settings: fast hashers, eager tasks, in-memory files, a scratch folder of the run's own."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR  # noqa: F401

# Files the code keeps on disk (kept previews of hospital files) go to a folder of this test
# process, so two test runs on one checkout (SQLite and PostgreSQL, say) do not meet there.
VAR_DIR = Path(tempfile.mkdtemp(prefix="safecommunity-test-"))
atexit.register(shutil.rmtree, VAR_DIR, ignore_errors=True)

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
JOBS_RUN_AT_ONCE = True  # core.jobs: where started (tests of "not in the request" switch it off)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
LANGUAGE_CODE = "zh-hans"
# The second factor is switched on by the tests of security (override_settings); other tests sign
# in with a password only, as before.
TWO_FACTOR_REQUIRED_ROLES = []

# Figures are computed afresh in tests (many change records with update(), which sends no signal);
# core/tests/test_figures_cache.py and the home test switch the cache on.
FIGURES_CACHE_SECONDS = 0
TODOS_CACHE_SECONDS = 0
