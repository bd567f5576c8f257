"""Admin screen: the current login lock-outs, and unlocking one (superusers; a secretariat for its own users).

A secretariat never sees nor unlocks a superuser's lock-out, even when the superuser is a member of its
mechanism. Every unlock is logged with the acting user's pk and the unlocked user's pk only (no names).
"""

import logging

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mechanism.access import managed_memberships

logger = logging.getLogger(__name__)


def may_unlock(user):
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or managed_memberships(user).exists()))


def unlockable_attempts(user):
    """Locked-out attempts still inside the cool-off, limited to the users of the secretariat's mechanisms."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    if user.is_superuser:
        return attempts
    users = get_user_model().objects.filter(pk__in=managed_memberships(user).values("user_id"), is_superuser=False)
    usernames = users.values(get_user_model().USERNAME_FIELD)
    return attempts.filter(username__in=usernames)


def _require(user):
    if not may_unlock(user):
        raise PermissionDenied


def lockout_list(request):
    _require(request.user)
    context = {"attempts": unlockable_attempts(request.user), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return TemplateResponse(request, "xianjie_security/lockouts.html", context)


@require_POST
def unlock(request, pk):
    _require(request.user)
    attempt = get_object_or_404(unlockable_attempts(request.user), pk=pk)
    reset(ip=attempt.ip_address, username=attempt.username)
    unlocked = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: attempt.username}).first()
    logger.warning("Login lock-out lifted by user %s for user %s", request.user.pk, unlocked.pk if unlocked else None)
    messages.success(request, _("%(username)s can log in again.") % {"username": attempt.username})
    return redirect("xianjie_security:lockouts")
