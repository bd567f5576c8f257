from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XianjieConfig(AppConfig):
    name = "xianjie"
    verbose_name = _("Public site")

    def ready(self):
        from . import checks  # noqa: F401 — registers the deployment checks
        from .public import signals  # noqa: F401 — connects the public cache purge
