"""The handover's scheduled work (Asia/Shanghai): django-q2 runs daily() every day at 08:00 and it calls the
jobs whose window contains the day. Each job is a plain function taking now=None, and idempotent: every e-mail
is claimed once with a conditional update of its handover field (summary_requested_at, december_reminder_at,
january_reminder_at, escalated_at) inside the transaction that sends it, so a failed send rolls the claim back
and a second run finds it set and does nothing. The January handover meeting is drafted once likewise
(meeting_drafted_at): a drafted meeting deleted by hand stays deleted.

Delivery is at least once at the SMTP boundary: the claim and the send share one transaction, so a crash after
the SMTP server accepted the message and before the commit leaves the claim unset and the next run sends it
again. Nothing is lost; a rare duplicate is possible.

One mechanism or handover that fails (whatever the error) is logged by its id, never with personal data, and
the job goes on with the others.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism.models import Mechanism
from mechanism.services.errors import ActionRefused
from mechanism.workdays import is_working_day
from meetings.models import MeetingKind, MeetingState
from meetings.services import create_meeting

from . import log_actions  # noqa: F401  (registers the audit-log actions written here)
from .handovers.checklist import missing_items
from .handovers.services import create_handover, handover_year, record_meeting_held, start_preparing
from .mail import escalation, reminder, summary_request
from .models import Handover, HandoverState
from .plans import SHANGHAI
from .rules import RotationError
from .services import NOT_SIGNED
from .summaries.services import start_summary

logger = logging.getLogger(__name__)

H = HandoverState
MEETING_DAYS = range(8, 22)  # the second and third week of January
MEETING_STARTS, MEETING_ENDS = datetime.time(9, 30), datetime.time(11, 30)


def _now_and_day(now):
    now = now or timezone.now()
    return now, timezone.localtime(now, SHANGHAI).date()


def handover_meeting_day(year):
    """The first working day on or after 8 January of `year`, within the 21st; None if there is none."""
    return next((day for day in (datetime.date(year, 1, d) for d in MEETING_DAYS) if is_working_day(day)), None)


# 1 December ---------------------------------------------------------------------------------------------------


def december_first(now=None):
    """For every mechanism with a convener now: next year's handover, this year's summary, the summary request
    to the outgoing convener, the handover in preparation and its January meeting drafted. Returns how many
    mechanisms were prepared; a mechanism whose rotation plan names no convener is skipped (and logged)."""
    now, today = _now_and_day(now)
    prepared = 0
    for mechanism in Mechanism.objects.select_related("area").order_by("area__code", "pk"):
        if mechanism.convener_on(now) is None:
            continue
        try:
            prepare_handover(mechanism, today.year + 1, now)
        except (RotationError, ActionRefused):
            logger.warning(
                "handover job: mechanism %s has no convener forecast for %s; skipped", mechanism.pk, today.year + 1
            )
            continue
        except Exception:  # one mechanism must not stop the others
            # A failed send rolled its claim back: tomorrow's run (or a rerun) sends it.
            logger.exception("handover job: mechanism %s could not be prepared for %s", mechanism.pk, today.year + 1)
            continue
        prepared += 1
    return prepared


def prepare_handover(mechanism, year, now):
    """The 1 December steps for one mechanism; each one does nothing when it has been done before."""
    handover = create_handover(mechanism, year, now=now)
    summary = start_summary(mechanism, year - 1, now=now)
    Handover.objects.filter(pk=handover.pk, summary=None).update(summary=summary)
    meeting = draft_meeting(handover, now)
    _send_once(
        handover.pk,
        "summary_requested_at",
        now,
        lambda fresh: summary_request(fresh, summary, meeting),
        "xianjie.handover.remind",
        {"kind": "summary_request", "year": year},
    )
    start_preparing(handover, now=now)
    return handover


def draft_meeting(handover, now=None):
    """The January handover meeting as a draft (by the system), linked to the handover; None if it cannot.
    Drafted once: meeting_drafted_at is claimed in the transaction of the draft, so a drafted meeting that was
    deleted is not drafted again."""
    now = now or timezone.now()
    day = handover_meeting_day(handover.year)
    if day is None:
        logger.warning(
            "handover job: no working day from 8 to 21 January %s for handover %s", handover.year, handover.pk
        )
        return None
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(year)s annual work summary and handover meeting") % {"year": handover.year - 1}
    with transaction.atomic():
        fresh = Handover.objects.select_for_update().get(pk=handover.pk)
        if fresh.meeting_drafted_at or fresh.meeting_id or fresh.state not in (H.PLANNED, H.PREPARING):
            return fresh.meeting
        try:
            meeting = create_meeting(
                fresh.mechanism,
                kind=MeetingKind.ANNUAL,
                starts_at=datetime.datetime.combine(day, MEETING_STARTS, tzinfo=SHANGHAI),
                ends_at=datetime.datetime.combine(day, MEETING_ENDS, tzinfo=SHANGHAI),
                title=title,
                by=None,
            )
        except (ValidationError, ActionRefused):  # e.g. no convener term covers that day: drafted by hand
            logger.warning("handover job: the meeting of handover %s could not be drafted", handover.pk)
            return None
        claimed = Handover.objects.filter(pk=fresh.pk, meeting=None, meeting_drafted_at=None)
        if not claimed.update(meeting=meeting, meeting_drafted_at=now):  # another run drafted it meanwhile
            transaction.set_rollback(True)
            return None
    return meeting


# Reminders and the escalation ---------------------------------------------------------------------------------


def december_reminder(now=None):
    """15 December: to the outgoing convener and the secretariat, what the coming handover still lacks."""
    return _remind("december_reminder_at", "december", now)


def january_reminder(now=None):
    """10 January: the same, once more, for this January's handover."""
    return _remind("january_reminder_at", "january", now)


def _remind(field, kind, now):
    now, _today = _now_and_day(now)
    year = handover_year(now)
    pks = Handover.objects.filter(year=year, state__in=NOT_SIGNED, **{field: None}).values_list("pk", flat=True)
    return _each(
        pks,
        lambda pk: _send_once(
            pk,
            field,
            now,
            lambda handover: reminder(handover, missing(handover, now)),
            "xianjie.handover.remind",
            {"kind": kind, "year": year},
        ),
    )


def january_escalation(now=None):
    """31 January: every handover of this year not completed, once to the secretariat and the supervisors."""
    now, today = _now_and_day(now)
    rows = Handover.objects.filter(year=today.year, escalated_at=None).exclude(state=H.COMPLETED)
    return _each(
        rows.values_list("pk", flat=True),
        lambda pk: _send_once(
            pk,
            "escalated_at",
            now,
            lambda handover: escalation(handover, missing(handover, now) if handover.state in NOT_SIGNED else []),
            "xianjie.handover.escalate",
            {"year": today.year},
        ),
    )


def missing(handover, now):
    """The labels of the checklist items the handover still lacks, in Chinese (the checklist words them)."""
    with translation.override(settings.LANGUAGE_CODE):
        return missing_items(handover, now)


def _each(pks, send):
    sent = 0
    for pk in list(pks):
        try:
            sent += send(pk)
        except Exception:  # one handover must not stop the others
            logger.exception("handover job: the e-mail about handover %s could not be sent", pk)
    return sent


def _send_once(pk, field, now, build, action, data):
    """Claim `field` of the handover and send the e-mail `build` makes, in one transaction; True if sent."""
    with transaction.atomic():
        if not Handover.objects.filter(pk=pk, **{field: None}).update(**{field: now}):
            return False
        handover = Handover.objects.select_related("mechanism", "outgoing_unit", "incoming_unit").get(pk=pk)
        message = build(handover)
        if message is not None:
            message.send()
        log(handover, action, data={**data, "state": handover.state, "recipients": len(message.to) if message else 0})
    if message is None:
        logger.warning("handover job: nobody to write to about handover %s (%s)", pk, field)
    return message is not None


# The schedule's entry point -----------------------------------------------------------------------------------


def note_meetings_held(now=None):
    """Every day: a handover being prepared whose meeting is now held moves on to "meeting held" (the
    secretariat may also record it by hand). Returns how many moved; run twice, the second moves none."""
    now, _day = _now_and_day(now)
    ready = Handover.objects.filter(state=HandoverState.PREPARING, meeting__state=MeetingState.HELD)
    moved = 0
    for pk in ready.values_list("pk", flat=True):
        try:
            record_meeting_held(Handover.objects.get(pk=pk), now=now)
        except ActionRefused:  # changed meanwhile (e.g. recorded by hand): nothing to do
            continue
        moved += 1
    return moved


def daily(now=None):
    """Run the jobs whose window contains today (a day missed while the cluster was down is caught up)."""
    now, day = _now_and_day(now)
    done = {}
    if day.month == 12:
        done["december_first"] = december_first(now)
        if day.day >= 15:
            done["december_reminder"] = december_reminder(now)
    elif day.month == 1 and 10 <= day.day <= 30:
        done["january_reminder"] = january_reminder(now)
    elif (day.month, day.day) == (1, 31) or day.month == 2:
        done["january_escalation"] = january_escalation(now)
    if moved := note_meetings_held(now):
        done["meetings_held"] = moved
    logger.info("handover jobs of %s: %s", day.isoformat(), done)
    return done
