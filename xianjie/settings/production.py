"""Production: PostgreSQL, Redis, SMTP behind a real WSGI server; refuses to start without its secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_PERSONAL_DATA_HASH_KEY, DEV_PERSONAL_DATA_KEYS, PERSONAL_DATA_HASH_KEY, PERSONAL_DATA_KEYS
from .env import env_bool, env_int, env_required

XIANJIE_ENVIRONMENT = "production"
XIANJIE_DEMO_ALLOWED = False
DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")

# base.py has read and checked the personal-data keys; here they must come from the environment, never the dev ones.
env_required("PERSONAL_DATA_KEYS")
env_required("PERSONAL_DATA_HASH_KEY")
if set(PERSONAL_DATA_KEYS) & set(DEV_PERSONAL_DATA_KEYS):
    raise ImproperlyConfigured("PERSONAL_DATA_KEYS holds the public development key; generate production keys.")
if PERSONAL_DATA_HASH_KEY == DEV_PERSONAL_DATA_HASH_KEY:
    raise ImproperlyConfigured("PERSONAL_DATA_HASH_KEY holds the public development key; generate a production key.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
