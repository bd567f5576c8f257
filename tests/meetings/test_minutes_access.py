"""Who reads the minutes once published, through a correction too; and no person's name in their audit log."""

import json

from django.urls import reverse
from wagtail.models import ModelLogEntry

from mechanism.models import Role
from meetings.access import get_minutes_for_user
from meetings.models import AgendaItemKind, DecisionKind, MinutesState
from meetings.services import (
    add_decision,
    comment_on_minutes,
    correct_minutes,
    publish_minutes,
    update_decision,
    update_item_summary,
)
from tests.factories import MemberUnitFactory
from tests.meetings.test_minutes_lifecycle import DAY, TODAY, MinutesCase


class PublishedMinutesStayReadableTests(MinutesCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fl = MemberUnitFactory(mechanism=cls.province, code="fl", name="山西省妇女联合会")
        cls.fl_liaison = cls.member("fl_liaison", cls.fl, Role.LIAISON)  # its unit was never asked to review

    def assert_readable(self, minutes):
        pk = minutes.meeting.pk
        self.assertEqual(get_minutes_for_user(self.fl_liaison, pk), minutes)
        client = self.login(self.fl_liaison)
        self.assertEqual(client.get(reverse("meetings_admin:minutes", args=[pk])).status_code, 200)
        self.assertEqual(client.get(reverse("xianjie_documents:download", args=["minutes", pk])).status_code, 200)

    def test_a_reader_keeps_the_published_minutes_through_a_correction(self):
        minutes = self.drafted()
        self.approved(minutes)
        with self.captureOnCommitCallbacks(execute=True):
            publish_minutes(minutes, by=self.secretariat)
        self.assert_readable(minutes)
        correct_minutes(minutes, "更正错字", by=self.secretariat)
        self.assertEqual(minutes.state, MinutesState.REVISED)
        self.assert_readable(minutes)

    def test_approved_but_never_published_minutes_stay_hidden_from_the_reader(self):
        minutes = self.drafted()
        self.approved(minutes)
        correct_minutes(minutes, "更正错字", by=self.secretariat)
        client = self.login(self.fl_liaison)
        self.assertEqual(client.get(reverse("meetings_admin:minutes", args=[minutes.meeting.pk])).status_code, 404)


class NoNameInTheAuditLogTests(MinutesCase):
    NAME = "李四妹"

    def test_a_hand_typed_case_items_title_is_not_logged(self):
        minutes = self.drafted(items=[{"title": f"{self.NAME}家庭救助", "kind": AgendaItemKind.CASE}, "议题二"])
        item = self.items(minutes)[0]
        update_item_summary(item, "会议研究了该家庭的困难。", by=self.secretariat)
        decision = add_decision(
            item, DecisionKind.ACTION, "走访核实", units=[self.zgh], due_on=TODAY + 3 * DAY, by=self.secretariat
        )
        update_decision(decision, "走访核实情况", units=[self.zgh], due_on=TODAY + 3 * DAY, by=self.secretariat)
        self.send(minutes)
        comment_on_minutes(minutes, self.zgh, "请补充走访时间", agenda_item=item.agenda_item, by=self.other_liaison)
        entries = ModelLogEntry.objects.filter(object_id=str(minutes.pk))
        actions = set(entries.values_list("action", flat=True))
        self.assertTrue({"xianjie.minutes.edit", "xianjie.minutes.comment", "xianjie.minutes.decision_add"} <= actions)
        for entry in ModelLogEntry.objects.all():
            with self.subTest(action=entry.action):
                self.assertNotIn(self.NAME, json.dumps(entry.data, ensure_ascii=False))
