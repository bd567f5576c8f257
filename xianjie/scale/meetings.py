"""Meetings of one mechanism over five years: quarterly regular meetings, a January annual meeting and
some thematic ones; held ones with attendance and minutes (published with their approved revision, the
latest still drafted), the next ones noticed or in draft with the tabled cases on their agenda."""

import datetime
import math
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from mechanism.models import QuorumRule
from meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    ItemMinutes,
    Meeting,
    MeetingCounter,
    Minutes,
    MinutesRevision,
)

from .clock import SHANGHAI

HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)
SCHEDULE = [(1, "annual"), (3, "regular"), (6, "regular"), (9, "regular"), (12, "regular")]
THEMES = [
    "困难群众医疗救助衔接",
    "低收入人口动态监测",
    "冬春困难群众生活保障",
    "重度残疾人照护帮扶",
    "困境儿童关爱保护",
]
TOPICS = ["研究本季度转办个案办理情况", "研究慈善资源对接方案", "通报救助政策调整情况", "研究超期未办结事项"]
TABLES = {
    "meeting": (Meeting, ["id", "mechanism_id", "kind", "year", "number", "title", "starts_at", "ends_at", "place",
                          "video_link", "chair", "guests", "series_id", "state", "cancel_reason", "uid", "sequence",
                          "created_by_id", "updated_at"]),
    "invited": (Meeting.invited_units.through, ["id", "meeting_id", "memberunit_id"]),
    "agenda": (AgendaItem, ["id", "meeting_id", "order", "title", "description", "kind", "presenter_id", "minutes",
                            "case_id", "assignment_id", "proposal_id", "built", "removed_at", "removed_reason",
                            "removed_by_id"]),
    "attendance": (Attendance, ["id", "meeting_id", "unit_id", "person", "arrived_late", "note", "recorded_by_id"]),
    "minutes": (Minutes, ["id", "meeting_id", "state", "revision", "opening", "comment_deadline", "created_at",
                          "created_by_id", "approved_at", "approved_by_id", "published_at", "publication_mailed_at",
                          "updated_at"]),
    "revision": (MinutesRevision, ["id", "minutes_id", "number", "reason", "is_correction", "created_at",
                                   "created_by_id", "sent_at", "comment_deadline", "approved_at", "review_mailed_at",
                                   "content"]),
    "item_minutes": (ItemMinutes, ["id", "minutes_id", "agenda_item_id", "summary"]),
    "decision": (Decision, ["id", "item_id", "kind", "order", "text", "expected_result", "due_on", "created_in",
                            "applied_at"]),
    "counter": (MeetingCounter, ["id", "mechanism_id", "year", "last"]),
}  # fmt: skip


class MeetingMaker:
    """Collects the rows of every meeting table; `ids` holds the next id per table."""

    def __init__(self, rng, clock, ids):
        self.rng, self.clock, self.ids = rng, clock, ids
        self.rows = {name: [] for name in TABLES}

    def _id(self, table):
        self.ids[table] += 1
        return self.ids[table] - 1

    def add(self, mechanism, tabled_cases):
        """All meetings of the mechanism; the first one still to come gets the tabled cases on its agenda."""
        numbers, upcoming = {}, True
        for starts, kind, title in self._dates():
            if starts < self.clock.founded + 7 * DAY:
                continue
            numbers[starts.year] = numbers.get(starts.year, 0) + 1
            held = starts + 2 * HOUR < self.clock.now
            cases = tabled_cases if not held and upcoming else []
            upcoming = upcoming and held
            self._meeting(mechanism, starts, kind, title, numbers[starts.year], held, cases)
        for year, last in sorted(numbers.items()):
            self.rows["counter"].append((self._id("counter"), mechanism.id, year, last))

    def _dates(self):
        rng = self.rng
        for year in range(self.clock.start.year, self.clock.today.year + 2):
            plan = list(SCHEDULE)
            if rng.random() < 0.5:
                plan.append((rng.randrange(4, 12), "thematic"))
            for month, kind in sorted(plan):
                day = datetime.date(year, month, rng.randrange(8, 26))
                day += DAY * {6: 2, 7: 1}.get(day.isoweekday(), 0)  # a weekday
                starts = datetime.datetime.combine(day, datetime.time(9, 0), SHANGHAI)
                if starts <= self.clock.now + 60 * DAY:
                    yield starts, kind, (rng.choice(THEMES) + "专题会商") if kind == "thematic" else ""

    def _meeting(self, mechanism, starts, kind, title, number, held, cases):
        rng, now = self.rng, self.clock.now
        meeting_id, ends = self._id("meeting"), starts + 2 * HOUR
        cancelled = held and rng.random() < 0.03
        state = "cancelled" if cancelled else "held" if held else "noticed" if starts < now + 14 * DAY else "draft"
        place = f"{mechanism.lead.name}三楼会议室"
        uid = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        reason = "因防汛救灾工作需要，会议取消。" if cancelled else ""
        self.rows["meeting"].append(
            (meeting_id, mechanism.id, kind, starts.year, number, title, starts, ends, place, "", "", "", None, state,
             reason, uid, 1 if cancelled else 0, mechanism.secretariat_id, min(ends + HOUR, now))
        )  # fmt: skip
        for unit in mechanism.units:
            self.rows["invited"].append((self._id("invited"), meeting_id, unit.id))
        items = self._agenda(mechanism, meeting_id, cases)
        if state == "held":
            present = self._attendance(mechanism, meeting_id)
            header = {"name": _meeting_name(starts.year, number), "title": title, "kind": kind,
                      "starts_at": starts.isoformat(), "place": place, "chair": "", "convener": ""}  # fmt: skip
            self._minutes(mechanism, meeting_id, ends, header, items, present)

    def _agenda(self, mechanism, meeting_id, cases):
        rng, items = self.rng, []
        unit = rng.choice(mechanism.units)
        planned = [
            ("follow_up", "上次会议议定事项落实情况", mechanism.lead, None),
            ("topic", rng.choice(TOPICS), None, None),
            ("unit_report", f"{unit.short_name}工作情况汇报", unit, None),
        ]
        planned += [("case", f"个案研究：{reference}", mechanism.lead, case_id) for case_id, reference in cases[:3]]
        for order, (kind, title, presenter, case_id) in enumerate(planned, start=1):
            item_id = self._id("agenda")
            row = (item_id, meeting_id, order, title, "", kind, presenter.id if presenter else None, 15, case_id, None,
                   None, kind in ("follow_up", "case"), None, "", None)  # fmt: skip
            self.rows["agenda"].append(row)
            items.append(row)
        return items

    def _attendance(self, mechanism, meeting_id):
        present = [unit for unit in mechanism.units if unit.is_lead or self.rng.random() < 0.9]
        for unit in present:
            row = (self._id("attendance"), meeting_id, unit.id, f"{unit.short_name}联络员", False, "",
                   mechanism.secretariat_id)  # fmt: skip
            self.rows["attendance"].append(row)
        return present

    def _minutes(self, mechanism, meeting_id, ends, header, items, present):
        now, sec = self.clock.now, mechanism.secretariat_id
        minutes_id, drafted = self._id("minutes"), min(ends + DAY, now - HOUR)
        published = ends + 20 * DAY < now
        sent, approved, out = ends + 2 * DAY, ends + 7 * DAY, ends + 8 * DAY
        deadline = (sent + 3 * DAY).date() if published else None
        final = (approved, sec, out, out + HOUR, out) if published else (None, None, None, None, drafted)
        state = "published" if published else "drafted"
        self.rows["minutes"].append((minutes_id, meeting_id, state, 1, "", deadline, drafted, sec, *final))
        entries = []
        for order, item in enumerate(items, start=1):
            item_minutes_id, summary = self._id("item_minutes"), "与会单位听取汇报并讨论。" if published else ""
            self.rows["item_minutes"].append((item_minutes_id, minutes_id, item[0], summary))
            decisions = self._decision(item_minutes_id, approved) if published else []
            entries.append(_item_entry(item, order, summary, decisions))
        content = _snapshot(mechanism, header, present, entries) if published else {}
        revision = (self._id("revision"), minutes_id, 1, "", False, drafted, sec, sent if published else None, deadline,
                    approved if published else None, sent if published else None, content)  # fmt: skip
        self.rows["revision"].append(revision)

    def _decision(self, item_minutes_id, approved):
        decision_id, text = self._id("decision"), "同意有关单位意见，按职责分工抓好落实。"
        self.rows["decision"].append((decision_id, item_minutes_id, "decision", 1, text, "", None, 1, approved))
        return [{"id": decision_id, "kind": "decision", "text": text, "expected_result": "", "units": [],
                 "unit_ids": [], "due_on": None, "applied": True}]  # fmt: skip


def _meeting_name(year, number):
    """Meeting.name in the site's language, as the snapshot stores it."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("Joint meeting no. %(number)s of %(year)s") % {"year": year, "number": number})


def _item_entry(item, order, summary, decisions):
    return {"agenda_item": item[0], "order": order, "title": item[3], "kind": item[5], "case": None,
            "presenter": "", "summary": summary, "decisions": decisions}  # fmt: skip


def _snapshot(mechanism, meeting, present, entries):
    """The revision content as meetings.minutes_text.snapshot writes it."""
    attending = {unit.id for unit in present}
    needed = _quorum_needed(mechanism.quorum_rule, len(mechanism.units))
    return {
        "meeting": meeting,
        "opening": "",
        "attendance": {
            "present": [{"unit": u.name, "unit_id": u.id, "people": [f"{u.short_name}联络员"]} for u in present],
            "absent": [{"unit": u.name, "unit_id": u.id} for u in mechanism.units if u.id not in attending],
            "guests": [],
        },
        "quorum": {
            "present": len(present),
            "active": len(mechanism.units),
            "needed": needed,
            "reached": len(present) >= needed,
        },  # fmt: skip
        "items": entries,
    }


def _quorum_needed(rule, active):
    return math.ceil(active * 2 / 3) if rule == QuorumRule.TWO_THIRDS else active // 2 + 1
