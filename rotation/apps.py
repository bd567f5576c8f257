from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotationConfig(AppConfig):
    name = "rotation"
    verbose_name = _("Rotation and handover")

    def ready(self):
        # Importing registers: the document kinds `handover` and `summary`, and the mechanism file's `rotation:`.
        from . import files  # noqa: F401
        from .handovers import document as handover_document  # noqa: F401
        from .summaries import document as summary_document  # noqa: F401
