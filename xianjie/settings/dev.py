"""Local development: SQLite, ORM broker, e-mails written to files under var/mail/."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, VAR_DIR

XIANJIE_ENVIRONMENT = "dev"
XIANJIE_DEMO_ALLOWED = True
DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-" + "x" * 40
VAR_DIR.mkdir(parents=True, exist_ok=True)
