"""The handover's POST actions: each finds the handover the user may see (404 otherwise), refuses a page older
than the handover (its hidden `updated_at`), calls the service and goes back to the handover with a message.
A user who may see but not act gets the service's refusal; nothing is changed."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import View

from mechanism.models import MemberUnit
from mechanism.services.errors import ActionRefused
from mechanism.stamps import check_stamp, seen_stamp

from ..plans import local_date
from . import services
from .access import get_handover_for_user


def _meeting_held(request, handover, seen, now, unit_pk):
    services.record_meeting_held(handover, by=request.user, now=now, seen_updated_at=seen)
    return _("The handover meeting is recorded as held.")


def _open_items(request, handover, seen, now, unit_pk):
    services.list_open_items(handover, by=request.user, now=now, seen_updated_at=seen)
    return _("The open cases and action items are listed.")


def _verify_contacts(request, handover, seen, now, unit_pk):
    unit = get_object_or_404(MemberUnit, pk=unit_pk, mechanism_id=handover.mechanism_id)
    check_stamp(handover, seen)  # the unit's row is locked, not the handover's: compared here
    services.verify_contacts(unit, by=request.user, today=local_date(now))
    return _("The contacts of %(unit)s are verified.") % {"unit": unit.name}


def _sign_outgoing(request, handover, seen, now, unit_pk):
    services.sign_outgoing(handover, by=request.user, now=now, seen_updated_at=seen)
    return _("Signed as the outgoing convener.")


def _sign_incoming(request, handover, seen, now, unit_pk):
    services.sign_incoming(handover, by=request.user, now=now, seen_updated_at=seen)
    return _("Signed as the incoming convener: %(unit)s is the convener from now on.") % {
        "unit": handover.incoming_unit.name
    }


ACTIONS = {
    "meeting_held": _meeting_held,
    "open_items": _open_items,
    "verify_contacts": _verify_contacts,
    "sign_outgoing": _sign_outgoing,
    "sign_incoming": _sign_incoming,
}


@method_decorator(never_cache, name="dispatch")
class HandoverActionView(View):
    def post(self, request, pk, action, unit_pk=None):
        handover = get_handover_for_user(request.user, pk)
        try:
            seen = seen_stamp(request.POST)  # the services compare it with the handover's under their lock
            done = ACTIONS[action](request, handover, seen, timezone.now(), unit_pk)
        except ActionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, done)
        return redirect("rotation_handovers:detail", pk=handover.pk)
