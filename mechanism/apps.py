from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MechanismConfig(AppConfig):
    name = "mechanism"
    verbose_name = _("Mechanisms and member units")

    def ready(self):
        from .documents.referral import register_kind

        register_kind()
