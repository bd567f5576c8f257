"""The minutes' life cycle: drafted → in review → revised → approved → published, the correction, and refusals.

MinutesCase (no tests of its own) is the setup the other minutes test modules share.
"""

import datetime

import time_machine
from django.utils import translation
from wagtail.models import ModelLogEntry

from mechanism.models import Role
from mechanism.services.errors import ActionRefused, StaleObject
from meetings.models import Decision, DecisionKind, ItemMinutes, Minutes, MinutesRevision, MinutesState
from meetings.services import (
    add_decision,
    agree_to_minutes,
    approve_minutes,
    correct_minutes,
    publish_minutes,
    revise_minutes,
    send_minutes_for_review,
    start_minutes,
    update_decision,
    update_item_summary,
    update_minutes_opening,
)
from tests.base import CastTestCase
from tests.factories import SHANGHAI
from tests.meetings.factories import MeetingFactory, held_meeting

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday; tsw convenes, convener_liaison approves
TODAY = NOW.date()
DAY = datetime.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class MinutesCase(CastTestCase):
    """A held meeting attended by mz, zgh and tsw, and its minutes through the services."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mz_liaison = cls.member("mz_liaison", cls.mz, Role.LIAISON)

    def held(self, attendees=None, items=("议题一", "议题二"), **kw):
        attendees = [self.mz, self.zgh, self.tsw] if attendees is None else attendees
        return held_meeting(self.province, self.secretariat, attendees, items, **kw)

    def drafted(self, **kw):
        return start_minutes(self.held(**kw), by=self.secretariat)

    def items(self, minutes):
        return list(
            ItemMinutes.objects.filter(minutes=minutes).select_related("agenda_item").order_by("agenda_item__order")
        )

    def action(self, minutes, units=None, due_on=TODAY + 10 * DAY, text="走访困难职工家庭", index=0, **kw):
        units = [self.zgh] if units is None else units
        item = self.items(minutes)[index]
        return add_decision(item, DecisionKind.ACTION, text, units=units, due_on=due_on, by=self.secretariat, **kw)

    def send(self, minutes, deadline=TODAY + 7 * DAY, by=None):
        with self.captureOnCommitCallbacks(execute=True):
            revision = send_minutes_for_review(minutes, deadline, by=by or self.secretariat)
        return revision

    def all_agree(self, minutes):
        for unit, liaison in (
            (self.mz, self.mz_liaison),
            (self.zgh, self.other_liaison),
            (self.tsw, self.convener_liaison),
        ):
            agree_to_minutes(minutes, unit, by=liaison)

    def approve(self, minutes, by=None, **kw):
        with self.captureOnCommitCallbacks(execute=True):
            return approve_minutes(minutes, by=by or self.convener_liaison, **kw)

    def approved(self, minutes):
        self.send(minutes)
        self.all_agree(minutes)
        return self.approve(minutes)

    def refused(self, message, **values):
        """assertRaises for an ActionRefused whose message is `message` (English, with its values)."""
        return RefusedContext(self, message % values if values else message)


class RefusedContext:
    def __init__(self, test, message):
        self.test, self.message = test, message

    def __enter__(self):
        self.override = translation.override("en")
        self.override.__enter__()
        self.raises = self.test.assertRaises(ActionRefused)
        self.raises.__enter__()
        return self

    def __exit__(self, *exc):
        try:
            suppressed = self.raises.__exit__(*exc)
            self.test.assertEqual(str(self.raises.exception), self.message)
            return suppressed
        finally:
            self.override.__exit__(None, None, None)


class StartMinutesTests(MinutesCase):
    def test_start_creates_revision_one_and_an_entry_per_agenda_item(self):
        meeting = self.held(items=("议题一", "议题二", "议题三"))
        meeting.agenda_items.filter(title="议题三").update(removed_at=NOW)
        minutes = start_minutes(meeting, by=self.secretariat)
        self.assertEqual(minutes.state, MinutesState.DRAFTED)
        self.assertEqual(minutes.revision, 1)
        self.assertEqual(list(minutes.revisions.values_list("number", flat=True)), [1])
        self.assertEqual([i.agenda_item.title for i in self.items(minutes)], ["议题一", "议题二"])
        self.assertTrue(
            ModelLogEntry.objects.filter(action="xianjie.minutes.start", object_id=str(minutes.pk)).exists()
        )

    def test_a_second_start_returns_the_same_minutes(self):
        meeting = self.held()
        first = start_minutes(meeting, by=self.secretariat)
        again = start_minutes(meeting, by=self.convener_liaison)
        self.assertEqual(again.pk, first.pk)
        self.assertEqual(Minutes.objects.count(), 1)
        self.assertEqual(MinutesRevision.objects.count(), 1)

    def test_minutes_only_for_a_held_meeting(self):
        meeting = MeetingFactory(mechanism=self.province, invited_units=[self.zgh])
        with self.refused("Minutes are drafted for a meeting that was held."):
            start_minutes(meeting, by=self.secretariat)
        self.assertFalse(Minutes.objects.exists())

    def test_only_the_secretariat_and_the_conveners_liaisons_draft(self):
        meeting = self.held()
        for user in (self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(ActionRefused):
                start_minutes(meeting, by=user)
        self.assertFalse(Minutes.objects.exists())
        self.assertEqual(start_minutes(meeting, by=self.convener_liaison).created_by, self.convener_liaison)


class LifeCycleTests(MinutesCase):
    def test_drafted_in_review_approved_published(self):
        minutes = self.drafted()
        update_minutes_opening(minutes, "会议由团省委召集。", by=self.secretariat)
        update_item_summary(self.items(minutes)[0], "会议听取了情况通报。", by=self.secretariat)
        self.action(minutes)
        revision = self.send(minutes)
        self.assertEqual(minutes.state, MinutesState.IN_REVIEW)
        self.assertEqual(revision.content["opening"], "会议由团省委召集。")
        self.all_agree(minutes)
        created = self.approve(minutes)
        self.assertEqual(minutes.state, MinutesState.APPROVED)
        self.assertEqual(minutes.approved_by, self.convener_liaison)
        self.assertEqual(len(created), 1)
        revision.refresh_from_db()
        self.assertIsNotNone(revision.approved_at)
        self.assertEqual(revision.content["items"][0]["summary"], "会议听取了情况通报。")
        with self.captureOnCommitCallbacks(execute=True):
            publish_minutes(minutes, by=self.secretariat)
        self.assertEqual(minutes.state, MinutesState.PUBLISHED)
        self.assertIsNotNone(minutes.published_at)
        actions = set(ModelLogEntry.objects.filter(object_id=str(minutes.pk)).values_list("action", flat=True))
        for action in ("start", "edit", "decision_add", "review", "agree", "approve", "apply", "publish"):
            self.assertIn(f"xianjie.minutes.{action}", actions)

    def test_revised_minutes_are_approved_without_another_round(self):
        minutes = self.drafted()
        self.send(minutes)
        self.all_agree(minutes)
        revise_minutes(minutes, by=self.secretariat, reason="按意见修改")
        self.assertEqual(minutes.state, MinutesState.REVISED)
        self.approve(minutes)
        self.assertEqual(minutes.state, MinutesState.APPROVED)

    def test_the_secretariat_does_not_approve(self):
        minutes = self.drafted()
        self.send(minutes)
        self.all_agree(minutes)
        for user in (self.secretariat, self.other_liaison, self.supervisor):
            with self.subTest(user=user.username), self.refused("Only the convener approves the minutes."):
                approve_minutes(minutes, by=user)
        minutes.refresh_from_db()
        self.assertEqual(minutes.state, MinutesState.IN_REVIEW)
        self.approve(minutes, by=self.admin)  # a superuser may
        self.assertEqual(minutes.state, MinutesState.APPROVED)

    def test_drafted_minutes_are_not_approved_nor_published(self):
        minutes = self.drafted()
        with self.refused("Send the minutes for review before approving them."):
            approve_minutes(minutes, by=self.convener_liaison)
        with self.refused("Only approved minutes are published."):
            publish_minutes(minutes, by=self.secretariat)
        self.assertEqual(minutes.state, MinutesState.DRAFTED)

    def test_approving_twice_is_refused(self):
        minutes = self.drafted()
        self.approved(minutes)
        with self.refused("The minutes are approved already."):
            approve_minutes(minutes, by=self.convener_liaison)

    def test_only_drafters_and_the_convener_publish(self):
        minutes = self.drafted()
        self.approved(minutes)
        for user in (self.other_liaison, self.supervisor, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(ActionRefused):
                publish_minutes(minutes, by=user)
        with self.captureOnCommitCallbacks(execute=True):
            publish_minutes(minutes, by=self.convener_liaison)
        self.assertEqual(minutes.state, MinutesState.PUBLISHED)

    def test_a_stale_copy_is_refused(self):
        minutes = self.drafted()
        old = Minutes.objects.get(pk=minutes.pk)
        self.send(minutes)
        with self.assertRaises(StaleObject):
            revise_minutes(old, by=self.secretariat)
        minutes.refresh_from_db()
        self.assertEqual(minutes.revision, 1)


class EditingRefusedTests(MinutesCase):
    def test_editing_in_review_is_refused(self):
        minutes = self.drafted()
        decision = self.action(minutes)
        self.send(minutes)
        message = "The minutes are in review; revise them to change the text."
        with self.refused(message):
            update_minutes_opening(minutes, "改", by=self.secretariat)
        with self.refused(message):
            update_item_summary(self.items(minutes)[0], "改", by=self.secretariat)
        with self.refused(message):
            self.action(minutes, text="新增督办")
        with self.refused(message):
            update_decision(decision, "改", units=[self.zgh], due_on=TODAY + DAY, by=self.secretariat)
        minutes.refresh_from_db()
        self.assertEqual(minutes.opening, "")
        self.assertEqual(Decision.objects.get().text, "走访困难职工家庭")

    def test_editing_approved_minutes_is_refused_until_a_correction(self):
        minutes = self.drafted()
        self.approved(minutes)
        message = "The minutes are approved; start a correction to change them."
        with self.refused(message):
            update_minutes_opening(minutes, "改", by=self.secretariat)
        with self.refused(message):
            update_item_summary(self.items(minutes)[1], "改", by=self.secretariat)
        with self.refused(message):
            self.action(minutes, text="新增督办")
        with self.captureOnCommitCallbacks(execute=True):
            publish_minutes(minutes, by=self.secretariat)
        with self.refused(message):
            update_minutes_opening(minutes, "改", by=self.secretariat)
        self.assertFalse(Decision.objects.exists())
        minutes.refresh_from_db()
        self.assertEqual(minutes.opening, "")


class CorrectionTests(MinutesCase):
    def test_correction_needs_a_reason_and_starts_a_new_revision(self):
        minutes = self.drafted()
        self.approved(minutes)
        with self.refused("Give a reason."):
            correct_minutes(minutes, "  ", by=self.secretariat)
        revision = correct_minutes(minutes, "第二项决定事项表述有误", by=self.secretariat)
        self.assertEqual(minutes.state, MinutesState.REVISED)
        self.assertEqual((revision.number, revision.is_correction), (2, True))
        self.assertEqual(revision.reason, "第二项决定事项表述有误")
        self.assertIsNotNone(MinutesRevision.objects.get(minutes=minutes, number=1).approved_at)
        update_minutes_opening(minutes, "更正后的开头", by=self.secretariat)
        self.assertTrue(ModelLogEntry.objects.filter(action="xianjie.minutes.correct").exists())

    def test_only_approved_minutes_are_corrected(self):
        minutes = self.drafted()
        with self.refused("Only approved minutes are corrected; edit the text directly."):
            correct_minutes(minutes, "理由", by=self.secretariat)
        self.assertEqual(minutes.revisions.count(), 1)

    def test_a_correction_keeps_what_was_applied_and_applies_only_new_decisions(self):
        minutes = self.drafted()
        first = self.action(minutes)
        self.approved(minutes)
        self.assertEqual(first.assignments.count(), 1)
        correct_minutes(minutes, "补充督办事项", by=self.secretariat)
        with self.refused("This decision has been carried out already; it can no longer change."):
            update_decision(first, "改", units=[self.zgh], due_on=TODAY + DAY, by=self.secretariat)
        second = self.action(minutes, units=[self.tsw], text="补充：关爱困境儿童")
        self.assertEqual(second.created_in, 2)
        created = self.approve(minutes)
        self.assertEqual([a.unit for a in created], [self.tsw])
        self.assertEqual(first.assignments.count(), 1)
        self.assertEqual(second.assignments.count(), 1)
        approved = MinutesRevision.objects.get(minutes=minutes, number=2)
        self.assertEqual(len(approved.content["items"][0]["decisions"]), 2)
