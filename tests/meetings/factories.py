"""factory_boy factories for meetings; a meeting made here skips the services (use them to test the rules)."""

import datetime

import factory

from meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, MeetingSeries, TopicProposal
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
