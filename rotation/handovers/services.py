"""The handover's life: created for the coming year (by the 1 December job or the secretariat), prepared,
its meeting recorded, signed by the outgoing and then the incoming convener. Row-locked, audit-logged."""

import datetime
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism.models import ConvenerTerm, MemberUnit
from mechanism.services.errors import ActionRefused
from mechanism.stamps import check_stamp
from meetings.documents.common import clauses
from meetings.models import MeetingState

from .. import log_actions  # noqa: F401  (registers the audit-log actions written here)
from ..models import Handover, HandoverState
from ..plans import local_date, mechanism_forecast
from ..rules import RotationError
from . import access
from .checklist import missing_items, open_items_of, signed_record

H = HandoverState


def incoming_for(mechanism, year, now):
    """The unit the rotation plan names for `year` (a RotationError says why there is none)."""
    names, turns = mechanism_forecast(mechanism, years=1, today=local_date(now))
    if not turns or turns[0].year != year:
        raise RotationError(_("The rotation plan names no convener for %(year)s.") % {"year": year})
    return mechanism.units.get(code=turns[0].unit)


def create_handover(mechanism, year, by=None, now=None):
    """The handover into `year`'s term, created once: a second call returns the existing one unchanged.

    The outgoing unit is the convener at `now` (refused when there is none: nobody could sign as outgoing); the
    incoming one is the rotation plan's unit for `year`."""
    now = now or timezone.now()
    existing = Handover.objects.filter(mechanism=mechanism, year=year).first()
    if existing is not None:
        return existing
    outgoing = mechanism.convener_on(now)
    if outgoing is None:
        raise ActionRefused(
            _("%(mechanism)s has no convener now: record the convener term first.") % {"mechanism": mechanism.name}
        )
    try:
        incoming = incoming_for(mechanism, year, now)
    except RotationError as error:
        raise ActionRefused(str(error)) from None
    with transaction.atomic():
        handover, created = Handover.objects.get_or_create(
            mechanism=mechanism, year=year, defaults={"outgoing_unit": outgoing, "incoming_unit": incoming}
        )
        if created:
            log(handover, "xianjie.handover.create", user=by, data={"year": year, "incoming": incoming.name})
    return handover


def handover_year(now):
    """The year of the term the coming (or current January's) handover begins: in December the next year.

    Consistent with the year of a term (rotation.plans): the handover into year Y is created from 1 December of
    Y - 1 and signed from 1 January of Y, so the term it starts falls in, and counts as, year Y."""
    day = local_date(now)
    return day.year + 1 if day >= datetime.date(day.year, 12, 1) else day.year


def coming_handover_year(now):
    """The year of the handover the secretariat prepares by hand: in January this year's (signed this month),
    from February on the next year's (the scheduled work creates it on 1 December anyway)."""
    day = local_date(now)
    return day.year if day.month == 1 else day.year + 1


def start_preparing(handover, by=None, now=None):
    """planned → preparing (the 1 December job, once it has asked for the summary); already preparing: no change."""
    with transaction.atomic():
        fresh = Handover.objects.select_for_update().get(pk=handover.pk)
        if fresh.state != HandoverState.PLANNED:
            return fresh
        fresh.prepare()
        fresh.save()
        log(fresh, "xianjie.handover.prepare", user=by)
    handover.refresh_from_db()
    return handover


@contextmanager
def locked_handover(handover, seen_updated_at=None):
    """A fresh copy under a row lock; a caller that passes the `updated_at` it saw is refused an older copy."""
    with transaction.atomic():
        fresh = Handover.objects.select_for_update().select_related("mechanism").get(pk=handover.pk)
        if seen_updated_at is not None:
            check_stamp(fresh, seen_updated_at)
        yield fresh
    handover.refresh_from_db()


def _refuse_unless(allowed, message):
    if not allowed:
        raise ActionRefused(message)


def too_early_to_sign(handover, now):
    """Why nobody may sign yet ("" from 1 January of the handover's year): the term of a year starts when that
    January's handover is signed, never earlier."""
    if access.signing_open(handover, now):
        return ""
    return _("The handover into the %(year)s term is signed from 1 January %(year)s.") % {"year": handover.year}


def _refuse_before_the_year(handover, now):
    reason = too_early_to_sign(handover, now)
    _refuse_unless(not reason, reason)


def _list_open_items(handover, now):
    handover.open_items = open_items_of(handover.mechanism)
    handover.open_items_listed_at = now
    cases = sum(1 for item in handover.open_items if item["kind"] == "case")
    return {"cases": cases, "actions": len(handover.open_items) - cases}


def record_meeting_held(handover, by=None, now=None, seen_updated_at=None):
    """preparing → meeting held, once the handover meeting is held (a job calls it with by=None)."""
    now = now or timezone.now()
    with locked_handover(handover, seen_updated_at) as fresh:
        if by is not None:
            _refuse_unless(
                access.may_prepare(by, fresh, now),
                _("Only the secretariat and the liaisons of the convening unit may record the handover meeting."),
            )
        if fresh.state != H.PREPARING:
            raise ActionRefused(
                _("The handover is “%(state)s”; its meeting can be recorded only while it is being prepared.")
                % {"state": fresh.get_state_display()}
            )
        meeting = fresh.meeting
        if meeting is None:
            raise ActionRefused(_("No handover meeting is linked to this handover."))
        if meeting.state != MeetingState.HELD:
            raise ActionRefused(
                _("%(meeting)s is “%(state)s”, not held.")
                % {"meeting": meeting.name, "state": meeting.get_state_display()}
            )
        fresh.record_meeting()
        fresh.save()
        log(fresh, "xianjie.handover.meeting_held", user=by, data={"meeting": meeting.pk})
    return handover


def list_open_items(handover, by=None, now=None, seen_updated_at=None):
    """Store the mechanism's open cases and action items for the incoming convener (again: replaced)."""
    now = now or timezone.now()
    with locked_handover(handover, seen_updated_at) as fresh:
        if by is not None:
            _refuse_unless(
                access.may_prepare(by, fresh, now),
                _("Only the secretariat and the liaisons of the convening unit may list the open items."),
            )
        if fresh.state in (H.SIGNED_OUTGOING, H.COMPLETED):
            raise ActionRefused(_("The handover is signed; its open items can no longer change."))
        counts = _list_open_items(fresh, now)
        fresh.save(update_fields=["open_items", "open_items_listed_at", "updated_at"])
        log(fresh, "xianjie.handover.open_items", user=by, data=counts)
    return handover


def verify_contacts(unit, by, today=None):
    """The unit's liaisons and their phones and e-mails confirmed as current, by its liaison or the secretariat."""
    today = today or timezone.localdate()
    _refuse_unless(
        access.may_verify_contacts(by, unit),
        _("Only a liaison of %(unit)s or the secretariat may verify its contacts.") % {"unit": unit.name},
    )
    with transaction.atomic():
        fresh = MemberUnit.objects.select_for_update().get(pk=unit.pk)
        if not fresh.is_active_on(today):
            raise ActionRefused(_("%(unit)s is no longer a member unit.") % {"unit": fresh.name})
        fresh.contacts_verified_on, fresh.contacts_verified_by = today, by
        fresh.save(update_fields=["contacts_verified_on", "contacts_verified_by"])
        log(fresh, "xianjie.handover.contacts", user=by, data={"day": today.isoformat()})
    unit.refresh_from_db()
    return unit


def sign_outgoing(handover, by, now=None, seen_updated_at=None):
    """meeting held → signed by the outgoing convener: its liaison, while the unit holds the term, from 1 January
    of the handover's year, checklist done. The open items are listed again as they stand at the signature and
    the checklist is kept as signed (handover.signed_checklist)."""
    now = now or timezone.now()
    with locked_handover(handover, seen_updated_at) as fresh:
        _refuse_before_the_year(fresh, now)
        _refuse_unless(
            access.may_sign_outgoing(by, fresh, now),
            _("Only a liaison of the convening unit signs the handover as the outgoing convener."),
        )
        if fresh.state in (H.PLANNED, H.PREPARING):
            raise ActionRefused(_("The handover meeting has not been recorded as held."))
        if fresh.state != H.MEETING_HELD:
            raise ActionRefused(_("The outgoing convener has already signed this handover."))
        missing = missing_items(fresh, now)
        if missing:
            raise ActionRefused(
                _("The checklist is not complete: %(items)s. Nothing was signed.") % {"items": clauses(missing)}
            )
        counts = _list_open_items(fresh, now)  # the list the incoming convener receives: as of the signature
        fresh.signed_checklist = signed_record(fresh, now)
        fresh.sign_outgoing()
        fresh.outgoing_signed_at, fresh.outgoing_signed_by = now, by
        fresh.save()
        log(fresh, "xianjie.handover.sign_outgoing", user=by, data={"unit": _unit_name(fresh.outgoing_unit), **counts})
    return handover


def _unit_name(unit):
    return unit.name if unit else ""


def _start_term(mechanism, unit, now):
    """End the term covering `now` at `now` and start the unit's term: the convener's rights move with it."""
    current = ConvenerTerm.objects.select_for_update().filter(mechanism=mechanism).covering(now).first()
    if current is not None:
        if current.starts_at >= now:
            raise ActionRefused(_("The current convener term starts at this moment; try again in a moment."))
        current.ends_at = now
        current.save(update_fields=["ends_at"])
    term = ConvenerTerm(mechanism=mechanism, unit=unit, starts_at=now, ends_at=None)
    try:
        term.full_clean()
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from None
    term.save()
    return term


def sign_incoming(handover, by, now=None, seen_updated_at=None):
    """signed by the outgoing convener → completed: the old term ends and the incoming unit's starts now."""
    now = now or timezone.now()
    with locked_handover(handover, seen_updated_at) as fresh:
        _refuse_before_the_year(fresh, now)
        _refuse_unless(
            access.may_sign_incoming(by, fresh, now),
            _("Only a liaison of %(unit)s signs the handover as the incoming convener.")
            % {"unit": fresh.incoming_unit.name},
        )
        if fresh.state == H.COMPLETED:
            raise ActionRefused(_("The handover is already completed."))
        if fresh.state != H.SIGNED_OUTGOING:
            raise ActionRefused(_("The outgoing convener signs first."))
        incoming = fresh.incoming_unit
        if not incoming.is_active_on(local_date(now)):
            raise ActionRefused(
                _("%(unit)s has left the mechanism and cannot become its convener; the handover needs another "
                  "incoming unit.") % {"unit": incoming.name}
            )  # fmt: skip
        term = _start_term(fresh.mechanism, incoming, now)
        fresh.sign_incoming()
        fresh.incoming_signed_at, fresh.incoming_signed_by = now, by
        fresh.save()
        log(fresh, "xianjie.handover.sign_incoming", user=by, data={"unit": incoming.name, "term": term.pk})
    return handover
