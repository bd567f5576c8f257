"""Who may see and run meetings. Reading follows mechanism.access; convening is the secretariat's and the
current convener's liaisons'. Getters answer 404 for what the user may not see."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from mechanism import access as mechanism_access
from mechanism.models import Membership, Role

from .models import Meeting


def visible_meetings(user):
    """Every meeting of the mechanisms the user reads (secretariat, supervisor, liaison)."""
    return Meeting.objects.filter(mechanism__in=mechanism_access.visible_mechanisms(user))


def may_convene(user, mechanism, moment=None):
    """The secretariat of the mechanism, or a liaison of the unit convening now (or at `moment`)."""
    if not mechanism_access.is_staff_member(user):
        return False
    if mechanism_access.can_manage_mechanism(user, mechanism):
        return True
    convener = mechanism.convener_on(moment or timezone.now())
    return bool(convener and Membership.objects.filter(user=user, unit=convener, role=Role.LIAISON).exists())


def convened_meetings(user):
    """Meetings the user may convene, notice, reschedule and cancel (checked per meeting with may_convene)."""
    mechanisms = mechanism_access.managed_mechanisms(user)
    return Meeting.objects.filter(mechanism__in=mechanisms)


def get_meeting_for_user(user, pk):
    return get_object_or_404(visible_meetings(user).select_related("mechanism", "mechanism__area"), pk=pk)
