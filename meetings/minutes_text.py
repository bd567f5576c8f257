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
from django.utils.translation import gettext as _

from .models import Decision, DecisionKind, ItemMinutes
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


def compare(old_content, new_content):
    """What changed between two snapshots, per item: [{"title", "changes": [{"field", "old", "new"}]}].

    Only items that differ are listed (an opening that changed comes first). A decision is matched by its id
    and shown as one line (kind, text, expected result, units, due date); an added one has old "", a removed
    one new "". `field` is a label to show.
    """
    result = []
    if (old_content.get("opening") or "") != (new_content.get("opening") or ""):
        change = {"field": _("Opening paragraph"), "old": old_content.get("opening", ""), "new": new_content["opening"]}
        result.append({"title": _("Opening paragraph"), "changes": [change]})
    old_items = {item["agenda_item"]: item for item in old_content.get("items", [])}
    new_items = {item["agenda_item"]: item for item in new_content.get("items", [])}
    for key in [*new_items, *(key for key in old_items if key not in new_items)]:
        old, new = old_items.get(key, {}), new_items.get(key, {})
        changes = _item_changes(old, new)
        if changes:
            result.append({"title": new.get("title") or old.get("title", ""), "changes": changes})
    return result


def _item_changes(old, new):
    changes = []
    if old.get("summary", "") != new.get("summary", ""):
        changes.append({"field": _("Summary"), "old": old.get("summary", ""), "new": new.get("summary", "")})
    old_decisions = {d["id"]: d for d in old.get("decisions", [])}
    new_decisions = {d["id"]: d for d in new.get("decisions", [])}
    for key in [*new_decisions, *(key for key in old_decisions if key not in new_decisions)]:
        before, after = old_decisions.get(key), new_decisions.get(key)
        old_line, new_line = decision_line(before), decision_line(after)
        if old_line != new_line:
            kind = (after or before)["kind"]
            field = _("Action item") if kind == DecisionKind.ACTION else _("Decision")
            changes.append({"field": field, "old": old_line, "new": new_line})
    return changes


def decision_line(decision):
    """A decision of a snapshot as one line of text ("" for none)."""
    if not decision:
        return ""
    parts = [decision["text"]]
    if decision.get("expected_result"):
        parts.append(_("expected result: %(result)s") % {"result": decision["expected_result"]})
    if decision.get("units"):
        parts.append(_("units: %(units)s") % {"units": "、".join(decision["units"])})
    if decision.get("due_on"):
        parts.append(_("due %(date)s") % {"date": decision["due_on"]})
    return "; ".join(parts)
