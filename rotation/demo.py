"""Demo data for the rotation: a swap decided at the oldest demo meeting, last year's annual work summary approved,
and next January's handover in preparation with its checklist half done (open items listed, contacts verified;
this year's summary still being drafted and the handover meeting not yet held)."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mechanism.models import Mechanism
from meetings.models import Meeting, MeetingState

from .handovers.services import list_open_items, verify_contacts
from .models import AnnualSummary, Handover, RotationEvent
from .plans import SHANGHAI
from .services import record_swap
from .summaries.services import approve_summary, start_summary, submit_summary, update_narrative
from .tasks import prepare_handover

PROVINCE = "140000"
SWAP_REASON = "省残疾人联合会当年承办全省残疾人事业发展推进会，经协商与省红十字会对调召集年度"
LAST_YEAR = {
    "achievements": (
        "全年召开联席会议，逐案研究疑难个案，推动政府救助与慈善帮扶有效衔接；"
        "各成员单位公布求助热线和电子邮箱，困难群众求助渠道更加畅通。"
    ),
    "problems": "部分个案办理周期偏长，基层“一门受理”窗口与慈善组织之间的信息共享还不够及时。",
    "plans": "完善个案转介和督办机制，按季度通报办理情况；组织开展慈善帮扶项目对接活动。",
}
THIS_YEAR_ACHIEVEMENTS = "本年度共青团山西省委员会轮值召集，按季度召开联席会议，研究解决了一批疑难个案。"


def _user(username):
    return get_user_model().objects.get(username=username)


def seed_rotation(today=None):
    """Idempotent: each part is skipped once it exists. Returns the coming handover (or None)."""
    province = Mechanism.objects.get(area__code=PROVINCE)
    today = today or timezone.localdate()
    _swap(province, today)
    _last_years_summary(province, today)
    return _coming_handover(province, today)


def _swap(province, today):
    if RotationEvent.objects.filter(mechanism=province).exists():
        return
    held = Meeting.objects.filter(mechanism=province, state=MeetingState.HELD).order_by("starts_at").first()
    decision = f"{held.name}决定" if held else "联席会议决定"
    units = {unit.code: unit for unit in province.units.all()}
    record_swap(
        province, units["cl"], units["hsh"], today.year + 2, SWAP_REASON, decision, by=_user("secretariat"), today=today
    )


def _last_years_summary(province, today):
    year = today.year - 1
    if AnnualSummary.objects.filter(mechanism=province, year=year).exists():
        return
    # Drafted, submitted and approved in December of last year, while last year's convener held the term.
    late_december = datetime.datetime(year, 12, 28, 10, 0, tzinfo=SHANGHAI)
    convener = province.convener_on(late_december)
    secretariat = _user("secretariat")
    summary = start_summary(province, year, by=secretariat, now=late_december)
    liaison = _user(f"liaison_{convener.code}") if convener else secretariat
    update_narrative(summary, liaison, now=late_december, **LAST_YEAR)
    submit_summary(summary, liaison, now=late_december)
    approve_summary(summary, secretariat, now=late_december)
    if convener:
        approve_summary(summary, liaison, now=late_december)


def _coming_handover(province, today):
    year = today.year + 1
    existing = Handover.objects.filter(mechanism=province, year=year).first()
    if existing is not None:
        return existing
    now = timezone.now()
    with transaction.atomic():
        handover = prepare_handover(province, year, now)
    convener = province.convener_on(now)
    summary = start_summary(province, today.year, now=now)
    if convener:
        update_narrative(summary, _user(f"liaison_{convener.code}"), THIS_YEAR_ACHIEVEMENTS, "", "", now=now)
    list_open_items(handover, by=_user("secretariat"), now=now)
    for unit in province.active_units(today):
        verify_contacts(unit, by=_user(f"liaison_{unit.code}"), today=today)
    handover.refresh_from_db()
    return handover
