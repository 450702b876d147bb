"""Production: secrets from the environment, HTTPS-only cookies, collected static files.

`DJANGO_SETTINGS_MODULE=safecommunity.settings.production safecommunity check --deploy`
reports no warnings when SECRET_KEY and ALLOWED_HOSTS are set.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # required: no default in production
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)  # false only for bench/load_test.py
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
WHITENOISE_USE_FINDERS = False
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405

# Persistent database connections (a new connection per request costs more than many a query),
# checked before reuse so a restarted database server is noticed instead of failing a request.
for _alias in DATABASES.values():  # noqa: F405
    _alias.setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    _alias.setdefault("CONN_HEALTH_CHECKS", True)
