"""A case's timeline: transitions from the audit log, assignments, follow-ups and assistance, who and when.

Built from rows the detail page has already loaded plus one query of log entries, so its cost does not
grow with the case. What a reader may not see is left out before anything is built: another unit's
assignment shows its unit's name only, and reasons are hidden from whoever may not see the person.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from ..models import Assignment, Case

# Written as rows of their own, which say more than their log entries.
SHOWN_AS_ROWS = ("xianjie.case.assistance", "xianjie.assignment.follow_up")
DETAIL_KEYS = ("reason", "summary", "note", "verified_on")


@dataclass
class Event:
    at: object
    who: str
    what: str
    detail: str = ""


def person_name(user):
    if user is None:
        return _("system")
    return user.get_full_name().strip() or user.get_username()


def log_entries(case, assignment_ids, assignment_type):
    case_type = ContentType.objects.get_for_model(Case)
    return (
        ModelLogEntry.objects.filter(
            Q(content_type=case_type, object_id=str(case.pk))
            | Q(content_type=assignment_type, object_id__in=[str(pk) for pk in assignment_ids])
        )
        .exclude(action__in=SHOWN_AS_ROWS)
        .select_related("user")
        .order_by("timestamp", "pk")
    )


def _entry_detail(entry, show_details):
    data = entry.data or {}
    parts = []
    if data.get("units"):
        parts.append(", ".join(data["units"]))
    if data.get("unit"):
        parts.append(data["unit"])
    if data.get("escalated_from"):
        parts.append(_("escalated from %(reference)s") % {"reference": data["escalated_from"]})
    if show_details:
        parts += [str(data[key]) for key in DETAIL_KEYS if data.get(key)]
    return " · ".join(parts)


def assistance_detail(record):
    parts = [_("%(amount)s yuan") % {"amount": record.amount}] if record.amount is not None else []
    if record.service:
        parts.append(record.service)
    parts.append(record.get_funding_display())
    return " · ".join(parts)


def build_timeline(case, assignments, assistance, show_details):
    """Events oldest first. `assignments` carry `.visible` and `.shown_follow_ups`; `assistance` carries `.visible`."""
    by_pk = {assignment.pk: assignment for assignment in assignments}
    visible_ids = [assignment.pk for assignment in assignments if assignment.visible]
    assignment_type = ContentType.objects.get_for_model(Assignment)
    events = []
    for entry in log_entries(case, visible_ids, assignment_type):
        what = entry.message
        if entry.content_type_id == assignment_type.pk:
            what = f"{by_pk[int(entry.object_id)].unit.short_name}: {what}"
        events.append(Event(entry.timestamp, person_name(entry.user), what, _entry_detail(entry, show_details)))
    for assignment in assignments:
        if assignment.visible:
            what = _("Assigned to %(unit)s, due on %(day)s") % {
                "unit": assignment.unit.short_name,
                "day": assignment.due_on.isoformat(),
            }
        else:
            what = _("Assigned to %(unit)s") % {"unit": assignment.unit.short_name}
        events.append(Event(assignment.assigned_at, person_name(assignment.assigned_by), what))
        for follow_up in assignment.shown_follow_ups:
            what = _("Follow-up by %(unit)s: %(kind)s on %(day)s") % {
                "unit": assignment.unit.short_name,
                "kind": follow_up.get_kind_display(),
                "day": follow_up.happened_on.isoformat(),
            }
            events.append(
                Event(follow_up.created_at, person_name(follow_up.by), what, follow_up.text if show_details else "")
            )
    for record in assistance:
        what = _("%(unit)s gave %(kind)s on %(day)s") % {
            "unit": record.unit.short_name,
            "kind": record.get_kind_display(),
            "day": record.given_on.isoformat(),
        }
        events.append(
            Event(
                record.recorded_at,
                person_name(record.recorded_by),
                what,
                assistance_detail(record) if record.visible else "",
            )
        )
    events.sort(key=lambda event: event.at)
    return events
