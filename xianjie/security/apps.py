from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Login lock-outs and their unlock screen, the content security policy's nonce for Wagtail's inline scripts."""

    name = "xianjie.security"
    label = "xianjie_security"
    verbose_name = _("Security")
