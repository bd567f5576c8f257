"""The crawl's world on top of seed_demo: a Taiyuan supervisor, calendar feeds, document jobs, access-log rows, a
public Wagtail document, and objects with distinctive texts (each holds 保密样本, "secret sample") where the demo
has none or only generic ones: Taiyuan's meetings, minutes, topics, series, summary and an unpublished channel
(foreign to the Shanxi liaison), and Shanxi's draft minutes (unpublished: hidden from a liaison not asked)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from mechanism.models import (
    AccessKind,
    Assignment,
    Case,
    ChannelKind,
    DocumentJob,
    HelpChannel,
    Mechanism,
    Membership,
    MemberUnit,
    PersonalDataAccess,
    Role,
)
from meetings.models import (
    AgendaItem,
    CalendarFeed,
    Decision,
    ItemMinutes,
    Meeting,
    MeetingSeries,
    Minutes,
    TopicProposal,
)
from rotation.models import AnnualSummary

SECRET = "保密样本"  # every distinctive text below holds it, so a test can tell them from the demo's


def build():
    """Furnish the world; answers the users the tests crawl as."""
    users = get_user_model().objects
    ty_mz = MemberUnit.objects.get(mechanism__area__code="140100", code="mz")
    ty_supervisor = users.create(username="ty_supervisor", first_name="太原市监督 钱监督")
    Membership.objects.create(user=ty_supervisor, unit=ty_mz, role=Role.SUPERVISOR)
    for username in ("secretariat", "liaison_mz", "ty_secretariat"):
        CalendarFeed.objects.create(user=users.get(username=username))
    for username, area in (("secretariat", "140000"), ("ty_secretariat", "140100")):
        user = users.get(username=username)
        case = Case.objects.filter(mechanism__area__code=area).order_by("pk").first()
        PersonalDataAccess.objects.create(user=user, mechanism=case.mechanism, case=case, kind=AccessKind.VIEW)
        assignment = Assignment.objects.filter(mechanism__area__code=area, case__isnull=False).first()
        if assignment:
            DocumentJob.objects.create(kind="referral", object_id=assignment.pk, requested_by=user)
    meeting = Meeting.objects.filter(mechanism__area__code="140000").first()
    DocumentJob.objects.create(kind="minutes", object_id=meeting.pk, requested_by=users.get(username="secretariat"))
    _taiyuan_business(Mechanism.objects.get(area__code="140100"), ty_mz)
    _shanxi_draft_minutes()
    _public_document()
    return {
        "ty_secretariat": users.get(username="ty_secretariat"),
        "ty_supervisor": ty_supervisor,
        "liaison": users.get(username="liaison_zgh"),
    }


def _taiyuan_business(mechanism, unit):
    now = timezone.now()
    series = MeetingSeries.objects.create(
        mechanism=mechanism, name=f"太原{SECRET}例会系列", starts_at=datetime.time(9), ends_at=datetime.time(11)
    )
    meeting = Meeting.objects.create(
        mechanism=mechanism,
        year=now.year,
        number=99,
        title=f"太原{SECRET}专题会商",
        starts_at=now + datetime.timedelta(days=20),
        ends_at=now + datetime.timedelta(days=20, hours=2),
        place=f"太原市民政局{SECRET}会议室",
        guests=f"太原嘉宾{SECRET}甲（太原市）",
        series=series,
    )
    item = AgendaItem.objects.create(meeting=meeting, title=f"太原议题{SECRET}：低保边缘户联合认定")
    minutes = Minutes.objects.create(meeting=meeting, opening=f"太原纪要开头{SECRET}乙")
    item_minutes = ItemMinutes.objects.create(minutes=minutes, agenda_item=item, summary=f"太原议题纪要{SECRET}丙")
    Decision.objects.create(item=item_minutes, text=f"太原会议决定{SECRET}丁", expected_result=f"太原预期{SECRET}戊")
    TopicProposal.objects.create(mechanism=mechanism, unit=unit, title=f"太原建议议题{SECRET}己")
    AnnualSummary.objects.create(
        mechanism=mechanism,
        year=now.year,
        convener_unit=unit,
        period_start=datetime.date(now.year, 1, 1),
        period_end=datetime.date(now.year, 12, 31),
        achievements=f"太原年度成效{SECRET}庚",
        problems=f"太原年度问题{SECRET}辛",
        plans=f"太原来年打算{SECRET}壬",
    )
    description = f"太原内部专线{SECRET}癸"
    HelpChannel.objects.create(
        unit=unit, kind=ChannelKind.HOTLINE, value="+863519990417", description=description, is_public=False
    )


def _shanxi_draft_minutes():
    """The demo's draft minutes repeat the published ones word for word: give them texts of their own."""
    minutes = Minutes.objects.filter(meeting__mechanism__area__code="140000", published_at__isnull=True)
    minutes = minutes.exclude(revisions__sent_at__isnull=False).order_by("pk").first()
    Minutes.objects.filter(pk=minutes.pk).update(opening=f"山西纪要草稿{SECRET}子")
    item_minutes = ItemMinutes.objects.filter(minutes=minutes).order_by("pk").first()
    ItemMinutes.objects.filter(pk=item_minutes.pk).update(summary=f"山西草稿议题纪要{SECRET}丑")
    Decision.objects.create(item=item_minutes, text=f"山西草稿决定{SECRET}寅")


def _public_document():
    """A document attached to public pages: Wagtail serves it to anyone (xianjie/urls.py, documents/)."""
    document = get_document_model()(title="机制工作简介")
    document.file.save("jianjie.txt", ContentFile("衔接机制工作简介（公开）".encode()), save=False)
    document.save()
