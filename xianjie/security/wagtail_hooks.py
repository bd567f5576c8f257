from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls
from .views import may_unlock


class LockoutMenuItem(MenuItem):
    def is_shown(self, request):
        return may_unlock(request.user)


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [path("lockouts/", include(urls, namespace="xianjie_security"))]


@hooks.register("register_settings_menu_item")
def register_lockout_menu_item():
    return LockoutMenuItem(_("Login lock-outs"), reverse("xianjie_security:lockouts"), icon_name="lock", order=900)
