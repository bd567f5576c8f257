"""factory_boy factories for meetings; a meeting made here skips the services (use them to test the rules)."""

import datetime

import factory
from django.db import transaction

from mechanism.services.common import run_transition
from meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, MeetingSeries, TopicProposal
from meetings.services import hold_meeting, record_attendance
from meetings.services.meetings import next_number
from tests.factories import SHANGHAI, MechanismFactory, MemberUnitFactory

# 2026-03-10 09:30-11:30 Asia/Shanghai: a Tuesday inside the tsw convener term of the standard cast.
MEETING_START = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A draft meeting numbered through the mechanism's counter (no checks); pass invited_units=[...] to invite."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    mechanism = factory.SubFactory(MechanismFactory)
    kind = MeetingKind.REGULAR
    year = factory.LazyAttribute(lambda m: m.starts_at.astimezone(SHANGHAI).year)
    number = factory.LazyAttribute(lambda m: next_number(m.mechanism, m.year))
    starts_at = MEETING_START
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=2))
    place = "省民政厅三楼会议室"

    @factory.post_generation
    def invited_units(self, create, extracted, **kwargs):
        if create and extracted:
            self.invited_units.set(extracted)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"议题{n}")
    kind = AgendaItemKind.TOPIC
    minutes = 15


class TopicProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicProposal

    unit = factory.SubFactory(MemberUnitFactory)
    mechanism = factory.LazyAttribute(lambda p: p.unit.mechanism)
    title = factory.Sequence(lambda n: f"提议议题{n}")
    minutes = 10


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    """Quarterly on the second Tuesday of January, April, July and October, 09:30-11:30."""

    class Meta:
        model = MeetingSeries

    mechanism = factory.SubFactory(MechanismFactory)
    name = "季度例会"
    every_months = 3
    first_month = 1
    week_of_month = 2
    weekday = 2
    starts_at = datetime.time(9, 30)
    ends_at = datetime.time(11, 30)
    place = "省民政厅三楼会议室"


# Minutes ---------------------------------------------------------------------------------------------------

# 2026-02-24 09:30 Asia/Shanghai: a Tuesday before the minutes tests' "today" (2026-03-02), in the tsw term.
HELD_START = datetime.datetime(2026, 2, 24, 9, 30, tzinfo=SHANGHAI)


def held_meeting(
    mechanism, by, attendees=(), items=("议题一", "议题二"), starts_at=HELD_START, invited_units=None, **kw
):
    """A meeting marked noticed (without mail) and held, one person present for each of `attendees`.

    `items` are agenda item titles, or dicts of AgendaItem fields (e.g. a case item).
    """
    units = list(invited_units if invited_units is not None else attendees)
    meeting = MeetingFactory(mechanism=mechanism, starts_at=starts_at, invited_units=units, **kw)
    for order, item in enumerate(items, start=1):
        fields = item if isinstance(item, dict) else {"title": item}
        AgendaItemFactory(meeting=meeting, order=order, **fields)
    with transaction.atomic():
        run_transition(meeting, "notice", by, "xianjie.meeting.notice", {"test": True})
    hold_meeting(meeting, by=by)
    for unit in attendees:
        record_attendance(meeting, unit, f"{unit.short_name}代表", by=by)
    meeting.refresh_from_db()
    return meeting
