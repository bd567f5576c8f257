"""The minutes of a held meeting: start them, edit the opening, the items' summaries, decisions and action items.

The text changes only while the minutes are drafted or revised. The review round, approval, publication and
correction are in minutes_review.py; turning decisions into assignments in minutes_apply.py.
"""

import datetime
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism.models import UnitKind
from mechanism.services.errors import ActionRefused, StaleObject
from mechanism.workdays import is_working_day

from ..access import may_approve_minutes, may_draft_minutes
from ..models import (
    AgendaItem,
    Decision,
    DecisionKind,
    ItemMinutes,
    Meeting,
    MeetingState,
    Minutes,
    MinutesRevision,
    MinutesState,
)
from ..notices.ics import item_label


def check_drafter(user, mechanism):
    """The secretariat or a liaison of the unit convening now; None is the system."""
    if user is not None and not may_draft_minutes(user, mechanism):
        raise ActionRefused(
            _("Only the secretariat and the liaisons of the convening unit may draft and publish the minutes.")
        )


def check_approver(user, mechanism):
    if user is not None and not may_approve_minutes(user, mechanism):
        raise ActionRefused(_("Only the convener approves the minutes."))


@contextmanager
def locked_minutes(minutes, check=True):
    """Yield a fresh copy of the minutes under a row lock; with `check`, refuse a copy behind the database's."""
    with transaction.atomic():
        fresh = Minutes.objects.select_for_update().select_related("meeting__mechanism").get(pk=minutes.pk)
        if check and (fresh.state, fresh.revision) != (minutes.state, minutes.revision):
            raise StaleObject()
        yield fresh
    minutes.refresh_from_db()


def check_editable(minutes):
    if minutes.state in (MinutesState.APPROVED, MinutesState.PUBLISHED):
        raise ActionRefused(_("The minutes are approved; start a correction to change them."))
    if minutes.state == MinutesState.IN_REVIEW:
        raise ActionRefused(_("The minutes are in review; revise them to change the text."))


def current_revision(minutes, lock=False):
    rows = MinutesRevision.objects.select_for_update() if lock else MinutesRevision.objects
    return rows.get(minutes=minutes, number=minutes.revision)


def _today(today):
    return today or timezone.localdate()


def start_minutes(meeting, by=None):
    """The minutes of a held meeting with revision 1 and one entry per agenda item; a second call returns them."""
    check_drafter(by, meeting.mechanism)
    with transaction.atomic():
        fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
        existing = Minutes.objects.filter(meeting=fresh).first()
        if existing is not None:
            return existing
        if fresh.state != MeetingState.HELD:
            raise ActionRefused(_("Minutes are drafted for a meeting that was held."))
        minutes = Minutes.objects.create(meeting=fresh, created_by=by)
        MinutesRevision.objects.create(minutes=minutes, number=1, created_by=by)
        items = AgendaItem.objects.filter(meeting=fresh, removed_at=None).order_by("order", "pk")
        ItemMinutes.objects.bulk_create(ItemMinutes(minutes=minutes, agenda_item=item) for item in items)
        log(minutes, "xianjie.minutes.start", user=by, data={"meeting": str(fresh.name)})
    return minutes


def update_minutes_opening(minutes, opening, by=None):
    check_drafter(by, minutes.meeting.mechanism)
    with locked_minutes(minutes) as fresh:
        check_editable(fresh)
        fresh.opening = (opening or "").strip()
        fresh.save(update_fields=["opening", "updated_at"])
        log(fresh, "xianjie.minutes.edit", user=by, data={"field": "opening"})
    return minutes


@contextmanager
def _locked_for_item(item_minutes, by):
    """The minutes of one agenda item's entry, locked and editable (the caller's copy of the minutes may be old)."""
    minutes = Minutes.objects.select_related("meeting__mechanism").get(pk=item_minutes.minutes_id)
    check_drafter(by, minutes.meeting.mechanism)
    with locked_minutes(minutes, check=False) as fresh:
        check_editable(fresh)
        yield fresh
        fresh.save(update_fields=["updated_at"])  # a page showing the text before this change is now stale


def update_item_summary(item_minutes, summary, by=None):
    with _locked_for_item(item_minutes, by) as minutes:
        item_minutes.summary = (summary or "").strip()
        ItemMinutes.objects.filter(pk=item_minutes.pk).update(summary=item_minutes.summary)
        # The label, not the title: a hand-typed case item's title may name the person.
        log(minutes, "xianjie.minutes.edit", user=by, data={"item": item_label(item_minutes.agenda_item)})
    return item_minutes


# Decisions and action items ------------------------------------------------------------------------------


def check_units(mechanism, units, today):
    for unit in units:
        if unit.mechanism_id != mechanism.pk:
            raise ActionRefused(_("%(unit)s is not a member unit of this mechanism.") % {"unit": unit.name})
        if not unit.is_active_on(today):
            raise ActionRefused(_("%(unit)s has left the mechanism.") % {"unit": unit.name})


def check_due(due_on, today):
    if due_on is not None and not isinstance(due_on, datetime.date):
        raise ActionRefused(_("Give the due date as a date."))
    if due_on is not None and due_on < today:
        raise ActionRefused(_("The due date cannot be in the past."))
    if due_on is not None and not is_working_day(due_on):
        raise ActionRefused(_("%(date)s is not a working day; choose a working day.") % {"date": due_on.isoformat()})


def check_case_units(case, units):
    """A charity receives a case only with the person's consent (the rule of refer_case)."""
    for unit in units:
        if unit.kind == UnitKind.CHARITY and not case.consent_given:
            raise ActionRefused(
                _("%(unit)s is a charity: without the person's consent to share, the case cannot go to it.")
                % {"unit": unit.name}
            )


def _check_decision(item_minutes, kind, text, units, due_on, today):
    """The rules of a decision or action item; returns the cleaned text and the units without repeats.

    Without a due date, approval sets one in working days (minutes_apply), as the cases' referral does.
    """
    text = (text or "").strip()
    if not text:
        raise ActionRefused(_("Write the decision or action item."))
    if kind not in DecisionKind.values:
        raise ActionRefused(_("Choose whether this is a decision or an action item."))
    units = list({unit.pk: unit for unit in units}.values())
    agenda_item = item_minutes.agenda_item
    check_units(agenda_item.meeting.mechanism, units, today)
    check_due(due_on, today)
    if kind == DecisionKind.ACTION:
        if not units:
            raise ActionRefused(_("An action item needs at least one responsible unit."))
    elif units:
        if agenda_item.case_id is None:
            raise ActionRefused(
                _("Only a decision on a case item names responsible units; make it an action item instead.")
            )
        check_case_units(agenda_item.case, units)
    return text, units


def _check_units_free(case, units, decisions):
    """A unit gets a case once: refuse one named in `decisions` (others waiting for approval) or already on it."""
    named = set(Decision.units.through.objects.filter(decision__in=decisions).values_list("memberunit_id", flat=True))
    for unit in units:
        if unit.pk in named:
            raise ActionRefused(_("%(unit)s is already named in another decision on this case.") % {"unit": unit.name})
        if case.assignments.active().filter(unit=unit).exists():
            raise ActionRefused(_("%(unit)s already has this case.") % {"unit": unit.name})


def _check_case_units_free(item, kind, units, exclude=None):
    """Inside the minutes' lock: the other waiting decisions of these minutes on the same case."""
    case = item.agenda_item.case
    if kind != DecisionKind.DECISION or case is None or not units:
        return
    others = Decision.objects.filter(
        item__minutes_id=item.minutes_id, item__agenda_item__case=case, kind=DecisionKind.DECISION, applied_at=None
    )
    _check_units_free(case, units, others.exclude(pk=exclude) if exclude else others)


def _item_with_context(item_minutes):
    return ItemMinutes.objects.select_related("agenda_item__meeting__mechanism", "agenda_item__case").get(
        pk=item_minutes.pk
    )


def add_decision(item_minutes, kind, text, units=(), due_on=None, expected_result="", by=None, today=None):
    item = _item_with_context(item_minutes)
    text, units = _check_decision(item, kind, text, units, due_on, _today(today))
    with _locked_for_item(item, by) as minutes:
        _check_case_units_free(item, kind, units)
        last = Decision.objects.filter(item=item).aggregate(last=Max("order"))["last"] or 0
        decision = Decision.objects.create(
            item=item,
            kind=kind,
            order=last + 1,
            text=text,
            expected_result=(expected_result or "").strip(),
            due_on=due_on,
            created_in=minutes.revision,
        )
        decision.units.set(units)
        log(minutes, "xianjie.minutes.decision_add", user=by, data={"decision": decision.pk, "kind": kind})
    return decision


def _locked_decision(decision):
    fresh = Decision.objects.select_for_update().get(pk=decision.pk)
    if fresh.is_applied:
        raise ActionRefused(_("This decision has been carried out already; it can no longer change."))
    return fresh


def update_decision(decision, text, units=(), due_on=None, expected_result="", by=None, today=None):
    item = _item_with_context(decision.item)
    text, units = _check_decision(item, decision.kind, text, units, due_on, _today(today))
    with _locked_for_item(item, by) as minutes:
        fresh = _locked_decision(decision)
        _check_case_units_free(item, fresh.kind, units, exclude=fresh.pk)
        fresh.text, fresh.due_on = text, due_on
        fresh.expected_result = (expected_result or "").strip()
        fresh.save(update_fields=["text", "due_on", "expected_result"])
        fresh.units.set(units)
        log(minutes, "xianjie.minutes.decision_update", user=by, data={"decision": fresh.pk})
    decision.refresh_from_db()
    return decision


def remove_decision(decision, by=None):
    with _locked_for_item(decision.item, by) as minutes:
        fresh = _locked_decision(decision)
        data = {"decision": fresh.pk, "text": fresh.text[:60]}
        fresh.delete()
        log(minutes, "xianjie.minutes.decision_remove", user=by, data=data)
