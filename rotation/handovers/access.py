"""Who may see and act on a handover. Reading follows the mechanism; the secretariat manages; the outgoing
convener's liaisons sign first while their unit holds the term; the incoming unit's liaisons complete it.
Nobody signs before 1 January 00:00 (Asia/Shanghai) of the handover's year: the term of a year starts when
that January's handover is signed (see rotation.plans). Getters answer 404 for what the user may not see."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone

from mechanism import access as mechanism_access
from mechanism.models import Membership, Role
from meetings.access import is_convener_liaison, may_convene

from ..models import Handover
from ..plans import SHANGHAI


def visible_handovers(user):
    return Handover.objects.filter(mechanism__in=mechanism_access.visible_mechanisms(user))


def get_handover_for_user(user, pk):
    related = ("mechanism__area", "outgoing_unit", "incoming_unit", "outgoing_signed_by", "incoming_signed_by")
    return get_object_or_404(visible_handovers(user).select_related(*related), pk=pk)


def _is_superuser(user):
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def is_liaison_of(user, unit):
    if unit is None or not mechanism_access.is_staff_member(user):
        return False
    return Membership.objects.filter(user=user, unit=unit, role=Role.LIAISON).exists()


def may_manage(user, handover):
    """The secretariat of the mechanism (and superusers): create handovers, verify any unit's contacts."""
    return mechanism_access.is_staff_member(user) and mechanism_access.can_manage_mechanism(user, handover.mechanism)


def may_prepare(user, handover, now=None):
    """Record the meeting held and list the open items: the secretariat or the convener's liaisons (now)."""
    return may_convene(user, handover.mechanism, now or timezone.now())


def may_verify_contacts(user, unit):
    """A liaison of the unit, or the secretariat of its mechanism."""
    if _is_superuser(user) or is_liaison_of(user, unit):
        return True
    return mechanism_access.is_staff_member(user) and mechanism_access.can_manage_mechanism(user, unit.mechanism)


def signing_opens_at(handover):
    """1 January 00:00 (Asia/Shanghai) of the handover's year: the earliest moment either side may sign."""
    return datetime.datetime(handover.year, 1, 1, tzinfo=SHANGHAI)


def signing_open(handover, now=None):
    return (now or timezone.now()) >= signing_opens_at(handover)


def is_outgoing_signer(user, handover, now=None):
    """A liaison of the outgoing unit while that unit holds the convener term (or a superuser), any day."""
    if _is_superuser(user):
        return True
    unit, now = handover.outgoing_unit, now or timezone.now()
    if unit is None or not is_convener_liaison(user, handover.mechanism, now):
        return False
    convener = handover.mechanism.convener_on(now)
    return convener is not None and convener.pk == unit.pk


def is_incoming_signer(user, handover):
    """A liaison of the incoming unit (or a superuser), any day."""
    return _is_superuser(user) or is_liaison_of(user, handover.incoming_unit)


def may_sign_outgoing(user, handover, now=None):
    """The outgoing signer, from 1 January of the handover's year."""
    now = now or timezone.now()
    return signing_open(handover, now) and is_outgoing_signer(user, handover, now)


def may_sign_incoming(user, handover, now=None):
    """The incoming signer, from 1 January of the handover's year."""
    return signing_open(handover, now) and is_incoming_signer(user, handover)
