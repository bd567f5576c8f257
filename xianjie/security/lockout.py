"""What a locked-out person sees: Wagtail's login page with the reason, answered 429."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.admin.forms.auth import LoginForm


def lockout_message():
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins for this user name from this address. Wait %(minutes)s minutes and try again, "
        "or ask the secretariat to unlock your account."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login form again, with the lock-out message instead of a password error."""
    form = LoginForm(request=request, initial={"username": (credentials or {}).get("username", "")})
    context = {"form": form, "lockout_message": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "xianjie_security/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
