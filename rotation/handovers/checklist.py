"""The handover checklist, filled from the data: the summary approved, the open items listed, the help channels
and the liaison contacts re-verified within 60 days, the handover meeting held with its minutes approved.

A handful of queries whatever the number of units and channels: each item reads its rows in one query.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mechanism.models import Assignment, Case, HelpChannel, Need
from meetings.documents.common import enumerate_names
from meetings.models import Decision, Meeting, MeetingState, MinutesState

from ..models import AnnualSummary, SummaryState
from ..plans import local_date

VERIFIED_WITHIN_DAYS = 60
FINAL_MINUTES = (MinutesState.APPROVED, MinutesState.PUBLISHED)

LABELS = {
    "summary": gettext_lazy("Annual work summary approved"),
    "open_items": gettext_lazy("Open cases and action items listed for the incoming convener"),
    "channels": gettext_lazy("Help channels verified within 60 days"),
    "contacts": gettext_lazy("Liaison contacts verified within 60 days"),
    "meeting": gettext_lazy("Handover meeting held and its minutes approved"),
}


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str
    link: str = ""


def verified_since(now):
    """The earliest verification day that still counts: 60 days before today (Asia/Shanghai)."""
    return local_date(now) - datetime.timedelta(days=VERIFIED_WITHIN_DAYS)


def summary_of(handover):
    """The handover's summary, or the mechanism's summary of the year before the handover's."""
    if handover.summary_id:
        return AnnualSummary.objects.filter(pk=handover.summary_id).first()
    return AnnualSummary.objects.filter(mechanism_id=handover.mechanism_id, year=handover.year - 1).first()


def summary_item(handover):
    summary = summary_of(handover)
    year = summary.year if summary else handover.year - 1
    if summary is None:
        detail = _("No annual work summary for %(year)s has been started.") % {"year": year}
    elif summary.state == SummaryState.APPROVED:
        detail = _("The %(year)s annual work summary is approved.") % {"year": year}
    else:
        detail = _("The %(year)s annual work summary is “%(state)s”.") % {
            "year": year,
            "state": summary.get_state_display(),
        }
    done = bool(summary and summary.state == SummaryState.APPROVED)
    link = reverse("rotation_summaries:detail", args=[summary.pk]) if summary else ""
    return ChecklistItem("summary", str(LABELS["summary"]), done, detail, link)


def open_items_item(handover):
    if handover.open_items_listed_at is None:
        return ChecklistItem("open_items", str(LABELS["open_items"]), False, _("Not listed yet."), "#open-items")
    count = len(handover.open_items or [])
    detail = ngettext("%(count)d open item listed on %(date)s.", "%(count)d open items listed on %(date)s.", count) % {
        "count": count,
        "date": local_date(handover.open_items_listed_at).isoformat(),
    }
    return ChecklistItem("open_items", str(LABELS["open_items"]), True, detail, "#open-items")


def channels_item(handover, now):
    today, since = local_date(now), verified_since(now)
    stale = list(
        HelpChannel.objects.current(today)
        .filter(unit__mechanism_id=handover.mechanism_id)
        .filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=since))
        .order_by("unit__pk", "pk")
        .values_list("unit__name", flat=True)
    )
    if not stale:
        detail = _("Every help channel was verified on or after %(date)s.") % {"date": since.isoformat()}
    else:
        detail = ngettext(
            "%(count)d help channel not verified since %(date)s: %(units)s.",
            "%(count)d help channels not verified since %(date)s: %(units)s.",
            len(stale),
        ) % {"count": len(stale), "date": since.isoformat(), "units": enumerate_names(dict.fromkeys(stale))}
    return ChecklistItem("channels", str(LABELS["channels"]), not stale, detail, reverse("helpchannel:index"))


def contacts_item(handover, now):
    since = verified_since(now)
    missing = list(
        handover.mechanism.units.active_on(local_date(now))
        .filter(Q(contacts_verified_on__isnull=True) | Q(contacts_verified_on__lt=since))
        .order_by("-is_lead", "joined_on", "pk")
        .values_list("name", flat=True)
    )
    if not missing:
        detail = _("Every member unit verified its contacts on or after %(date)s.") % {"date": since.isoformat()}
    else:
        detail = _("Contacts not verified since %(date)s: %(units)s.") % {
            "date": since.isoformat(),
            "units": enumerate_names(missing),
        }
    return ChecklistItem("contacts", str(LABELS["contacts"]), not missing, detail, "#unit-contacts")


def meeting_item(handover):
    meeting = Meeting.objects.filter(pk=handover.meeting_id).select_related("minutes").first()
    if meeting is None:
        return ChecklistItem(
            "meeting", str(LABELS["meeting"]), False, _("No handover meeting is linked to this handover.")
        )
    link = reverse("meetings_admin:meeting", args=[meeting.pk])
    minutes = getattr(meeting, "minutes", None)
    values = {"meeting": meeting.name, "state": meeting.get_state_display()}
    if meeting.state != MeetingState.HELD:
        detail = _("%(meeting)s is “%(state)s”.") % values
    elif minutes is None:
        detail = _("%(meeting)s was held; its minutes are not drafted yet.") % values
    else:
        detail = _("%(meeting)s was held; its minutes are “%(state)s”.") % {
            **values,
            "state": minutes.get_state_display(),
        }
    done = meeting.state == MeetingState.HELD and minutes is not None and minutes.state in FINAL_MINUTES
    return ChecklistItem("meeting", str(LABELS["meeting"]), done, detail, link)


def checklist(handover, now=None):
    """The five items in order, each done or not with a sentence saying why."""
    now = now or timezone.now()
    return [
        summary_item(handover),
        open_items_item(handover),
        channels_item(handover, now),
        contacts_item(handover, now),
        meeting_item(handover),
    ]


def missing_items(handover, now=None):
    """The labels of the items not done (empty when the outgoing convener may sign)."""
    return [item.label for item in checklist(handover, now) if not item.done]


def signed_record(handover, now):
    """The checklist at `now` as the record the outgoing convener signs: plain dicts, worded in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            {"key": item.key, "label": str(item.label), "done": item.done, "detail": str(item.detail)}
            for item in checklist(handover, now)
        ]


def checklist_shown(handover, now=None):
    """What the screen and the document show: once signed, the checklist as signed (not recomputed from data
    that changed since); before, the checklist as the data stand at `now`."""
    if handover.signed_checklist:
        return [
            ChecklistItem(row["key"], row["label"], row["done"], row["detail"]) for row in handover.signed_checklist
        ]
    # Signed before the record was kept: the checklist recomputed at the signature.
    return checklist(handover, handover.outgoing_signed_at or now)


# The open items handed over ------------------------------------------------------------------------------

# Runs of digits that could be a phone or an ID number, masked in the free text of an action item: at least 7
# digits, single spaces or hyphens allowed between them ("139 0351 1234", "0351-1234567", "140105-19900101-1234"),
# with an ID number's final check letter X.
NUMBERS = re.compile(r"\d(?:[ -]?\d){6,}(?:[ -]?[Xx](?![A-Za-z]))?")
TITLE_LENGTH = 60


def plain_title(text):
    """The first line of a task, without numbers that could identify a person, at most 60 characters."""
    line = NUMBERS.sub("****", (text or "").strip().splitlines()[0] if (text or "").strip() else "")
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def case_rows(mechanism):
    """Open cases by reference and need labels only: no name, ID number, phone or address."""
    active = Assignment.objects.active().select_related("unit").order_by("due_on", "pk")
    cases = (
        Case.objects.open()
        .filter(mechanism=mechanism)
        .only("pk", "reference", "needs", "state", "reported_at")
        .prefetch_related(Prefetch("assignments", queryset=active, to_attr="active_assignments"))
        .order_by("reported_at", "pk")
    )
    for case in cases:
        assignments = case.active_assignments
        yield {
            "kind": "case",
            "reference": case.reference,
            "title": enumerate_names(Need(need).label for need in case.needs or [] if need in Need.values),
            "units": enumerate_names(dict.fromkeys(a.unit.name for a in assignments)),
            "due_on": assignments[0].due_on.isoformat() if assignments else "",
            "state": str(case.get_state_display()),
        }


def action_rows(mechanism):
    """Open action items (case-less assignments from meeting decisions), one row per decision."""
    assignments = list(
        Assignment.objects.active()
        .filter(mechanism=mechanism, case=None)
        .select_related("unit")
        .order_by("due_on", "pk")
    )
    decision_type = ContentType.objects.get_for_model(Decision)
    ids = {a.source_id for a in assignments if a.source_type_id == decision_type.pk}
    decisions = Decision.objects.select_related("item__minutes__meeting").in_bulk(ids)
    groups = {}
    for assignment in assignments:
        decision = decisions.get(assignment.source_id) if assignment.source_type_id == decision_type.pk else None
        groups.setdefault(("d", decision.pk) if decision else ("a", assignment.pk), (decision, []))[1].append(
            assignment
        )
    for decision, rows in groups.values():
        yield {
            "kind": "action",
            "reference": str(decision.item.minutes.meeting.name) if decision else "",
            "title": plain_title(decision.text if decision else rows[0].task),
            "units": enumerate_names(dict.fromkeys(a.unit.name for a in rows)),
            "due_on": min(a.due_on for a in rows).isoformat(),
            "state": enumerate_names(dict.fromkeys(str(a.get_state_display()) for a in rows)),
        }


def open_items_of(mechanism):
    """The mechanism's open cases, then its open action items, as dicts of plain strings (in Chinese)."""
    with translation.override("zh-hans"):
        return [*case_rows(mechanism), *action_rows(mechanism)]
