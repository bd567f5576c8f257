"""A mechanism world that grows: the query-count tests fetch each admin list at two sizes and compare the counts.

`World()` builds the cast: Shanxi province with its units mz (lead), zgh and tsw (tsw convenes in 2026), its
secretariat, supervisor and zgh liaison, a superuser, and Hebei, another province with its own secretariat.
`world.grow(kinds, n, foreign=k)` adds rows of each kind until Shanxi has n of them (and Hebei k): every kind
below is one builder, and `world.shown[kind]` / `world.hidden[kind]` hold a text of each Shanxi / Hebei row (a
link, a name) that the pages must show / must not show to Shanxi's users. `QueryCountCase.check` counts a page's
queries at both sizes.
"""

import datetime
import difflib
from collections import defaultdict

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from mechanism.models import AccessKind, AreaLevel, HolidayOverride, PersonalDataAccess, Role, UnitKind
from mechanism.services import assignments as work
from mechanism.services import triage
from mechanism.services.common import run_transition
from meetings.services import start_minutes
from rotation.models import AnnualSummary, Handover
from tests import guarantees
from tests.casework import make_case, resident_id
from tests.factories import (
    SHANGHAI,
    AreaFactory,
    BrandProjectFactory,
    ConvenerTermFactory,
    HelpChannelFactory,
    MechanismFactory,
    MembershipFactory,
    MemberUnitFactory,
    UserFactory,
    jan1,
)
from tests.meetings.factories import MeetingFactory, MeetingSeriesFactory, TopicProposalFactory, held_meeting

# Monday 2026-03-02 10:00 in Shanghai: inside tsw's term; the meetings ahead are later this month.
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
SMALL, LARGE, FOREIGN = 2, 7, 3


class Side:
    """One province: its mechanism, units and secretariat; `tag` makes its texts tell it from the other."""

    def __init__(self, code, name, tag):
        self.tag = tag
        self.area = AreaFactory(code=code, name=name, level=AreaLevel.PROVINCE)
        self.mechanism = MechanismFactory(area=self.area, name=f"{name}政府救助与慈善帮扶工作衔接机制")
        self.lead = MemberUnitFactory(
            mechanism=self.mechanism, code="mz", name=f"{name}民政厅", kind=UnitKind.GOVERNMENT, is_lead=True
        )
        self.zgh = MemberUnitFactory(mechanism=self.mechanism, code="zgh", name=f"{name}总工会")
        self.tsw = MemberUnitFactory(mechanism=self.mechanism, code="tsw", name=f"{name}团委")
        ConvenerTermFactory(unit=self.zgh, starts_at=jan1(2025), ends_at=jan1(2026))
        ConvenerTermFactory(unit=self.tsw, starts_at=jan1(2026), ends_at=None)
        self.secretariat = member(f"{tag}-secretariat", self.lead, Role.SECRETARIAT)


def member(username, unit, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


class World:
    def __init__(self):
        self.own = Side("140000", "山西省", "sx")
        self.other = Side("130000", "河北省", "hb")
        self.users = {
            "superuser": UserFactory(username="scale-admin", is_superuser=True, is_staff=True),
            "secretariat": self.own.secretariat,
            "supervisor": member("sx-supervisor", self.own.lead, Role.SUPERVISOR),
            "liaison": member("sx-liaison", self.own.zgh, Role.LIAISON),
        }
        self.counts = defaultdict(int)  # (kind, side tag) -> rows built
        self.shown, self.hidden = defaultdict(list), defaultdict(list)

    def user(self, role):
        """The user fetched afresh: no roles cached from building the world."""
        return get_user_model().objects.get(pk=self.users[role].pk)

    def grow(self, kinds, n, foreign=0):
        for kind in kinds:
            for side, target, texts in ((self.own, n, self.shown), (self.other, foreign, self.hidden)):
                while self.counts[(kind, side.tag)] < target:
                    index = self.counts[(kind, side.tag)]
                    texts[kind].extend(BUILDERS[kind](self, side, index))
                    self.counts[(kind, side.tag)] += 1


# Builders: each adds row `i` of its kind to the side and returns the texts that show it.


def cases(world, side, i):
    """Four cases a step: reported, accepted, referred to zgh, and acknowledged by zgh and overdue. Texts: the
    four case links, then the links of the two assignments (see `case_links` and `assignment_links`)."""
    by, made, assigned = side.secretariat, [], []
    for stage in range(4):
        number = i * 4 + stage
        case = make_case(
            side.mechanism, by=by, person_name=f"{side.tag}个案{number}",
            id_number=resident_id(serial=f"{number:03d}"), phone=f"139{number:08d}",
        )  # fmt: skip
        if stage >= 1:
            triage.accept_case(case, by=by)
        if stage >= 2:
            [assignment] = triage.refer_case(case, [side.zgh], by=by)
        if stage == 3:
            work.acknowledge_assignment(assignment, by=None)
            type(assignment).objects.filter(pk=assignment.pk).update(due_on=NOW.date() - datetime.timedelta(days=i + 1))
        if stage >= 2:
            assigned.append(f"/admin/casework/assignment/{assignment.pk}/")
        made.append(f"/admin/casework/case/{case.pk}/")
    return made + assigned


def case_links(*stages):
    """What a page of cases must show: the links of the cases at these stages (0 reported ... 3 overdue)."""
    return lambda texts: [text for k, text in enumerate(texts) if k % 6 in stages]


def assignment_links(*stages):
    """The links of the assignments of the cases at these stages (2 assigned, 3 acknowledged and overdue)."""
    return lambda texts: [text for k, text in enumerate(texts) if k % 6 - 2 in stages and k % 6 >= 4]


def meetings(world, side, i):
    """A noticed meeting later this month inviting zgh (on the calendar, the home panels and the list)."""
    starts = NOW.replace(day=3 + i, hour=9, minute=30)
    meeting = MeetingFactory(mechanism=side.mechanism, starts_at=starts, place=f"{side.tag}会议室{i}")
    meeting.invited_units.set([side.zgh, side.tsw])
    with transaction.atomic():
        run_transition(meeting, "notice", side.secretariat, "xianjie.meeting.notice", {"test": True})
    return [f"/admin/meetings/{meeting.pk}/"]


def minutes(world, side, i):
    """A meeting held last month with its minutes started."""
    starts = datetime.datetime(2026, 2, 2 + i, 9, 30, tzinfo=SHANGHAI)
    meeting = held_meeting(side.mechanism, side.secretariat, attendees=[side.zgh, side.tsw], starts_at=starts)
    start_minutes(meeting, by=side.secretariat)
    return [f"/admin/meetings/{meeting.pk}/"]


def series(world, side, i):
    return [MeetingSeriesFactory(mechanism=side.mechanism, name=f"{side.tag}例会系列{i}").name]


def topics(world, side, i):
    return [TopicProposalFactory(unit=side.zgh, title=f"{side.tag}提议议题{i}").title]


def handovers(world, side, i):
    handover = Handover.objects.create(
        mechanism=side.mechanism, year=2010 + i, outgoing_unit=side.zgh, incoming_unit=side.tsw
    )
    return [f"/admin/handovers/{handover.pk}/"]


def summaries(world, side, i):
    year = 2010 + i
    summary = AnnualSummary.objects.create(
        mechanism=side.mechanism, year=year, convener_unit=side.tsw,
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
    )  # fmt: skip
    return [f"/admin/summaries/{summary.pk}/"]


def mechanisms(world, side, i):
    """A city mechanism under the province, with a lead unit, a convener and a secretariat of its own."""
    code = f"{side.area.code[:2]}{i + 1:02d}00"
    area = AreaFactory(code=code, name=f"{side.tag}市{i}", level=AreaLevel.CITY, parent=side.area)
    mechanism = MechanismFactory(area=area, parent=side.mechanism, name=f"{side.tag}市{i}衔接机制")
    lead = MemberUnitFactory(mechanism=mechanism, code="mz", name=f"{side.tag}市{i}民政局", is_lead=True)
    ConvenerTermFactory(unit=lead, starts_at=jan1(2026), ends_at=None)
    member(f"{side.tag}-city{i}-secretariat", lead, Role.SECRETARIAT)
    return [mechanism.name]


def units(world, side, i):
    return [MemberUnitFactory(mechanism=side.mechanism, code=f"s{i}", name=f"{side.tag}成员单位{i}").name]


def memberships(world, side, i):
    member(f"{side.tag}-liaison{i}", side.zgh, Role.LIAISON)
    return [f"{side.tag}-liaison{i}"]


def terms(world, side, i):
    unit = MemberUnitFactory(mechanism=side.mechanism, code=f"t{i}", name=f"{side.tag}往届召集单位{i}")
    ConvenerTermFactory(unit=unit, starts_at=jan1(2000 + i), ends_at=jan1(2001 + i))
    return [unit.name]


def channels(world, side, i):
    """A hotline of zgh: in Taiyuan (0351) for Shanxi, in Shijiazhuang (0311) for Hebei."""
    city = "351" if side is world.own else "311"
    return [
        HelpChannelFactory(unit=side.zgh, value=f"+86{city}123456{i}", description=f"{side.tag}热线{i}").display_value
    ]


def projects(world, side, i):
    return [BrandProjectFactory(unit=side.zgh, name=f"{side.tag}品牌项目{i}").name]


def holidays(world, side, i):
    """Holidays are nationwide: the other side's rows are more of them (superusers only see this list)."""
    offset = i if side is world.own else 100 + i
    day = datetime.date(2030, 1, 1) + datetime.timedelta(days=offset)
    return [HolidayOverride.objects.create(date=day, is_working_day=False, name=f"{side.tag}假日{i}").name]


def access_log(world, side, i):
    reason = f"{side.tag}查阅原因{i}"
    PersonalDataAccess.objects.create(
        user=side.secretariat, mechanism=side.mechanism, kind=AccessKind.EXPORT, reason=reason
    )
    return [reason]


def areas(world, side, i):
    code = f"{side.area.code[:2]}{i + 51:02d}00"
    return [AreaFactory(code=code, name=f"{side.tag}地区{i}", level=AreaLevel.CITY, parent=side.area).name]


def lockouts(world, side, i):
    """A member of the side locked out of the login inside the cool-off."""
    username = f"{side.tag}-locked{i}"
    member(username, side.zgh, Role.LIAISON)
    AccessAttempt.objects.create(
        username=username, ip_address=f"10.0.0.{i + 1}", user_agent="test", http_accept="*/*", path_info="/admin/",
        get_data="", post_data="", failures_since_start=settings.AXES_FAILURE_LIMIT, attempt_time=timezone.now(),
    )  # fmt: skip
    return [username]


BUILDERS = {
    builder.__name__: builder
    for builder in (
        cases, meetings, minutes, series, topics, handovers, summaries, mechanisms, units, memberships, terms,
        channels, projects, holidays, access_log, areas, lockouts,
    )
}  # fmt: skip


class QueryCountCase(TestCase):
    """Builds the world at SMALL for `kinds` once; each test counts a page's queries at SMALL, grows the world to
    LARGE (with FOREIGN rows of the other province) and counts again: the counts must be equal."""

    kinds = ()
    subject = ""  # the guarantees' label
    covers = frozenset()  # the URL names the class counts (read by the coverage test)

    @classmethod
    def setUpTestData(cls):
        cls.world = World()
        cls.world.grow(cls.kinds, SMALL)

    def fetch(self, role, url):
        """(page text, SQL of each query) of the second GET: the first warms the per-process caches."""
        self.client.force_login(self.world.user(role))
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode(), [query["sql"] for query in queries.captured_queries]

    def check(self, role, url, kinds, pick=None, cap=None):
        """Count `url` for `role` at both sizes; the page must show the rows `pick` takes from each kind's texts
        (all by default; the first `cap` where the page shows only so many) and, unless the user is the superuser,
        none of the other province's."""
        self.assertIn(resolve(url.split("?")[0]).view_name, self.covers)
        counts = []
        for size in (SMALL, LARGE):
            self.world.grow(kinds, size, foreign=FOREIGN if size == LARGE else 0)
            text, sql = self.fetch(role, url)
            for kind in kinds:
                expected = (pick or list)(self.world.shown[kind])[:cap]
                self.assertTrue(expected, f"{url}: nothing of {kind} to look for")
                self.assertEqual([t for t in expected if t not in text], [], f"{role} {url}: {kind} rows missing")
                hidden = self.world.hidden[kind] if role != "superuser" else []
                self.assertEqual([t for t in hidden if t in text], [], f"{role} {url}: foreign {kind} rows")
            counts.append(sql)
        if len(counts[0]) != len(counts[1]):
            self.fail(mismatch(role, url, *counts))
        guarantees.add("query counts", "pages", 1, subject=self.subject)
        guarantees.add("query counts", "unequal", 0, subject=self.subject)


def mismatch(role, url, small, large):
    """The message of a count that grew: both counts and the queries that differ."""
    diff = list(difflib.unified_diff(small, large, f"{SMALL} rows", f"{LARGE} rows", lineterm="", n=0))
    shown = "\n".join(line[:300] for line in diff[:40])
    return f"{role} GET {url}: {len(small)} queries with {SMALL} rows, {len(large)} with {LARGE}:\n{shown}"
