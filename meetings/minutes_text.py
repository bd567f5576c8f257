"""The text of a meeting's minutes as plain data: what a revision keeps, what the documents and the
comparison of two revisions read. Nothing personal: a case item is named by its case reference only.

snapshot(minutes) -> {
  "meeting": {"name", "title", "kind", "starts_at" (ISO, Asia/Shanghai), "place", "chair", "convener"},
  "opening": str,
  "attendance": {"present": [{"unit", "unit_id", "people": [str]}], "absent": [{"unit", "unit_id"}],
                 "guests": [str]},                                   # 出席 / 请假 / 列席
  "quorum": {"present", "active", "needed", "reached"},
  "items": [{"agenda_item", "order", "title", "kind", "case", "presenter", "summary",
             "decisions": [{"id", "kind", "text", "expected_result", "units": [str], "unit_ids": [int],
                            "due_on": ISO date or None, "applied": bool}]}],
}
"""

from django.utils import timezone

from .models import Decision, ItemMinutes
from .notices.ics import item_label
from .services.attendance import quorum
from .services.common import SHANGHAI


def snapshot(minutes):
    meeting = minutes.meeting
    convener = meeting.convener
    q = quorum(meeting)
    return {
        "meeting": {
            "name": str(meeting.name),
            "title": meeting.title,
            "kind": meeting.kind,
            "starts_at": timezone.localtime(meeting.starts_at, SHANGHAI).isoformat(),
            "place": meeting.place,
            "chair": meeting.chair,
            "convener": convener.name if convener else "",
        },
        "opening": minutes.opening,
        "attendance": attendance(meeting),
        "quorum": {"present": q.present_units, "active": q.active_units, "needed": q.needed, "reached": q.reached},
        "items": items(minutes),
    }


def attendance(meeting):
    present = {}
    for row in meeting.attendance.select_related("unit").order_by("unit__pk", "pk"):
        entry = present.setdefault(row.unit_id, {"unit": row.unit.name, "unit_id": row.unit_id, "people": []})
        entry["people"].append(row.person)
    absent = [
        {"unit": unit.name, "unit_id": unit.pk}
        for unit in meeting.invited_units.order_by("pk")
        if unit.pk not in present
    ]
    guests = [line.strip() for line in meeting.guests.splitlines() if line.strip()]
    return {"present": list(present.values()), "absent": absent, "guests": guests}


def items(minutes):
    rows = (
        ItemMinutes.objects.filter(minutes=minutes, agenda_item__removed_at=None)
        .select_related("agenda_item__presenter", "agenda_item__case", "agenda_item__assignment__case")
        .order_by("agenda_item__order", "agenda_item__pk")
    )
    decisions = {}
    for decision in (
        Decision.objects.filter(item__minutes=minutes).prefetch_related("units").order_by("item", "order", "pk")
    ):
        decisions.setdefault(decision.item_id, []).append(_decision(decision))
    return [
        {
            "agenda_item": row.agenda_item_id,
            "order": number,
            "title": item_label(row.agenda_item),
            "kind": row.agenda_item.kind,
            "case": row.agenda_item.case.reference if row.agenda_item.case_id else None,
            "presenter": row.agenda_item.presenter.name if row.agenda_item.presenter_id else "",
            "summary": row.summary,
            "decisions": decisions.get(row.pk, []),
        }
        for number, row in enumerate(rows, start=1)
    ]


def _decision(decision):
    units = sorted(decision.units.all(), key=lambda unit: unit.pk)
    return {
        "id": decision.pk,
        "kind": decision.kind,
        "text": decision.text,
        "expected_result": decision.expected_result,
        "units": [unit.name for unit in units],
        "unit_ids": [unit.pk for unit in units],
        "due_on": decision.due_on.isoformat() if decision.due_on else None,
        "applied": decision.is_applied,
    }
