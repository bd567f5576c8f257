"""The agenda: built from what is waiting in the mechanism, then edited by the secretariat.

build_agenda proposes, in this order: (1) the report on earlier action items (落实情况), always first;
(2) every case tabled for the mechanism; (3) every assignment overdue by more than 10 working days or
not acknowledged 5 working days after it was given, with its unit presenting (the mechanism's
supervision); (4) the topics units proposed. An item once on the meeting, removed or not, is never
proposed again for it.
"""

import datetime

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from mechanism import access as mechanism_access
from mechanism import workdays
from mechanism.models import Assignment, AssignmentState, Case, CaseState
from mechanism.services.common import require_reason
from mechanism.services.errors import ActionRefused

from ..models import AgendaItem, AgendaItemKind, Meeting, MeetingState, TopicProposal
from .common import SHANGHAI, check_preparing, local_date, locked_meeting

K = AgendaItemKind
OVERDUE_WORKING_DAYS = 10  # overdue by more than this: back on the agenda
UNACKNOWLEDGED_WORKING_DAYS = 5  # not acknowledged this many working days after assignment: back on the agenda
LOOKBACK_MONTHS = 3  # with no held meeting before, the report covers this many months
DEFAULT_MINUTES = 10


def return_thresholds(today):
    """(due before this date: overdue by more than 10 working days; given before this moment: 5 unacknowledged)."""
    back = workdays.working_days_back(today, max(OVERDUE_WORKING_DAYS + 1, UNACKNOWLEDGED_WORKING_DAYS))
    return back[OVERDUE_WORKING_DAYS], _start_of(back[UNACKNOWLEDGED_WORKING_DAYS - 1])


def months_before(day, months):
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue


def _start_of(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI)


def _report_since(meeting, today):
    """The day the last held meeting of the mechanism took place, or LOOKBACK_MONTHS before today."""
    last = (
        Meeting.objects.filter(
            mechanism_id=meeting.mechanism_id, state=MeetingState.HELD, starts_at__lt=meeting.starts_at
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return local_date(last) if last else months_before(today, LOOKBACK_MONTHS)


def follow_up_assignments(meeting, today):
    """Open assignments overdue today, or due between the last held meeting and this meeting's day."""
    since = _report_since(meeting, today)
    return (
        Assignment.objects.active()
        .filter(mechanism_id=meeting.mechanism_id)
        .filter(Q(due_on__lt=today) | Q(due_on__gte=since, due_on__lte=local_date(meeting.starts_at)))
        .select_related("unit", "case")
        .order_by("due_on", "pk")
    )


def returned_assignments(mechanism_id, overdue_before, unacknowledged_before):
    """Active assignments overdue by more than 10 working days, or unacknowledged 5 working days after assignment."""
    return (
        Assignment.objects.active()
        .filter(mechanism_id=mechanism_id)
        .filter(
            Q(due_on__lt=overdue_before)
            | Q(state=AssignmentState.ASSIGNED, acknowledged_at=None, assigned_at__lt=unacknowledged_before)
        )
        .select_related("unit", "case")
        .order_by("due_on", "pk")
    )


def _what(assignment):
    return assignment.case.reference if assignment.case_id else (assignment.task[:60] or _("Action item"))


def _follow_up_text(assignments, today):
    lines = []
    for a in assignments:
        line = _("%(what)s · %(unit)s · due %(due)s") % {
            "what": _what(a),
            "unit": a.unit.short_name,
            "due": a.due_on.isoformat(),
        }
        if a.due_on < today:
            line += " · " + _("overdue")
        lines.append(line)
    return "\n".join(lines) or _("No open action items or assignments were due.")


def _returned_title(assignment, overdue_before):
    if assignment.due_on < overdue_before:
        text = _("Overdue assignment: %(what)s (%(unit)s, due %(due)s)")
    else:
        text = _("Assignment not acknowledged: %(what)s (%(unit)s, due %(due)s)")
    return text % {"what": _what(assignment), "unit": assignment.unit.short_name, "due": assignment.due_on.isoformat()}


def _proposals(meeting, items):
    """Proposals not on any meeting's agenda (an item removed, or on a cancelled meeting, frees it again)."""
    taken = (
        AgendaItem.objects.filter(proposal__isnull=False, removed_at=None)
        .exclude(meeting__state=MeetingState.CANCELLED)
        .values("proposal_id")
    )
    return (
        TopicProposal.objects.filter(mechanism_id=meeting.mechanism_id)
        .exclude(pk__in=taken)
        .exclude(pk__in=[i.proposal_id for i in items if i.proposal_id])
        .select_related("unit")
        .order_by("proposed_at", "pk")
    )


def _existing(meeting):
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"))
    follow_up = next((i for i in items if i.kind == K.FOLLOW_UP and i.built), None)
    return items, follow_up


def _proposed_items(meeting, items, today):
    # An overdue item points at its case too; only a case item (built or by hand) stands for the case itself.
    cases_on = {i.case_id for i in items if i.kind != K.OVERDUE}
    assignments_on = {i.assignment_id for i in items}
    mechanism = meeting.mechanism
    lead = mechanism.lead_unit
    new = []
    tabled = Case.objects.filter(mechanism=mechanism, state=CaseState.TABLED).select_related("source_unit")
    for case in tabled.order_by("reported_at", "pk"):
        if case.pk not in cases_on:
            title = _("Case %(reference)s") % {"reference": case.reference}
            new.append(AgendaItem(kind=K.CASE, title=title, case=case, presenter=case.source_unit or lead))
    overdue_before, unacknowledged_before = return_thresholds(today)
    for a in returned_assignments(mechanism.pk, overdue_before, unacknowledged_before):
        if a.pk not in assignments_on:
            title = _returned_title(a, overdue_before)
            new.append(AgendaItem(kind=K.OVERDUE, title=title, assignment=a, case=a.case, presenter=a.unit))
    for p in _proposals(meeting, items):
        new.append(AgendaItem(kind=K.TOPIC, title=p.title, proposal=p, presenter=p.unit, minutes=p.minutes))
    return new


def build_agenda(meeting, by, today=None):
    """Propose what is waiting (see the module's docstring); idempotent. Returns the items it added."""
    today = today or timezone.localdate()
    with locked_meeting(meeting, by) as fresh:
        check_preparing(fresh)
        items, follow_up = _existing(fresh)
        new = []
        if follow_up is None:
            follow_up = AgendaItem(kind=K.FOLLOW_UP, title=_("Report on earlier action items"))
            new.append(follow_up)
        follow_up.description = _follow_up_text(follow_up_assignments(fresh, today), today)
        proposed = _proposed_items(fresh, items, today)
        new += proposed
        for item in new:
            item.meeting, item.built = fresh, True
            item.minutes = item.minutes or DEFAULT_MINUTES
        ordered = [follow_up, *(i for i in items if i is not follow_up), *proposed]
        for position, item in enumerate(ordered, start=1):
            item.order = position
        AgendaItem.objects.bulk_create(new)
        AgendaItem.objects.bulk_update(items, ["order", "description"])
        log(fresh, "xianjie.agenda.build", user=by, data={"added": [i.title for i in new]})
    return new


def _locked_item(item, by):
    return locked_meeting(Meeting.objects.select_related("mechanism").get(pk=item.meeting_id), by)


def remove_item(item, reason, by):
    """Take an item off the agenda; it stays with its reason and is not proposed again for this meeting."""
    reason = require_reason(reason)
    with _locked_item(item, by) as meeting:
        check_preparing(meeting)
        fresh = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if fresh.is_removed:
            raise ActionRefused(_("This item was already removed."))
        fresh.removed_at, fresh.removed_reason, fresh.removed_by = timezone.now(), reason, by
        fresh.save(update_fields=["removed_at", "removed_reason", "removed_by"])
        log(meeting, "xianjie.agenda.remove", user=by, data={"item": fresh.title, "reason": reason})
    item.refresh_from_db()
    return item


def _check_item_values(meeting, title, kind, minutes, presenter, case):
    if not (title or "").strip():
        raise ActionRefused(_("Give the item a title."))
    if kind not in K.values:
        raise ActionRefused(_("Choose the kind of item."))
    if not minutes or minutes < 1:
        raise ActionRefused(_("Allot at least one minute."))
    if presenter is not None and presenter.mechanism_id != meeting.mechanism_id:
        raise ActionRefused(_("The presenter must be a member unit of this mechanism."))
    if case is not None and case.mechanism_id != meeting.mechanism_id:
        raise ActionRefused(_("The case must belong to this mechanism."))


def add_item(meeting, title, kind, minutes, presenter=None, case=None, by=None):
    """Add an item by hand at the end of the agenda."""
    _check_item_values(meeting, title, kind, minutes, presenter, case)
    with locked_meeting(meeting, by) as fresh:
        check_preparing(fresh)
        last = AgendaItem.objects.filter(meeting=fresh).aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem.objects.create(
            meeting=fresh,
            order=last + 1,
            title=title.strip(),
            kind=kind,
            minutes=minutes,
            presenter=presenter,
            case=case,
        )
        log(fresh, "xianjie.agenda.add", user=by, data={"item": item.title})
    return item


def reorder_items(meeting, ordered_ids, by):
    """Put the agenda's (not removed) items in the given order; every one of them must be named once."""
    ordered_ids = [int(pk) for pk in ordered_ids]
    with locked_meeting(meeting, by) as fresh:
        check_preparing(fresh)
        items = {i.pk: i for i in AgendaItem.objects.filter(meeting=fresh).order_by("order", "pk")}
        current = [pk for pk, i in items.items() if not i.is_removed]
        if sorted(ordered_ids) != sorted(current):
            raise ActionRefused(_("The agenda changed in the meantime. Reload the page and try again."))
        removed = [pk for pk in items if pk not in set(current)]
        for position, pk in enumerate(ordered_ids + removed, start=1):
            items[pk].order = position
        AgendaItem.objects.bulk_update(items.values(), ["order"])
        log(fresh, "xianjie.agenda.reorder", user=by, data={"order": [items[pk].title for pk in ordered_ids]})
    return [items[pk] for pk in ordered_ids]


def propose_topic(mechanism, unit, title, minutes, by):
    """A unit asks for a topic on the next meeting: its liaison, or the secretariat, proposes it."""
    if unit.mechanism_id != mechanism.pk or not unit.is_active_on(timezone.localdate()):
        raise ActionRefused(_("The proposing unit must be an active member unit of this mechanism."))
    is_secretariat = mechanism_access.can_manage_mechanism(by, mechanism)
    if not is_secretariat and not mechanism_access.acting_unit_ids(by).filter(unit_id=unit.pk).exists():
        raise ActionRefused(_("Only the secretariat or a liaison of the unit may propose a topic for it."))
    if not (title or "").strip():
        raise ActionRefused(_("Give the topic a title."))
    if not minutes or minutes < 1:
        raise ActionRefused(_("Allot at least one minute."))
    with transaction.atomic():
        proposal = TopicProposal.objects.create(
            mechanism=mechanism, unit=unit, title=title.strip(), minutes=minutes, proposed_by=by
        )
        log(proposal, "xianjie.agenda.propose", user=by, data={"unit": unit.name})
    return proposal


def agenda_time(meeting):
    """(minutes allotted to the items not removed, the meeting's length in minutes)."""
    total = AgendaItem.objects.filter(meeting=meeting, removed_at=None).aggregate(total=Sum("minutes"))["total"]
    return total or 0, meeting.duration_minutes
