"""The test suite: SQLite unless TEST_DATABASE_URL names PostgreSQL; jobs run in-process."""

import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403
from .base import AUTHENTICATION_BACKENDS, DATABASES, DEV_PERSONAL_DATA_HASH_KEY, DEV_PERSONAL_DATA_KEYS, Q_CLUSTER
from .env import env_str

XIANJIE_ENVIRONMENT = "test"
XIANJIE_DEMO_ALLOWED = True
DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Fixed, whatever the environment holds, so tests never touch real keys.
PERSONAL_DATA_KEYS = DEV_PERSONAL_DATA_KEYS
PERSONAL_DATA_HASH_KEY = DEV_PERSONAL_DATA_HASH_KEY

_test_url = env_str("TEST_DATABASE_URL", "")
if _test_url:
    DATABASES = {"default": dj_database_url.parse(_test_url)}
else:
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "TEST": {"NAME": ":memory:"},
    }

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
Q_CLUSTER.pop("redis", None)
Q_CLUSTER["orm"] = "default"

# Documents built by background jobs during the tests go to a throwaway folder, never var/.
PRIVATE_DOCUMENTS_ROOT = Path(tempfile.mkdtemp(prefix="xianjie-test-documents-"))

# django-axes stays on (the login form's lock-out is tested); only Client.login(), which passes no request,
# is let through. force_login() never authenticates and is never counted.
AUTHENTICATION_BACKENDS = ["xianjie.security.backends.TestClientAxesBackend", *AUTHENTICATION_BACKENDS[1:]]
