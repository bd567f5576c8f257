"""The demo minutes: the oldest held meeting's approved and published (its decisions made assignments, one for
zgh), the middle one's in review with a comment and an agreement, the latest drafted; a second seed adds nothing."""

import datetime

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from mechanism.demo import seed_mechanisms
from mechanism.demo_cases import seed_cases
from mechanism.models import Assignment, CaseState, Mechanism
from meetings.demo import seed_meetings
from meetings.models import (
    AgendaItemKind,
    Decision,
    DecisionKind,
    Meeting,
    MeetingState,
    Minutes,
    MinutesComment,
    MinutesState,
    ReviewResponse,
)
from tests.factories import SHANGHAI

MID_YEAR = datetime.datetime(2026, 6, 17, 15, 0, tzinfo=SHANGHAI)
EARLY_JANUARY = datetime.datetime(2027, 1, 6, 15, 0, tzinfo=SHANGHAI)


class DemoMinutesTests(TestCase):
    def seed(self, moment, cases=False):
        with time_machine.travel(moment, tick=False):
            today = moment.date()
            seed_mechanisms(today=today)
            if cases:
                seed_cases(today=today)
            seed_meetings(today=today)
            return today

    def minutes_by_age(self):
        held = Meeting.objects.filter(mechanism__area__code="140000", state=MeetingState.HELD).order_by("starts_at")
        return [Minutes.objects.get(meeting=meeting) for meeting in held]

    def counts(self):
        return (
            Minutes.objects.count(),
            Decision.objects.count(),
            Assignment.objects.count(),
            ReviewResponse.objects.count(),
            MinutesComment.objects.count(),
        )

    def test_the_three_held_meetings_have_minutes_in_three_states(self):
        today = self.seed(MID_YEAR)
        oldest, middle, latest = self.minutes_by_age()
        self.assertEqual(oldest.state, MinutesState.PUBLISHED)
        self.assertIsNotNone(oldest.approved_at)
        self.assertEqual(oldest.approved_by.username, "liaison_tsw")  # tsw convenes in 2026
        self.assertGreaterEqual(Decision.objects.filter(item__minutes=oldest, kind=DecisionKind.DECISION).count(), 2)
        actions = Decision.objects.filter(item__minutes=oldest, kind=DecisionKind.ACTION)
        self.assertGreaterEqual(actions.count(), 2)
        self.assertTrue(all(action.is_applied and action.assignments.exists() for action in actions))
        self.assertTrue(all(item.summary for item in oldest.items.all()))

        self.assertEqual(middle.state, MinutesState.IN_REVIEW)
        revision = middle.revisions.get(number=middle.revision)
        self.assertGreaterEqual(revision.comment_deadline, today)
        commented = ReviewResponse.objects.filter(revision=revision, agreed=False).values_list("unit__code", flat=True)
        agreed = ReviewResponse.objects.filter(revision=revision, agreed=True).values_list("unit__code", flat=True)
        self.assertEqual((list(commented), list(agreed)), (["zgh"], ["mz"]))
        self.assertTrue(MinutesComment.objects.filter(revision=revision, unit__code="zgh").exists())
        self.assertFalse(Assignment.objects.filter(decision__item__minutes=middle).exists())

        self.assertEqual(latest.state, MinutesState.DRAFTED)

    def test_zgh_has_an_active_assignment_from_a_decision_on_its_dashboard(self):
        self.seed(MID_YEAR)
        decision_type = ContentType.objects.get_for_model(Decision)
        mine = Assignment.objects.active().filter(unit__code="zgh", unit__mechanism__area__code="140000")
        from_minutes = mine.filter(source_type=decision_type)
        self.assertTrue(from_minutes.exists())
        assignment = from_minutes.first()
        self.assertIsInstance(assignment.source, Decision)
        self.assertGreaterEqual(assignment.due_on, MID_YEAR.date())
        self.client.force_login(get_user_model().objects.get(username="liaison_zgh"))
        with time_machine.travel(MID_YEAR, tick=False):
            home = self.client.get(reverse("wagtailadmin_home")).content.decode()
        self.assertIn(reverse("casework:assignment", args=[assignment.pk]), home)

    def test_with_the_demo_cases_a_tabled_case_is_referred_by_the_approved_minutes(self):
        self.seed(MID_YEAR, cases=True)
        oldest = self.minutes_by_age()[0]
        item = oldest.items.get(agenda_item__kind=AgendaItemKind.CASE).agenda_item
        case = item.case
        case.refresh_from_db()
        self.assertEqual(case.state, CaseState.IN_PROGRESS)
        referred = Assignment.objects.filter(case=case, decision__item__minutes=oldest)
        self.assertEqual(sorted(referred.values_list("unit__code", flat=True)), ["fl", "zgh"])

    def test_early_in_january_the_current_convener_approves(self):
        self.seed(EARLY_JANUARY)
        oldest, middle, latest = self.minutes_by_age()
        self.assertEqual(oldest.meeting.convener.code, "zgh")  # the meeting was in last year's term
        self.assertEqual(oldest.approved_by.username, "liaison_tsw")
        self.assertEqual((middle.state, latest.state), (MinutesState.IN_REVIEW, MinutesState.DRAFTED))

    def test_seeding_again_adds_no_minutes_decisions_or_assignments(self):
        self.seed(MID_YEAR)
        before = self.counts()
        self.seed(MID_YEAR)
        self.assertEqual(self.counts(), before)

    def test_a_database_seeded_before_the_minutes_gets_them_once(self):
        self.seed(MID_YEAR)
        Assignment.objects.filter(source_type__isnull=False).delete()
        Minutes.objects.all().delete()
        province = Mechanism.objects.get(area__code="140000")
        self.assertFalse(Minutes.objects.filter(meeting__mechanism=province).exists())
        self.seed(MID_YEAR)
        self.assertEqual([m.state for m in self.minutes_by_age()], ["published", "in_review", "drafted"])
        before = self.counts()
        self.seed(MID_YEAR)
        self.assertEqual(self.counts(), before)
