"""Django on a generated scale database (`manage.py generate_scale_data`), and the users the data set names.

The scale benches read a database that took minutes to build, so nothing here migrates or flushes it. The
personal-data keys must be the ones the data was generated with (the names are encrypted with them): the runner
generates and benches with `environment()`, whose keys are fixed and public (bench data only). To bench a data
set built with other keys, export PERSONAL_DATA_KEYS and PERSONAL_DATA_HASH_KEY: they take precedence.
"""

import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VAR_DIR = ROOT / "var" / "bench"
# Public, bench-only keys: b"bench-only-not-secret-scale-key!" and a 40-character hash key.
BENCH_KEYS = {
    "PERSONAL_DATA_KEYS": "YmVuY2gtb25seS1ub3Qtc2VjcmV0LXNjYWxlLWtleSE=",
    "PERSONAL_DATA_HASH_KEY": "bench-only-not-secret-scale-hash-key-xj10",
}


def environment(database_url, base=None):
    """The environment of production settings on `database_url`, for generate_scale_data and every bench."""
    env = dict(os.environ if base is None else base)
    for key, value in BENCH_KEYS.items():
        env.setdefault(key, value)
    env.update(
        DJANGO_SETTINGS_MODULE="xianjie.settings.production",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-" + "k" * 50,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        XIANJIE_VAR_DIR=env.get("XIANJIE_VAR_DIR") or str(VAR_DIR),
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    env.setdefault("DB_CONN_MAX_AGE", "60")  # persistent connections, as in deploy/env.example
    env.pop("REDIS_URL", None)  # the in-process benches use the local-memory cache, as on a single machine
    return env


def configure(email_url=None):
    """Set Django up on DATABASE_URL (required) under production settings; collect the static files once."""
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        raise SystemExit("set DATABASE_URL to a database filled by `manage.py generate_scale_data`")
    os.environ.update(environment(database_url))
    os.environ.pop("REDIS_URL", None)
    if email_url:
        os.environ["EMAIL_URL"] = email_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # the admin pages need the manifest


def generated_counts():
    """(mechanisms, units, cases, assignments) in the database; refuses a database that holds no cases."""
    from mechanism.models import Assignment, Case, Mechanism, MemberUnit

    counts = [model.objects.count() for model in (Mechanism, MemberUnit, Case, Assignment)]
    if not counts[2]:
        raise SystemExit("the database holds no cases: run `manage.py generate_scale_data` first")
    return counts


def scale_users(pattern, count, seed):
    """`count` random (user, object pk) among the users named `pattern` ('scale-u{}' or 'scale-m{}-sec')."""
    from django.contrib.auth import get_user_model

    prefix, suffix = pattern.split("{}")
    names = list(
        get_user_model()
        .objects.filter(username__startswith=prefix, username__endswith=suffix)
        .values_list("username", flat=True)
    )
    names = [name for name in names if name[len(prefix) : len(name) - len(suffix)].isdigit()]
    if not names:
        raise SystemExit(f"no user named {pattern!r}: was the database filled by generate_scale_data?")
    chosen = random.Random(seed).choices(sorted(names), k=count)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=set(chosen))}
    return [(users[name], int(name[len(prefix) : len(name) - len(suffix)])) for name in chosen]
