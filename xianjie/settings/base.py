"""Settings shared by every environment; the environment is read through the strict helpers in env.py."""

from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import email_settings, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("XIANJIE_VAR_DIR", str(BASE_DIR / "var")))

XIANJIE_ENVIRONMENT = "base"
# seed_demo refuses to run where this is False (production).
XIANJIE_DEMO_ALLOWED = False

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def checked_fernet_keys(name):
    """The comma-separated Fernet keys in the variable `name`; a malformed one stops start-up."""
    keys = env_list(name)
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: key {position} is not a Fernet key (32 url-safe base64-encoded bytes); make one with "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.'
            ) from None
    return keys


# Personal data (ID numbers, phones) is encrypted at rest: the first key encrypts, every key decrypts, so a
# new key goes first and the old ones stay until `manage.py rotate_personal_data_keys` has run. The HMAC key
# makes the blind indexes that match people without decrypting; changing it orphans every stored index.
# The DEV_ keys are public, for development and tests only; production.py refuses to start with them.
DEV_PERSONAL_DATA_KEYS = ["ZGV2LW9ubHktbm90LXNlY3JldC14aWFuamllLWtleSE="]  # b"dev-only-not-secret-xianjie-key!"
DEV_PERSONAL_DATA_HASH_KEY = "dev-only-not-secret-personal-data-hash-key"
PERSONAL_DATA_KEYS = checked_fernet_keys("PERSONAL_DATA_KEYS") or DEV_PERSONAL_DATA_KEYS
PERSONAL_DATA_HASH_KEY = env_str("PERSONAL_DATA_HASH_KEY", "").strip() or DEV_PERSONAL_DATA_HASH_KEY
if len(PERSONAL_DATA_HASH_KEY) < 32:
    raise ImproperlyConfigured("PERSONAL_DATA_HASH_KEY must be at least 32 characters long.")

INSTALLED_APPS = [
    "mechanism",
    "meetings",
    "rotation",
    "xianjie",
    # Before wagtail.admin: its templates give Wagtail's inline scripts the CSP nonce.
    "xianjie.security",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_q",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # Outside the page cache, so that a cached public page carries the policy too (public pages use no nonce).
    "xianjie.security.csp.CSPMiddleware",
    # Then: a cached public page is answered before sessions, authentication or the database.
    "xianjie.public.cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a refused login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xianjie.urls"
WSGI_APPLICATION = "xianjie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ]
        },
    }
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user and address before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Grants admin access to anyone who belongs to a member unit; rows are scoped in mechanism.access.
    "mechanism.backends.MembershipBackend",
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xianjie.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0, 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The django-q2 ORM broker writes from another process: wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
# How long a public page (home pages, the help directory, its open data) is kept; edits purge it sooner.
XIANJIE_PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600, 0)

Q_CLUSTER = {
    "name": "xianjie",
    "workers": env_int("Q_WORKERS", 2, 1),
    "timeout": 300,
    "retry": 360,  # must exceed timeout, or a slow job runs twice
    "max_attempts": 5,
    "catch_up": False,
    "label": _("Background jobs"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Documents built in the background for one user (they may hold personal data): outside MEDIA_ROOT, never
# served by URL, only through the job's view, which checks the user again.
PRIVATE_DOCUMENTS_ROOT = Path(env_str("XIANJIE_PRIVATE_DOCUMENTS_DIR", str(VAR_DIR / "private-documents")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "xianjie <noreply@xianjie.localhost>")
globals().update(email_settings(env_str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}")))

WAGTAIL_SITE_NAME = "衔接 xianjie"
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
LOGIN_URL = "wagtailadmin_login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Every immediate background task logs twice at INFO; only its problems are news.
    # SQL parameters would carry personal data in clear: never below INFO, whatever LOG_LEVEL says.
    "loggers": {"django_tasks": {"level": "WARNING"}, "django.db.backends": {"level": "INFO"}},
}

# Proxies in front of the site whose X-Forwarded-For may be trusted (the help request's rate limit, logins).
XIANJIE_TRUSTED_PROXY_COUNT = env_int("XIANJIE_TRUSTED_PROXY_COUNT", 0, 0)

from .security import *  # noqa: E402, F403 — login throttling, content security policy, uploads

DEMO_PASSWORD = "xianjie-demo"
