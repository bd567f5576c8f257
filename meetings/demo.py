"""Demo meetings of the Shanxi mechanism: three held, one noticed ahead with answers pending, one cancelled,
and the quarterly series. The held ones have minutes: the oldest approved and published (its action items, and
the referral of a tabled case when the demo cases are loaded, became assignments), the middle one in review
with a comment and an agreement, the latest drafted. Dates count from the day of loading: the held meetings
about 100, 65 and 30 days back (early in a year they fall in last year, inside the previous convener's
term; the minutes are approved now, by the unit convening now), the noticed one two to three weeks ahead,
the cancelled one about four weeks ahead. Everything goes through the services, so numbers, logs and the
mails are real; the held meetings are marked noticed without mailing (a notice for a past meeting would
only fill the demo mailbox).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mechanism.models import CaseState, Mechanism, Weekday
from mechanism.services.common import run_transition
from mechanism.workdays import add_working_days

from . import services
from .answers import record_answer
from .models import (
    AgendaItemKind,
    AnswerKind,
    DecisionKind,
    ItemMinutes,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingState,
    Minutes,
)

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
OPENING = (
    "（示例）会议由召集单位主持，各成员单位分管负责同志和联络员参加。会议听取了各成员单位救助帮扶工作情况通报，"
    "研究了困难职工家庭、困境儿童和残疾人家庭的帮扶衔接事项。现纪要如下。"
)
D, A = DecisionKind.DECISION, DecisionKind.ACTION
# (agenda item by presenter, or "case"; kind; text; responsible units; due in working days from loading (never a
# day off, which the services refuse); expected result)
DECISIONS = [
    ("mz", D, "各成员单位于每季度末前报送救助帮扶工作情况，由省民政厅汇总通报。", [], 0, ""),
    ("tsw", D, "会议原则同意《困境儿童关爱帮扶衔接方案》，由团省委会同省民政厅修改完善后印发。", [], 0, ""),
    ("zgh", A, "对全省困难职工家庭慈善帮扶需求进行摸底，形成需求清单。", ["zgh"], 20, "报送需求清单和对接建议。"),
    ("cl", A, "梳理残疾人家庭医疗康复救助政策衔接点，提出联合帮扶项目建议。", ["cl", "hsh"], 30, ""),
    ("case", D, "由省总工会、省妇联对该家庭开展联合帮扶，一个月内报告帮扶情况。", ["zgh", "fl"], 15, ""),
]
REVIEWED_DECISIONS = [("zgh", A, "建立困难职工家庭与慈善项目对接台账，每月更新。", ["zgh"], 25, "")]
SUMMARIES = {
    "mz": "（示例）省民政厅通报了本季度低保、特困供养和临时救助情况，各成员单位通报了帮扶项目进展。",
    "zgh": "（示例）省总工会介绍了困难职工家庭帮扶需求，提出与慈善组织对接的建议。",
    "tsw": "（示例）团省委汇报了困境儿童关爱帮扶衔接方案（征求意见稿）。",
    "cl": "（示例）省残联介绍了残疾人家庭医疗康复救助政策衔接中的难点。",
    "case": "（示例）会议研究了该个案的帮扶需求，认为需要工会和妇联联合帮扶。",
}


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


def _waiting_case(province, day):
    """A tabled (else accepted) case of the province reported before `day`, for a case item; None without cases."""
    before = province.cases.filter(reported_at__date__lt=day)
    for state in (CaseState.TABLED, CaseState.ACCEPTED):
        case = before.filter(state=state).order_by("reported_at", "pk").first()
        if case is not None:
            return case
    return None


def _held(province, day, units, series, by, late, with_case=False):
    meeting = _create(province, day, by, series=series, chair="省民政厅分管副厅长")
    _add_topics(meeting, units, by)
    case = _waiting_case(province, day) if with_case else None
    if case is not None:
        title = f"个案 {case.reference} 联合帮扶研究"
        services.add_item(
            meeting, title, AgendaItemKind.CASE, 20, presenter=case.source_unit or units["mz"], case=case, by=by
        )
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
    today = today or timezone.localdate()
    if Meeting.objects.filter(mechanism=province).exists():
        seed_minutes(province, today)  # a database seeded before the minutes existed gets them now
        return 0
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
        _held(province, day, units, series, secretariat, late, with_case=days_back == HELD_DAYS_BACK[0])
    # Before the noticed meeting's agenda is built, so its report on action items lists the new ones.
    seed_minutes(province, today)
    ahead = _on_or_after(today + datetime.timedelta(days=14), Weekday.TUESDAY)
    _noticed(province, ahead, units, series, secretariat, liaisons, today)
    _cancelled(province, _on_or_after(today + datetime.timedelta(days=28), Weekday.THURSDAY), units, secretariat)
    return len(HELD_DAYS_BACK) + 2


# Minutes ---------------------------------------------------------------------------------------------------


def _minutes(meeting, by, summaries=SUMMARIES):
    """Started minutes with the opening and the summaries of the items presented by the units in `summaries`."""
    minutes = services.start_minutes(meeting, by=by)
    services.update_minutes_opening(minutes, OPENING, by=by)
    for entry in _entries(minutes):
        item = entry.agenda_item
        code = "case" if item.case_id else (item.presenter.code if item.presenter_id else "")
        if code in summaries:
            services.update_item_summary(entry, summaries[code], by=by)
    return minutes


def _entries(minutes):
    return ItemMinutes.objects.filter(minutes=minutes).select_related("agenda_item__presenter", "agenda_item__case")


def _entry(minutes, code):
    item_of = (e for e in _entries(minutes) if not e.agenda_item.case_id and e.agenda_item.presenter_id)
    return next(e for e in item_of if e.agenda_item.presenter.code == code)


def _decide(minutes, by, today, units, decisions=DECISIONS):
    """Add the decisions and action items; one with the presenter "case" goes to the case item, if there is one."""
    case_entry = next((e for e in _entries(minutes) if e.agenda_item.case_id), None)
    for code, kind, text, unit_codes, days, expected in decisions:
        entry = case_entry if code == "case" else _entry(minutes, code)
        if entry is None:
            continue
        services.add_decision(
            entry,
            kind,
            text,
            units=[units[c] for c in unit_codes],
            due_on=add_working_days(today, days).day if days else None,
            expected_result=expected,
            by=by,
            today=today,
        )


def _liaison(code):
    return get_user_model().objects.get(username=f"liaison_{code}")


def _approved(meeting, by, today, units):
    minutes = _minutes(meeting, by)
    _decide(minutes, by, today, units)
    revision = services.send_minutes_for_review(minutes, today, by=by, today=today)
    for unit in revision.reviewers.all():
        services.agree_to_minutes(minutes, unit, by=_liaison(unit.code), today=today)
    # Approved today by the unit convening today (early in a year not the one that convened the meeting).
    convener = meeting.mechanism.convener_on(timezone.now())
    services.approve_minutes(minutes, by=_liaison(convener.code), today=today)
    services.publish_minutes(minutes, by=by)


def _in_review(meeting, by, today, units):
    minutes = _minutes(meeting, by)
    _decide(minutes, by, today, units, REVIEWED_DECISIONS)
    services.send_minutes_for_review(minutes, today + datetime.timedelta(days=7), by=by, today=today)
    comment = "建议在需求清单中区分因病致困和因学致困家庭。"
    services.comment_on_minutes(
        minutes, units["zgh"], comment, _entry(minutes, "zgh").agenda_item, by=_liaison("zgh"), today=today
    )
    services.agree_to_minutes(minutes, units["mz"], by=_liaison("mz"), today=today)


def seed_minutes(province, today):
    """Minutes for the three held meetings, oldest to latest: approved, in review, drafted. Idempotent."""
    held = list(Meeting.objects.filter(mechanism=province, state=MeetingState.HELD).order_by("starts_at"))
    if len(held) < 3 or Minutes.objects.filter(meeting__in=held).exists():
        return 0
    secretariat = get_user_model().objects.get(username="secretariat")
    units = {unit.code: unit for unit in province.units.all()}
    oldest, middle, latest = held[-3:]
    _approved(oldest, secretariat, today, units)
    _in_review(middle, secretariat, today, units)
    _minutes(latest, secretariat, {"mz": SUMMARIES["mz"]})
    return 3
