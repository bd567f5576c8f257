"""Demo cases: a year of work across the provincial units, every state, some overdue, some escalated."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Area, Case, ConsentMethod, HouseholdCategory, Mechanism, Need, Urgency
from .services import assignments as work
from .services import triage
from .services.assistance import record_assistance
from .services.intake import CaseReport, report_case

NAMES = [
    "王建国",
    "李秀英",
    "张伟",
    "刘芳",
    "陈军",
    "杨敏",
    "赵磊",
    "黄丽",
    "周强",
    "吴霞",
    "徐明",
    "孙娟",
    "马超",
    "朱红",
    "胡斌",
    "郭静",
    "何勇",
    "林燕",
    "高峰",
    "罗琴",
]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def demo_id(number):
    body = f"140105{1950 + number % 50}{1 + number % 12:02d}{1 + number % 28:02d}{100 + number:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def _report(mechanism, number, rng, when, by, area):
    report = CaseReport(
        person_name=NAMES[number % len(NAMES)],
        area=area,
        needs=rng.sample(list(Need.values), k=rng.randint(1, 2)),
        source=rng.choice(["one_door", "hotline", "service_station", "member_unit"]),
        id_number=demo_id(number),
        phone=f"139{number:08d}",
        address=f"{area.name}示范路{number}号",
        household_category=rng.choice(list(HouseholdCategory.values)),
        urgency=rng.choice([Urgency.NORMAL] * 4 + [Urgency.URGENT, Urgency.EMERGENCY]),
        narrative="（示例）家庭因病致困，需要协调救助。",
        consent_given=number % 5 != 0,
        consent_by=NAMES[number % len(NAMES)] if number % 5 else "",
        consent_method=ConsentMethod.SIGNED_FORM if number % 5 else "",
    )
    if report.source == "member_unit":
        units = list(mechanism.units.exclude(code="mz").exclude(kind="charity").order_by("pk"))
        report.source_unit = units[number % len(units)]
    return report_case(mechanism, report, by=by, confirmed=True, now=when)


def _liaison(unit):
    return get_user_model().objects.filter(memberships__unit=unit, memberships__role="liaison").first()


def _progress(case, step, rng, day, secretariat):
    """Move a case `step` steps along: 0 reported … 6 closed; 7 declined; 8 tabled."""
    if step == 7:
        return triage.decline_case(case, "（示例）不属于本机制受理范围，已告知求助人向相关部门反映。", by=secretariat)
    if step == 0:
        return case
    triage.accept_case(case, by=secretariat)
    if step == 1:
        return case
    if step == 8:
        return triage.table_case(case, by=secretariat)
    units = list(case.mechanism.units.exclude(kind="charity").exclude(code="mz").order_by("?")[: rng.randint(1, 2)])
    assignments = triage.refer_case(case, units, by=secretariat, today=day)
    if step >= 3:
        for assignment in assignments:
            work.acknowledge_assignment(assignment, by=_liaison(assignment.unit))
            work.add_follow_up(
                assignment, "visit", day, "（示例）入户走访，核实困难情况。", by=_liaison(assignment.unit)
            )
    if step >= 4:
        for assignment in assignments:
            assignment.refresh_from_db()
            record_assistance(
                case,
                assignment.unit,
                "cash",
                day,
                "charity" if assignment.unit.kind == "charity" else "government",
                amount=rng.choice([500, 1000, 2000]),
                by=secretariat,
                confirmed=True,
            )
            work.complete_assignment(assignment, "（示例）已落实帮扶并回访。", by=_liaison(assignment.unit))
        case.refresh_from_db()  # the units' acknowledgements moved it on
        triage.resolve_case(case, "（示例）各单位帮扶已到位。", by=secretariat)
    if step >= 6:
        triage.close_case(case, day, "（示例）回访确认已解决。", by=secretariat)
    return case


def seed_cases(today=None):
    """Idempotent: does nothing once the province has cases."""
    province = Mechanism.objects.get(area__code="140000")
    if Case.objects.filter(mechanism=province).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 -- demo data, not security
    users = get_user_model().objects
    secretariat, ty_secretariat = users.get(username="secretariat"), users.get(username="ty_secretariat")
    steps = [0, 0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 6, 6, 7, 8] * 2
    for number, step in enumerate(steps):
        days_ago = 360 - number * 11
        day = today - datetime.timedelta(days=days_ago)
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        case = _report(province, number, rng, when, secretariat, province.area)
        _progress(case, step, rng, day, secretariat)
        case.assignments.update(assigned_at=when)  # so that old referrals are really overdue
    taiyuan = Mechanism.objects.get(area__code="140100")
    for number in range(40, 43):
        case = _report(taiyuan, number, rng, timezone.now(), ty_secretariat, Area.objects.get(code="140100"))
        triage.accept_case(case, by=ty_secretariat)
        triage.escalate_case(case, "（示例）市级协调资源不足，提请省级机制统筹。", by=ty_secretariat)
    # The same person as the first provincial case, reported again at the hotline: the guard warns about it.
    _report(province, 0, rng, timezone.now(), secretariat, province.area)
    return len(steps) + 4
