"""Demo meetings of the Shanxi mechanism: three held, one noticed ahead with answers pending, one cancelled,
and the quarterly series. Dates count from the day of loading: the held meetings about 100, 65 and 30 days
back (early in a year they fall in last year, inside the previous convener's term), the noticed one two to
three weeks ahead, the cancelled one about four weeks ahead. Everything goes through the services, so
numbers, logs and the notice mails are real; the held meetings are marked noticed without mailing
(a notice for a past meeting would only fill the demo mailbox).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mechanism.models import Mechanism, Weekday
from mechanism.services.common import run_transition

from . import services
from .answers import record_answer
from .models import AgendaItemKind, AnswerKind, Meeting, MeetingKind, MeetingSeries

SHANXI = "140000"
PLACE = "山西省民政厅三楼第一会议室"
TOPICS = [
    ("各成员单位本季度救助帮扶工作情况通报", AgendaItemKind.UNIT_REPORT, "mz", 30),
    ("困难职工家庭慈善帮扶需求对接", AgendaItemKind.TOPIC, "zgh", 20),
    ("困境儿童关爱帮扶衔接方案", AgendaItemKind.TOPIC, "tsw", 20),
    ("残疾人家庭医疗康复救助衔接", AgendaItemKind.TOPIC, "cl", 15),
]
# Who came to the held meetings, per unit (made-up demo names, like the rest of the demo data).
PRESENT = {
    "mz": "王处长",
    "zgh": "李部长",
    "tsw": "赵书记",
    "fl": "孙主任",
    "cl": "周处长",
    "hsh": "吴部长",
}
HELD_DAYS_BACK = (100, 65, 30)


def _on_or_before(day, weekday):
    return day - datetime.timedelta(days=(day.isoweekday() - weekday) % 7)


def _on_or_after(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.isoweekday()) % 7)


def _span(day, start=datetime.time(9, 30), hours=2):
    starts_at = timezone.make_aware(datetime.datetime.combine(day, start))
    return starts_at, starts_at + datetime.timedelta(hours=hours)


def _create(province, day, by, **kw):
    starts_at, ends_at = _span(day)
    kw.setdefault("kind", MeetingKind.REGULAR)
    return services.create_meeting(province, starts_at=starts_at, ends_at=ends_at, place=PLACE, by=by, **kw)


def _add_topics(meeting, units, by, topics=TOPICS):
    for title, kind, code, minutes in topics:
        services.add_item(meeting, title, kind, minutes, presenter=units[code], by=by)


def _held(province, day, units, series, by, late):
    meeting = _create(province, day, by, series=series, chair="省民政厅分管副厅长")
    _add_topics(meeting, units, by)
    # Marked noticed without mailing: see the module's docstring.
    with transaction.atomic():
        run_transition(meeting, "notice", by, "xianjie.meeting.notice", {"sequence": meeting.sequence, "demo": True})
    services.hold_meeting(meeting, by=by)
    for code, person in PRESENT.items():
        services.record_attendance(meeting, units[code], person, arrived_late=code == late, by=by)
    return meeting


def _noticed(province, day, units, series, by, liaisons, today):
    meeting = _create(province, day, by, series=series, chair="团省委副书记")
    services.build_agenda(meeting, by=by, today=today)
    _add_topics(meeting, units, by, TOPICS[1:3])
    services.send_notice(meeting, by=by)
    record_answer(meeting, units["mz"], AnswerKind.ATTEND, attendee="王处长", by=liaisons["mz"])
    record_answer(meeting, units["zgh"], AnswerKind.DEPUTY, attendee="工会帮扶中心 刘科长", by=liaisons["zgh"])
    record_answer(meeting, units["hsh"], AnswerKind.DECLINE, reason="同日承办全省应急救护培训", by=liaisons["hsh"])
    return meeting  # tsw, fl, cl and sgw have not answered yet


def _cancelled(province, day, units, by):
    meeting = _create(province, day, by, kind=MeetingKind.THEMATIC, title="冬季困难群众取暖救助专题会商")
    _add_topics(meeting, units, by, [("冬季取暖救助物资衔接安排", AgendaItemKind.TOPIC, "hsh", 40)])
    services.send_notice(meeting, by=by)
    services.cancel_meeting(meeting, "（示例）议题并入下一次季度例会研究，本次专题会商取消。", by=by)
    return meeting


def seed_meetings(today=None):
    """Idempotent: does nothing once the province has meetings. Returns the number of meetings created."""
    province = Mechanism.objects.get(area__code=SHANXI)
    if Meeting.objects.filter(mechanism=province).exists():
        return 0
    today = today or timezone.localdate()
    users = get_user_model().objects
    secretariat = users.get(username="secretariat")
    units = {unit.code: unit for unit in province.units.all()}
    liaisons = {code: users.get(username=f"liaison_{code}") for code in ("mz", "zgh", "hsh")}
    series, _created = MeetingSeries.objects.get_or_create(
        mechanism=province,
        name="季度例会",
        defaults={
            "every_months": 3,
            "first_month": 1,
            "week_of_month": 2,
            "weekday": Weekday.TUESDAY,
            "starts_at": datetime.time(9, 30),
            "ends_at": datetime.time(11, 30),
            "place": PLACE,
        },
    )
    for days_back, late in zip(HELD_DAYS_BACK, ("cl", None, "fl"), strict=True):
        day = _on_or_before(today - datetime.timedelta(days=days_back), Weekday.TUESDAY)
        _held(province, day, units, series, secretariat, late)
    ahead = _on_or_after(today + datetime.timedelta(days=14), Weekday.TUESDAY)
    _noticed(province, ahead, units, series, secretariat, liaisons, today)
    _cancelled(province, _on_or_after(today + datetime.timedelta(days=28), Weekday.THURSDAY), units, secretariat)
    return len(HELD_DAYS_BACK) + 2
