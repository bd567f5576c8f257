"""A meeting's life: create and number it, edit the draft, notice, reschedule, cancel, hold."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism.services.common import after_commit, claim_next, require_reason, run_transition
from mechanism.services.errors import ActionRefused

from ..models import AgendaItem, Meeting, MeetingCounter, MeetingState, NoticeDelivery, NoticeMethod
from ..recipients import recipients
from .common import check_convener, local_date, locked_meeting

DELIVER = "meetings.notices.sending.deliver_notices"
# What update_meeting may change on a draft; state, number and sequence belong to the services.
EDITABLE = {"kind", "title", "starts_at", "ends_at", "place", "video_link", "chair", "guests", "invited_units"}


def next_number(mechanism, year):
    """Claim the next number of the mechanism's year under a row lock; a number once given is never reused."""
    return claim_next(MeetingCounter, mechanism=mechanism, year=year)


def default_invited(mechanism, starts_at):
    return mechanism.active_units(local_date(starts_at))


def _validate(meeting):
    """Field checks and Meeting.clean; year and number come later, under the counter's lock."""
    errors = {}
    for check in (lambda: meeting.clean_fields(exclude=["year", "number", "state"]), meeting.clean):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _check_invited(mechanism, units):
    if any(unit.mechanism_id != mechanism.pk for unit in units):
        raise ValidationError({"invited_units": _("Invite only member units of this mechanism.")})


def create_meeting(
    mechanism,
    *,
    kind,
    starts_at,
    ends_at,
    place="",
    video_link="",
    chair="",
    title="",
    invited_units=None,
    guests="",
    series=None,
    by,
):
    """A draft meeting numbered in the mechanism's year (Asia/Shanghai); by=None is the system (a series)."""
    check_convener(by, mechanism)
    meeting = Meeting(
        mechanism=mechanism,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        chair=chair,
        title=title,
        guests=guests,
        series=series,
        created_by=by,
    )
    _validate(meeting)
    units = list(default_invited(mechanism, starts_at) if invited_units is None else invited_units)
    _check_invited(mechanism, units)
    with transaction.atomic():
        meeting.year = local_date(starts_at).year
        meeting.number = next_number(mechanism, meeting.year)
        meeting.save()
        meeting.invited_units.set(units)
        log(meeting, "xianjie.meeting.create", user=by, data={"name": str(meeting.name)})
    return meeting


def update_meeting(meeting, by, **fields):
    """Change a draft; a noticed meeting changes its time and place only through reschedule_meeting."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"update_meeting cannot change {', '.join(sorted(unknown))}")
    with locked_meeting(meeting, by) as fresh:
        if fresh.state != MeetingState.DRAFT:
            raise ActionRefused(_("Only a draft can be edited; reschedule or cancel a noticed meeting instead."))
        units = fields.pop("invited_units", None)
        for name, value in fields.items():
            setattr(fresh, name, value)
        _validate(fresh)
        if units is not None:
            units = list(units)
            _check_invited(fresh.mechanism, units)
        # The number keeps the year it was given in, even if the draft moves across New Year: never reused.
        fresh.save()
        changed = sorted(fields)
        if units is not None:
            fresh.invited_units.set(units)
            changed.append("invited_units")
        log(fresh, "xianjie.meeting.update", user=by, data={"fields": changed})
    return meeting


def _pending_recipients(meeting):
    """Recipients who have not been sent the invitation at the meeting's current sequence (a failed send is pending)."""
    sent = NoticeDelivery.objects.filter(
        meeting=meeting, method=NoticeMethod.REQUEST, sequence=meeting.sequence, sent_at__isnull=False
    ).values("user_id")
    return recipients(meeting).exclude(user_id__in=sent)


def send_notice(meeting, by):
    """Notice the meeting to every invited unit's liaisons; True if something is (re)sent, False for a no-op.

    A noticed meeting is sent again only to recipients that have not had this sequence (e.g. a new liaison).
    """
    with locked_meeting(meeting, by) as fresh:
        if not recipients(fresh).exists():
            raise ActionRefused(_("Nobody would receive this notice: invite units that have a liaison with an e-mail."))
        if not AgendaItem.objects.filter(meeting=fresh, removed_at=None).exists():
            raise ActionRefused(_("The agenda is empty: build or add the agenda before sending the notice."))
        if fresh.state == MeetingState.NOTICED:
            pending = _pending_recipients(fresh).count()
            if not pending:
                return False
            log(fresh, "xianjie.meeting.notice", user=by, data={"again": True, "recipients": pending})
        else:
            _validate(fresh)
            run_transition(fresh, "notice", by, "xianjie.meeting.notice", {"sequence": fresh.sequence})
        after_commit(DELIVER, fresh.pk)
    return True


def reschedule_meeting(meeting, starts_at, ends_at, place=None, by=None):
    """Move a noticed meeting (same meeting, same number); raise SEQUENCE and re-send if time or place changed."""
    with locked_meeting(meeting, by) as fresh:
        if fresh.state != MeetingState.NOTICED:
            raise ActionRefused(_("Only a noticed meeting is rescheduled; edit a draft directly."))
        before = {"starts_at": fresh.starts_at, "ends_at": fresh.ends_at, "place": fresh.place}
        fresh.starts_at, fresh.ends_at = starts_at, ends_at
        if place is not None:
            fresh.place = place
        _validate(fresh)
        after = {"starts_at": fresh.starts_at, "ends_at": fresh.ends_at, "place": fresh.place}
        if after == before:
            return False
        fresh.sequence += 1
        fresh.save()
        log(
            fresh,
            "xianjie.meeting.reschedule",
            user=by,
            data={
                "from": {k: str(v) for k, v in before.items()},
                "to": {k: str(v) for k, v in after.items()},
                "sequence": fresh.sequence,
            },
        )
        after_commit(DELIVER, fresh.pk)
    return True


def cancel_meeting(meeting, reason, by):
    """Cancel a draft (nobody was told) or a noticed meeting (SEQUENCE raised, a CANCEL goes out). Keeps its number."""
    reason = require_reason(reason)
    with locked_meeting(meeting, by) as fresh:
        was_noticed = fresh.state == MeetingState.NOTICED
        fresh.cancel_reason = reason
        if was_noticed:
            fresh.sequence += 1
        run_transition(fresh, "cancel", by, "xianjie.meeting.cancel", {"reason": reason, "sequence": fresh.sequence})
        if was_noticed:
            after_commit(DELIVER, fresh.pk)
    return meeting


def hold_meeting(meeting, by):
    """Record that the noticed meeting took place (also below quorum: the minutes say so)."""
    with locked_meeting(meeting, by) as fresh:
        run_transition(fresh, "hold", by, "xianjie.meeting.hold", {"held_at": str(timezone.now())})
    return meeting
