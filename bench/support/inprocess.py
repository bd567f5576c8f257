"""Django under production settings on a throwaway database (SQLite in `var_dir`, or BENCH_DATABASE_URL)."""

import os
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent.parent


def configure(var_dir):
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="xianjie.settings.production",
        SECRET_KEY="bench-" + "k" * 50,
        PERSONAL_DATA_KEYS=Fernet.generate_key().decode(),
        PERSONAL_DATA_HASH_KEY="bench-hash-key-" + "h" * 32,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        XIANJIE_VAR_DIR=str(var_dir),
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{var_dir / 'bench.sqlite3'}",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
