"""Who may see and run meetings. Reading follows mechanism.access; convening is the secretariat's and the
current convener's liaisons'. Getters answer 404 for what the user may not see."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mechanism import access as mechanism_access
from mechanism.models import ConvenerTerm, Membership, Role

from .models import Meeting, Minutes, MinutesRevision


def visible_meetings(user):
    """Every meeting of the mechanisms the user reads (secretariat, supervisor, liaison)."""
    return Meeting.objects.filter(mechanism__in=mechanism_access.visible_mechanisms(user))


def is_convener_liaison(user, mechanism, moment=None):
    """A staff member who is a liaison of the unit whose convener term covers `moment` (default: now).
    The one definition of "the convener's liaison": meetings, minutes, handovers and summaries use it."""
    if not mechanism_access.is_staff_member(user):
        return False
    convener = mechanism.convener_on(moment or timezone.now())
    return bool(convener and Membership.objects.filter(user=user, unit=convener, role=Role.LIAISON).exists())


def may_convene(user, mechanism, moment=None):
    """The secretariat of the mechanism, or a liaison of the unit convening now (or at `moment`)."""
    if not mechanism_access.is_staff_member(user):
        return False
    if mechanism_access.can_manage_mechanism(user, mechanism):
        return True
    return is_convener_liaison(user, mechanism, moment)


def convenable_mechanisms(user, moment=None):
    """The mechanisms in which may_convene holds (a list, in one query): those the user manages and those whose
    convener now is a unit the user is a liaison of."""
    if not mechanism_access.is_staff_member(user):
        return []
    convening = ConvenerTerm.objects.covering(moment or timezone.now()).filter(
        unit__memberships__user=user, unit__memberships__role=Role.LIAISON
    )
    managed = mechanism_access.managed_mechanisms(user).values("pk")
    mechanisms = mechanism_access.visible_mechanisms(user).filter(
        Q(pk__in=managed) | Q(pk__in=convening.values("mechanism_id"))
    )
    return list(mechanisms.order_by("pk"))


def convened_meetings(user):
    """Meetings the user may convene, notice, reschedule and cancel (checked per meeting with may_convene)."""
    mechanisms = mechanism_access.managed_mechanisms(user)
    return Meeting.objects.filter(mechanism__in=mechanisms)


def get_meeting_for_user(user, pk):
    return get_object_or_404(visible_meetings(user).select_related("mechanism", "mechanism__area"), pk=pk)


# Minutes ----------------------------------------------------------------------------------------------


def _is_liaison(user, unit_ids):
    return Membership.objects.filter(user=user, unit_id__in=unit_ids, role=Role.LIAISON).exists()


def may_draft_minutes(user, mechanism):
    """Draft, edit, send for review, revise, publish and correct the minutes: the same people who convene."""
    return may_convene(user, mechanism)


def may_approve_minutes(user, mechanism, moment=None):
    """A superuser, or a liaison of the unit convening now (or at `moment`); the secretariat does not approve."""
    if not mechanism_access.is_staff_member(user):
        return False
    if user.is_superuser:
        return True
    return is_convener_liaison(user, mechanism, moment)


def _may_read_unpublished(user, minutes, mechanism):
    if may_draft_minutes(user, mechanism) or may_approve_minutes(user, mechanism):
        return True
    if Membership.objects.filter(user=user, unit__mechanism=mechanism, role=Role.SUPERVISOR).exists():
        return True
    asked = MinutesRevision.reviewers.through.objects.filter(minutesrevision__minutes=minutes).values("memberunit_id")
    return _is_liaison(user, asked)


def get_minutes_for_user(user, meeting_pk):
    """The minutes of a meeting the user may read: before publication only those drafting, approving,
    supervising or asked to review; once published every reader of the mechanism. Otherwise 404."""
    meeting = get_meeting_for_user(user, meeting_pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("meeting__mechanism").first()
    if minutes is None:
        raise Http404
    # Ever published: a correction (the state leaves PUBLISHED) does not take the published minutes from readers.
    if minutes.published_at is None and not _may_read_unpublished(user, minutes, meeting.mechanism):
        raise Http404
    return minutes


def reviewing_units(user, minutes):
    """The user's units (as liaison) asked to review the current round; empty when it is not in review."""
    revision = MinutesRevision.objects.filter(minutes=minutes, number=minutes.revision, sent_at__isnull=False).first()
    if revision is None or not (user and user.is_authenticated):
        return []
    own = Membership.objects.filter(user=user, role=Role.LIAISON).values("unit_id")
    return list(revision.reviewers.filter(pk__in=own).order_by("pk"))
